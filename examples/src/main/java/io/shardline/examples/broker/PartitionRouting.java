package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Splits a request's partitions by owning shard, sends each shard its share in one mesh message, and puts
 * the answers back in request order. Owned by the connection's shard for one request; not thread-safe.
 */
final class PartitionRouting {
    private PartitionRouting() {
    }

    /**
     * Runs {@code op} on each owner with that owner's parts, and gives one answer per part in the order of
     * {@code parts}; {@code op} runs on the owner and must answer one result per part it got, in order.
     */
    static <R> Future<List<R>> scatter(BrokerConnection c, List<BrokerShard.Part> parts,
            BiFunction<BrokerShard, List<BrokerShard.Part>, Future<List<R>>> op) {
        int shards = c.shard().count();
        List<List<BrokerShard.Part>> byShard = new ArrayList<>(shards);
        int[][] positions = new int[shards][];
        int[] counts = new int[shards];
        int[] owners = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            BrokerShard.Part p = parts.get(i);
            owners[i] = BrokerShard.ownerOf(p.topic(), Math.max(0, p.partition()), shards);
            counts[owners[i]]++;
        }
        for (int s = 0; s < shards; s++) {
            byShard.add(counts[s] > 0 ? new ArrayList<>(counts[s]) : null);
            positions[s] = counts[s] > 0 ? new int[counts[s]] : null;
        }
        for (int i = 0; i < parts.size(); i++) {
            int s = owners[i];
            positions[s][byShard.get(s).size()] = i;
            byShard.get(s).add(parts.get(i));
        }
        Object[] results = new Object[parts.size()];
        List<Future<Void>> sent = new ArrayList<>();
        BrokerServer server = c.server;
        for (int s = 0; s < shards; s++) {
            List<BrokerShard.Part> mine = byShard.get(s);
            if (mine == null) {
                continue;
            }
            int[] at = positions[s];
            sent.add(c.shard().<List<R>>submitToAsync(s, () -> op.apply(server.shards().local(), mine)).map(list -> {
                for (int k = 0; k < at.length; k++) {
                    results[at[k]] = list.get(k);
                }
                return null;
            }));
        }
        return Futures.all(sent).map(v -> {
            List<R> out = new ArrayList<>(results.length);
            for (Object o : results) {
                @SuppressWarnings("unchecked")
                R r = (R) o;
                out.add(r);
            }
            return out;
        });
    }

    /** Creates the missing topics among {@code names} through the controller when auto-creation is on. */
    static Future<Void> autoCreate(BrokerConnection c, List<String> names) {
        if (!c.config().autoCreateTopics()) {
            return Future.succeeded(null);
        }
        List<String> missing = new ArrayList<>();
        for (String n : names) {
            if (c.local().topics.get(n) == null && TopicInfo.invalidName(n) == null && !missing.contains(n)) {
                missing.add(n);
            }
        }
        if (missing.isEmpty()) {
            return Future.succeeded(null);
        }
        BrokerServer server = c.server;
        return c.shard().submitToAsync(0, () -> server.controller().create(TopicController.autoCreate(missing), false))
                .map(r -> null);
    }
}
