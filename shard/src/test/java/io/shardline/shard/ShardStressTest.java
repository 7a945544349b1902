package io.shardline.shard;

import static io.shardline.shard.ShardTestSupport.eventually;
import static io.shardline.shard.ShardTestSupport.get;
import static io.shardline.shard.ShardTestSupport.here;
import static io.shardline.shard.ShardTestSupport.quiet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bounded all-to-all traffic with random fan-out: every shard sends a fixed number of requests to
 * seeded-random targets (itself included), in bursts of random size, and every request carries
 * (sender, per-pair sequence number, payload). Counts are fixed, so the run is bounded by work, not time.
 */
class ShardStressTest {
    private static final long SEED = 0x5EED_2026L;
    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    @ParameterizedTest(name = "{0} shards, {1} in flight per pair, {2} requests per shard")
    @CsvSource({
            "2, 128, 20000", // pinned when the machine allows (2 shards, 2 CPUs)
            "2, 8, 20000",
            "8, 8, 20000", // unpinned: more shards than CPUs
            "8, 128, 20000",
    })
    void allToAllRandomFanOut(int n, int cap, int perShard) {
        ConcurrentLinkedQueue<Throwable> uncaught = new ConcurrentLinkedQueue<>();
        try (ShardRuntime rt = ShardRuntime.builder().shards(n).inflightPerPair(cap).loop(quiet(uncaught)).start()) {
            if (n > Runtime.getRuntime().availableProcessors()) {
                for (int i = 0; i < n; i++) {
                    assertEquals(-1, rt.shard(i).cpu(), "more shards than CPUs run unpinned");
                }
            } else if (rt.shard(0).cpu() != -1) {
                for (int i = 0; i < n; i++) {
                    assertEquals(i, rt.shard(i).cpu(), "pinned one shard per CPU");
                }
            }
            Receiver[] receivers = new Receiver[n];
            for (int t = 0; t < n; t++) {
                receivers[t] = new Receiver(t, n);
            }
            List<CompletableFuture<SenderReport>> runs = new ArrayList<>();
            for (int s = 0; s < n; s++) {
                int sender = s;
                runs.add(rt.submitAsync(s, () -> new Sender(here(), receivers, perShard,
                        new Random(SEED + sender)).start()));
            }
            SenderReport[] sent = new SenderReport[n];
            for (int s = 0; s < n; s++) {
                sent[s] = get(runs.get(s));
            }
            ReceiverReport[] got = new ReceiverReport[n];
            for (int t = 0; t < n; t++) {
                int target = t;
                got[t] = get(rt.submit(t, () -> receivers[target].report()));
            }

            long totalSent = 0;
            long totalReceived = 0;
            long crossShard = 0;
            for (int s = 0; s < n; s++) {
                SenderReport r = sent[s];
                assertEquals(perShard, r.completed, "sender " + s + " completions");
                assertEquals(0, r.failures, "sender " + s + " failed calls");
                assertEquals(0, r.wrongReplies, "sender " + s + " replies that belong to another request");
                assertEquals(0, r.wrongShard, "sender " + s + " completions off its shard");
                assertEquals(0, r.outOfOrderCompletions, "sender " + s + " completions out of per-pair order");
                for (int t = 0; t < n; t++) {
                    totalSent += r.count[t];
                    if (t != s) {
                        crossShard += r.count[t];
                    }
                }
            }
            for (int t = 0; t < n; t++) {
                ReceiverReport r = got[t];
                assertEquals(0, r.duplicates, "target " + t + " duplicates");
                assertEquals(0, r.outOfOrder, "target " + t + " per-pair sequence out of order");
                assertEquals(0, r.wrongShard, "target " + t + " ran requests off its shard");
                for (int s = 0; s < n; s++) {
                    totalReceived += r.count[s];
                    assertEquals(sent[s].count[t], r.count[s], "requests " + s + "->" + t);
                    assertEquals(sent[s].checksum[t], r.checksum[s], "payload checksum " + s + "->" + t);
                    assertEquals(sent[s].count[t], r.seen[s].cardinality(), "distinct sequence numbers " + s + "->" + t);
                }
            }
            assertEquals((long) n * perShard, totalSent);
            assertEquals(totalSent, totalReceived);

            long cross = crossShard;
            eventually("mesh counters to settle", () -> {
                long sentSum = 0;
                long servedSum = 0;
                long repliesSum = 0;
                for (ShardStats st : rt.stats()) {
                    if (st.inFlight() != 0 || st.waiting() != 0) {
                        return false;
                    }
                    sentSum += st.sent();
                    servedSum += st.served();
                    repliesSum += st.replies();
                }
                return sentSum == cross && servedSum == cross && repliesSum == cross;
            });
            if (cap <= 8) {
                long waits = rt.stats().stream().mapToLong(ShardStats::waits).sum();
                assertTrue(waits > 0, "bursts larger than the cap must have waited");
            }
            assertTrue(uncaught.isEmpty(), "exceptions nobody observed: " + uncaught);
        }
    }

