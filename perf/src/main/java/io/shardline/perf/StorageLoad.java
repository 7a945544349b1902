package io.shardline.perf;

import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.storage.Durability;
import io.shardline.storage.FileIo;
import io.shardline.storage.LogConfig;
import io.shardline.storage.LogStats;
import io.shardline.storage.SegmentedLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.HdrHistogram.Histogram;

/**
 * The storage suite's workloads on Shardline's log, and what the raw side's share with them (the
 * record, the payload, the trial's result); the raw side's own are {@link RawFileLoad}'s. Each runs
 * one trial at a time in a fresh file or log directory that
 * the trial deletes when it is done. Every record is a {@value #PAYLOAD}-byte payload (random bytes,
 * the same for every append); the raw side writes each one framed exactly as the log frames it (a
 * 4-byte length, a 4-byte CRC32C over length and payload, the payload: {@value #FRAMED} bytes), so both
 * sides put the same record bytes on the disk.
 *
 * <ul>
 *   <li>{@link #groupCommit}: a {@link SegmentedLog} with {@link Durability#always()} on a loop;
 *       {@value #WRITERS} writers each keep exactly one append outstanding and issue the next from the
 *       previous one's completion, so appends that arrive while a write and its fdatasync run share the
 *       next one (group commit).
 *   <li>{@link RawFileLoad#forceEachWrite}: one thread, {@code FileChannel.write} of one record then
 *       {@code force(false)} (fdatasync), again and again: the durable append without a log.
 *   <li>{@link #pipeline}: a log with {@link Durability#never()}: one producer keeps a window of
 *       appends outstanding, appending in chunks from tasks of its own (as records arriving from
 *       elsewhere would), so staging overlaps the write in flight.
 *   <li>{@link RawFileLoad#sequential}: one thread, {@code FileChannel.write} of one record after another,
 *       no force.
 * </ul>
 *
 * <p>Durable trials run for a time and report appends over the time from the first append to the
 * last completion; bulk trials write a fixed number of records and report the time until the last
 * write returned (Shardline: the last append's future completed, which under {@code never} means its
 * write returned), and separately the time to make it all durable after that (Shardline:
 * {@code log.close()}, whose last flush forces; raw: {@code force(false)} and close).
 */
final class StorageLoad {
    static final int PAYLOAD = 1024;
    static final int FRAMED = PAYLOAD + 8;
    /** Concurrent writers of the group-commit workload, each with one append outstanding. */
    static final int WRITERS = 64;
    /** The bulk producer appends at most this many records per task before it lets the loop poll. */
    static final int CHUNK = 256;
    /** Latencies above this (10 s) are recorded as this; the histogram never resizes mid-trial. */
    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(10);

    private StorageLoad() {
    }

    /**
     * One trial's outcome. {@code nanos}: first append to last completion (durable trials), or to the
     * last write's return (bulk trials); {@code finishNanos}: what making it durable and closing took
     * after that (bulk trials; 0 otherwise). {@code latency} is per append (durable trials; else null),
     * {@code stats} the log's counters and {@code backend} the loop's file I/O backend (its class: the
     * helper thread or the ring; Shardline, else null), and the CPU times those of the loop and
     * its I/O helper thread during the timed part (Shardline; -1 when unknown or not applicable).
     */
    record Result(long appends, long nanos, long finishNanos, Histogram latency, LogStats stats, boolean direct,
                  String backend, long loopCpuNanos, long ioCpuNanos) {
        double appendsPerSecond() {
            return appends * 1e9 / nanos;
        }

        /** Payload MB/s (10^6 bytes) until the last write returned. */
        double megabytesPerSecond() {
            return appends * (double) PAYLOAD * 1e3 / nanos;
        }

        /** Payload MB/s until everything was forced and closed. */
        double durableMegabytesPerSecond() {
            return appends * (double) PAYLOAD * 1e3 / (nanos + finishNanos);
        }

        /** Appends per write call (Shardline), NaN elsewhere. */
        double meanBatch() {
            return stats == null || stats.writes() == 0 ? Double.NaN : (double) stats.appends() / stats.writes();
        }

        double micros(double percentile) {
            return latency == null ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e3;
        }

        /** A thread's CPU time in % of the timed part, NaN when unknown. */
        double cpuPercent(long cpuNanos) {
            return cpuNanos < 0 ? Double.NaN : 100.0 * cpuNanos / nanos;
        }
    }

