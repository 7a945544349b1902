package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fetch v4-12, sessionless (the response's session id is always 0, so clients go on with full fetches).
 * Each owner shard reads its partitions; while fewer than {@code min_bytes} came back and
 * {@code max_wait_ms} has not passed, the owners long-poll on their timer wheels, woken by new data,
 * and the first owner to wake starts another read. Stateless; runs on the connection's shard.
 */
final class FetchApi {
    private FetchApi() {
    }

    private record Request(RequestHeader h, List<TopicRange> topics, List<BrokerShard.Part> parts, int minBytes, int maxBytes,
            byte isolation, long deadlineNanos) {
    }

    static Future<ByteBuffer[]> handle(BrokerConnection c, RequestHeader h, KafkaReader in) {
        short v = h.apiVersion();
        boolean flex = v >= 12;
        in.int32(); // replica_id: consumers only
        int maxWait = in.int32();
        int minBytes = in.int32();
        int maxBytes = in.int32();
        byte isolation = in.int8();
        if (v >= 7) {
            in.int32(); // session_id: no sessions are handed out, so always 0 from a well-behaved client
            in.int32(); // session_epoch
        }
        List<BrokerShard.Part> parts = new ArrayList<>();
        List<TopicRange> topics = TopicRange.read(in, flex, parts, (name, partition) -> {
            if (v >= 9) {
                in.int32(); // current_leader_epoch
            }
            long offset = in.int64();
            if (v >= 12) {
                in.int32(); // last_fetched_epoch
            }
            if (v >= 5) {
                in.int64(); // log_start_offset (followers only)
            }
            return new BrokerShard.Part(name, partition, offset, in.int32(), null);
        });
        if (v >= 7) {
            int nf = in.arrayLength(flex);
            for (int f = 0; f < nf; f++) {
                in.string(flex);
                int n = in.arrayLength(flex);
                for (int i = 0; i < n; i++) {
                    in.int32();
                }
                if (flex) {
                    in.skipTaggedFields();
                }
            }
        }
        if (v >= 11) {
            in.string(flex); // rack_id
        }
        if (flex) {
            in.skipTaggedFields();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxWait));
        Request r = new Request(h, topics, parts, minBytes, maxBytes, isolation, deadline);
        TopicStats stats = c.server.shards().local().stats;
        return round(c, r).map(results -> response(r, results, stats));
    }

    /** Reads every partition; waits and reads again while the answer is too small and time is left. */
    private static Future<List<PartitionLog.Read>> round(BrokerConnection c, Request r) {
        return PartitionRouting.scatter(c, r.parts(), BrokerShard::read).flatMap(results -> {
            long bytes = 0;
            boolean error = false;
            for (PartitionLog.Read read : results) {
                error |= read.error() != Errors.NONE;
                bytes += read.size();
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(r.deadlineNanos() - System.nanoTime());
            if (error || bytes >= r.minBytes() || leftMs <= 0 || r.parts().isEmpty()) {
                return Future.succeeded(results);
            }
            return watch(c, r, results, leftMs).flatMap(data -> data ? round(c, r)
                    : PartitionRouting.scatter(c, r.parts(), BrokerShard::read));
        });
    }

    /** Long-polls every owner for data past what {@code seen} had; true when one woke for data. */
    private static Future<Boolean> watch(BrokerConnection c, Request r, List<PartitionLog.Read> seen, long waitMs) {
        List<BrokerShard.Part> marks = new ArrayList<>(r.parts().size());
        for (int i = 0; i < r.parts().size(); i++) {
            BrokerShard.Part p = r.parts().get(i);
            marks.add(new BrokerShard.Part(p.topic(), p.partition(), seen.get(i).highWatermark(), 0, null));
        }
        int shards = c.shard().count();
        List<List<BrokerShard.Part>> byShard = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>());
        }
        for (BrokerShard.Part m : marks) {
            byShard.get(BrokerShard.ownerOf(m.topic(), Math.max(0, m.partition()), shards)).add(m);
        }
        List<Future<Boolean>> waits = new ArrayList<>();
        BrokerServer server = c.server;
        for (int s = 0; s < shards; s++) {
            List<BrokerShard.Part> mine = byShard.get(s);
            if (!mine.isEmpty()) {
                // The other owners' waits end by themselves (data or their timer); their answers are not needed.
                waits.add(c.shard().submitToAsync(s, () -> server.shards().local().watch(mine, waitMs)));
            }
        }
        return Futures.any(waits);
    }

    /**
     * The response frame as buffers to write in order: the fields, and between them each partition's
     * batches as the log's cache or read gave them, never copied into the frame (one copy in all, into
     * the connection's outbound queue).
     */
    private static ByteBuffer[] response(Request r, List<PartitionLog.Read> results, TopicStats stats) {
        short v = r.h().apiVersion();
        boolean flex = v >= 12;
        KafkaWriter w = Requests.writer(r.h(), 64 + 64 * results.size());
        w.int32(0); // throttle_time_ms
        if (v >= 7) {
            w.int16(Errors.NONE).int32(0); // error_code, session_id: sessionless
        }
        long budget = r.maxBytes() <= 0 ? Integer.MAX_VALUE : r.maxBytes();
        boolean any = false;
        w.arrayLength(r.topics().size(), flex);
        for (TopicRange t : r.topics()) {
            w.string(t.name(), flex).arrayLength(t.to() - t.from(), flex);
            long sent = 0;
            long errors = 0;
            for (int i = t.from(); i < t.to(); i++) {
                PartitionLog.Read read = results.get(i);
                byte[][] records = read.batches();
                long size = read.size();
                errors += read.error() != Errors.NONE ? 1 : 0;
                if (size > 0) {
                    // The response's max_bytes: past it only the first non-empty partition is sent whole (KIP-74).
                    if (any && size > budget) {
                        records = PartitionLog.Read.NONE;
                        size = 0;
                    } else {
                        any = true;
                        budget -= size;
                    }
                }
                w.int32(r.parts().get(i).partition()).int16(read.error()).int64(read.highWatermark());
                w.int64(read.error() == Errors.NONE ? read.highWatermark() : -1); // last_stable_offset: no transactions
                if (v >= 5) {
                    w.int64(read.logStartOffset());
                }
                w.arrayLength(r.isolation() == 1 ? 0 : -1, flex); // aborted_transactions
                if (v >= 11) {
                    w.int32(-1); // preferred_read_replica
                }
                (records == null ? w.bytes(null, flex) : w.splicedBytes(records, flex)).endStruct(flex);
                sent += size;
            }
            stats.fetched(t.name(), sent, errors);
            w.endStruct(flex);
        }
        return w.endStruct(flex).finishGathered();
    }
}
