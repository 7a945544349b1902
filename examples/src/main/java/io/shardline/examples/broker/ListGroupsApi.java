package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ListGroups v0-5: every shard's coordinator lists its groups; v4 filters by state, v5 by type (all
 * groups here are "classic"). Stateless; runs on the connection's shard.
 */
final class ListGroupsApi {
    private static final String CLASSIC = "classic";

    private ListGroupsApi() {
    }

    static Future<ByteBuffer> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 3;
        List<String> states = v >= 4 ? strings(in) : List.of();
        List<String> types = v >= 5 ? strings(in) : List.of();
        if (flex) {
            in.skipTaggedFields();
        }
        boolean typeMatches = types.isEmpty() || types.stream().anyMatch(t -> t.equalsIgnoreCase(CLASSIC));
        BrokerServer server = c.server;
        Future<List<List<GroupMessages.Listing>>> all = typeMatches
                ? c.shard().invokeOnAll(() -> server.shards().local().groups().list()) : Future.succeeded(List.of());
        return all.map(perShard -> {
            List<GroupMessages.Listing> out = new ArrayList<>();
            for (List<GroupMessages.Listing> l : perShard) {
                for (GroupMessages.Listing g : l) {
                    if (states.isEmpty() || states.stream().anyMatch(s -> s.equalsIgnoreCase(g.state()))) {
                        out.add(g);
                    }
                }
            }
            KafkaWriter w = Requests.writer(h);
            if (v >= 1) {
                w.int32(0); // throttle_time_ms
            }
            w.int16(Errors.NONE).arrayLength(out.size(), flex);
            for (GroupMessages.Listing g : out) {
                w.string(g.groupId(), flex).string(g.protocolType(), flex);
                if (v >= 4) {
                    w.string(g.state(), flex);
                }
                if (v >= 5) {
                    w.string(CLASSIC.substring(0, 1).toUpperCase(Locale.ROOT) + CLASSIC.substring(1), flex);
                }
                w.endStruct(flex);
            }
            return w.endStruct(flex).finish();
        });
    }

    private static List<String> strings(KafkaReader in) {
        int n = in.arrayLength(true);
        List<String> out = new ArrayList<>(Math.max(n, 0));
        for (int i = 0; i < n; i++) {
            out.add(in.requiredString(true));
        }
        return out;
    }
}