    /** The record the raw side writes: {@link #payload()} framed as the log frames it. */
    static ByteBuffer framedRecord(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocateDirect(FRAMED);
        b.putInt(payload.length);
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().flip());
        crc.update(payload);
        b.putInt((int) crc.getValue());
        b.put(payload);
        return b.flip();
    }

    /** The payload every append carries: random bytes from a fixed seed (nothing a device could compress). */
    static byte[] payload() {
        byte[] p = new byte[PAYLOAD];
        new Random(42).nextBytes(p);
        return p;
    }

    // ---------------------------------------------------------------- Shardline

    /** Opens a fresh log in {@code dir} on {@code loop}; from outside the loop. */
    static SegmentedLog open(Loop loop, Path dir, Durability durability) throws Exception {
        LogConfig config = LogConfig.builder(dir).durability(durability).build();
        return get(loop.callAsync(() -> SegmentedLog.open(config)), TimeUnit.SECONDS.toNanos(60));
    }

    /** {@value #WRITERS} writers append to an {@code always} log in {@code dir} for {@code nanos}. */
    static Result groupCommit(Loop loop, Path dir, long nanos, byte[] payload) throws Exception {
        Files.createDirectories(dir);
        SegmentedLog log = null;
        try {
            log = open(loop, dir, Durability.always());
            SegmentedLog l = log;
            boolean direct = loop.call(l::directIo).get(10, TimeUnit.SECONDS);
            String backend = backend(loop);
            LogStats before = loop.call(l::stats).get(10, TimeUnit.SECONDS);
            ThreadCpu cpu = new ThreadCpu(loop);
            GroupCommit trial = new GroupCommit(loop, l, ByteBuffer.wrap(payload), nanos);
            long[] timed = get(loop.callAsync(trial::begin), nanos + TimeUnit.SECONDS.toNanos(60));
            ThreadCpu used = cpu.since();
            LogStats after = loop.call(l::stats).get(10, TimeUnit.SECONDS);
            log = null;
            get(loop.callAsync(l::close), TimeUnit.SECONDS.toNanos(60));
            return new Result(timed[0], timed[1], 0, trial.latency, minus(after, before), direct, backend, used.loop,
                    used.io);
        } finally {
            closeQuietly(loop, log);
            deleteTree(dir);
        }
    }

    /** One {@code never} log in {@code dir}: a producer appends {@code records} records, window {@code window}. */
    static Result pipeline(Loop loop, Path dir, long records, int window, byte[] payload) throws Exception {
        Files.createDirectories(dir);
        SegmentedLog log = null;
        try {
            log = open(loop, dir, Durability.never());
            SegmentedLog l = log;
            boolean direct = loop.call(l::directIo).get(10, TimeUnit.SECONDS);
            String backend = backend(loop);
            LogStats before = loop.call(l::stats).get(10, TimeUnit.SECONDS);
            ThreadCpu cpu = new ThreadCpu(loop);
            Pipeline trial = new Pipeline(loop, l, ByteBuffer.wrap(payload), records, window);
            long nanos = get(loop.callAsync(trial::begin), bulkTimeoutNanos(records));
            ThreadCpu used = cpu.since();
            log = null;
            long closeStart = System.nanoTime();
            // close() flushes (fdatasync) what the never policy left unforced, then closes the files.
            get(loop.callAsync(l::close), TimeUnit.SECONDS.toNanos(60));
            long finish = System.nanoTime() - closeStart;
            // A closed log still reports its counters (plain fields, read on the loop).
            LogStats after = loop.call(l::stats).get(10, TimeUnit.SECONDS);
            return new Result(records, nanos, finish, null, minus(after, before), direct, backend, used.loop,
                    used.io);
        } finally {
            closeQuietly(loop, log);
            deleteTree(dir);
        }
    }

    /** The class of the file I/O backend the log opened on {@code loop} (it registers itself there), or "none". */
    private static String backend(Loop loop) {
        FileIo io = loop.service(FileIo.class);
        return io == null ? "none" : io.getClass().getSimpleName();
    }

    /** After a failed trial: closes its log, if it got that far, so no file stays open. */
    private static void closeQuietly(Loop loop, SegmentedLog log) {
        if (log == null) {
            return;
        }
        try {
            loop.callAsync(log::close).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the trial's own failure is the one to report
        }
    }

    private static LogStats minus(LogStats after, LogStats before) {
        return new LogStats(after.appends() - before.appends(), after.appendedBytes() - before.appendedBytes(),
                after.writes() - before.writes(), after.forces() - before.forces(), after.maxBatch(), after.segments(),
                after.syncedWrites() - before.syncedWrites());
    }

    /** The writers of {@link #groupCommit}; touched only on the loop. */
    private static final class GroupCommit {
        private final Loop loop;
        private final SegmentedLog log;
        private final ByteBuffer payload;
        private final long nanos;
        final Histogram latency = new Histogram(HIGHEST_NS, 3);
        private Promise<long[]> done;
        private long start;
        private long deadline;
        private long completed;
        private int stopped;

        GroupCommit(Loop loop, SegmentedLog log, ByteBuffer payload, long nanos) {
            this.loop = loop;
            this.log = log;
            this.payload = payload;
            this.nanos = nanos;
        }

        /** On the loop: starts every writer; the future gives {appends, nanos} once all have stopped. */
        Promise<long[]> begin() {
            done = new Promise<>(loop);
            start = System.nanoTime();
            deadline = start + nanos;
            for (int i = 0; i < WRITERS; i++) {
                new Writer().issue();
            }
            return done;
        }

        /** One logical writer: one append outstanding, the next issued from its completion. */
        private final class Writer implements BiConsumer<Long, Throwable> {
            private long issuedAt;

            void issue() {
                issuedAt = System.nanoTime();
                log.append(payload).whenComplete(this);
            }

            @Override
            public void accept(Long offset, Throwable failure) {
                if (failure != null) {
                    done.tryFail(failure);
                    return;
                }
                long now = System.nanoTime();
                latency.recordValue(Math.min(now - issuedAt, HIGHEST_NS));
                completed++;
                if (now - deadline < 0) {
                    issue();
                } else if (++stopped == WRITERS) {
                    done.trySucceed(new long[] {completed, now - start});
                }
            }
        }
    }

    /** The producer of {@link #pipeline}; touched only on the loop. */
    private static final class Pipeline implements Runnable, BiConsumer<Long, Throwable> {
        private final Loop loop;
        private final SegmentedLog log;
        private final ByteBuffer payload;
        private final long records;
        private final int window;
        private Promise<Long> done;
        private long start;
        private long issued;
        private long completed;
        private boolean scheduled;

        Pipeline(Loop loop, SegmentedLog log, ByteBuffer payload, long records, int window) {
            this.loop = loop;
            this.log = log;
            this.payload = payload;
            this.records = records;
            this.window = window;
        }

        /** On the loop: starts producing; the future gives the nanos until the last append completed. */
        Promise<Long> begin() {
            done = new Promise<>(loop);
            start = System.nanoTime();
            run();
            return done;
        }

        /** A chunk of appends, as far as the window allows; more come from the next task. */
        @Override
        public void run() {
            scheduled = false;
            int n = 0;
            while (n < CHUNK && issued < records && issued - completed < window && !done.isDone()) {
                issued++;
                n++;
                log.append(payload).whenComplete(this);
            }
            maybeSchedule();
        }

        private void maybeSchedule() {
            if (!scheduled && issued < records && issued - completed < window && !done.isDone()) {
                scheduled = true;
                loop.execute(this);
            }
        }

        @Override
        public void accept(Long offset, Throwable failure) {
            if (failure != null) {
                done.tryFail(failure);
                return;
            }
            if (++completed == records) {
                done.trySucceed(System.nanoTime() - start);
            } else {
                maybeSchedule();
            }
        }
    }

    /** CPU time of the loop's thread and its I/O helper thread, from Linux's schedstat. */
    private record ThreadCpu(long loop, long io, String loopName) {
        ThreadCpu(Loop loop) {
            this(cpu(loop.name()), cpu(loop.name() + "-io"), loop.name());
        }

        ThreadCpu since() {
            long l = cpu(loopName);
            long i = cpu(loopName + "-io");
            return new ThreadCpu(l < 0 || loop < 0 ? -1 : l - loop, i < 0 || io < 0 ? -1 : i - io, loopName);
        }

        private static long cpu(String thread) {
            return CpuUse.onCpuNanos(thread);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** How long a caller waits for a bulk trial before it gives up on a hung run: a floor of 5 MB/s. */
    static long bulkTimeoutNanos(long records) {
        return TimeUnit.SECONDS.toNanos(60) + records * FRAMED * 200L;
    }

    private static <T> T get(CompletableFuture<T> f, long timeoutNanos) throws Exception {
        try {
            return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Deletes {@code dir} and everything under it, if it exists. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
