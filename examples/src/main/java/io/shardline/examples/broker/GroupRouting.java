package io.shardline.examples.broker;

import io.shardline.core.Future;
import java.util.function.Function;

/**
 * Sends a group request to the shard that coordinates the group ({@link OffsetStore#coordinatorOf}) and
 * brings the answer back; the connection's shard encodes it. Stateless; runs on the connection's shard.
 */
final class GroupRouting {
    private GroupRouting() {
    }

    static <T> Future<T> onCoordinator(BrokerConnection c, String groupId, Function<GroupCoordinator, Future<T>> fn) {
        int target = OffsetStore.coordinatorOf(groupId == null ? "" : groupId, c.shard().count());
        BrokerServer server = c.server;
        if (target == c.shard().id()) {
            return fn.apply(server.shards().local().groups());
        }
        return c.shard().submitToAsync(target, () -> fn.apply(server.shards().local().groups()));
    }
}