    /** What a sender saw; built on its shard, read by the test after the hand-off. */
    static final class SenderReport {
        final long[] count;
        final long[] checksum;
        long completed;
        long failures;
        long wrongReplies;
        long wrongShard;
        long outOfOrderCompletions;

        SenderReport(int n) {
            count = new long[n];
            checksum = new long[n];
        }
    }

    /** Sends its share in random bursts, one burst per task. Owned by its shard. */
    static final class Sender {
        private final Shard me;
        private final Receiver[] receivers;
        private final int total;
        private final Random rnd;
        private final SenderReport report;
        private final long[] nextCompletion;
        private final Promise<SenderReport> done;
        private int issued;

        Sender(Shard me, Receiver[] receivers, int total, Random rnd) {
            this.me = me;
            this.receivers = receivers;
            this.total = total;
            this.rnd = rnd;
            int n = receivers.length;
            this.report = new SenderReport(n);
            this.nextCompletion = new long[n];
            this.done = new Promise<>(me.loop());
        }

        Future<SenderReport> start() {
            burst();
            return done;
        }

        private void burst() {
            int size = Math.min(1 + rnd.nextInt(512), total - issued);
            for (int i = 0; i < size; i++) {
                int target = rnd.nextInt(receivers.length);
                long seq = report.count[target]++;
                long payload = rnd.nextLong();
                report.checksum[target] += payload;
                int from = me.id();
                Receiver r = receivers[target];
                Future<Long> f = rnd.nextInt(4) == 0
                        ? me.submitToAsync(target, () -> Future.succeeded(r.accept(from, seq, payload)))
                        : me.submitTo(target, () -> r.accept(from, seq, payload));
                f.whenComplete((v, e) -> complete(target, seq, payload, v, e));
            }
            issued += size;
            if (issued < total) {
                me.loop().execute(this::burst); // the next burst is a new task: replies interleave with sends
            }
        }

        private void complete(int target, long seq, long payload, Long v, Throwable e) {
            if (Shard.current() != me) {
                report.wrongShard++;
            }
            if (e != null) {
                report.failures++;
            } else if (v != (payload ^ MIX)) {
                report.wrongReplies++;
            }
            if (nextCompletion[target]++ != seq) {
                report.outOfOrderCompletions++;
            }
            if (++report.completed == total) {
                done.succeed(report);
            }
        }
    }

    /** What a target saw. */
    record ReceiverReport(long[] count, long[] checksum, BitSet[] seen, long duplicates, long outOfOrder,
                         long wrongShard) {
    }

    /** Records requests on its target shard; touched only there. */
    static final class Receiver {
        private final int self;
        private final long[] count;
        private final long[] checksum;
        private final long[] nextSeq;
        private final BitSet[] seen;
        private long duplicates;
        private long outOfOrder;
        private long wrongShard;

        Receiver(int self, int n) {
            this.self = self;
            this.count = new long[n];
            this.checksum = new long[n];
            this.nextSeq = new long[n];
            this.seen = new BitSet[n];
            for (int i = 0; i < n; i++) {
                seen[i] = new BitSet();
            }
        }

        long accept(int from, long seq, long payload) {
            Shard s = Shard.current();
            if (s == null || s.id() != self) {
                wrongShard++;
            }
            if (seen[from].get((int) seq)) {
                duplicates++;
            }
            seen[from].set((int) seq);
            if (seq != nextSeq[from]) {
                outOfOrder++;
            }
            nextSeq[from] = seq + 1;
            count[from]++;
            checksum[from] += payload;
            return payload ^ MIX;
        }

        ReceiverReport report() {
            BitSet[] copy = new BitSet[seen.length];
            for (int i = 0; i < seen.length; i++) {
                copy[i] = (BitSet) seen[i].clone();
            }
            return new ReceiverReport(count.clone(), checksum.clone(), copy, duplicates, outOfOrder, wrongShard);
        }
    }
}
