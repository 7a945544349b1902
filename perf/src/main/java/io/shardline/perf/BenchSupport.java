package io.shardline.perf;

import io.shardline.core.Loop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.DataFormatException;
import net.openhft.affinity.Affinity;
import org.HdrHistogram.Histogram;

/** Helpers shared by the benchmark suites and JMH states; stateless, any thread. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** A suite's body, run with its servers up; gives the exit code. */
    interface Body {
        int run() throws Exception;
    }

    /**
     * Runs {@code body}, then stops {@code servers} (for good: none starts after) and deletes {@code dir}; on
     * Ctrl-C a shutdown hook does the same, so no server outlives the suite and no data stays behind.
     */
    static int withCleanup(Path dir, java.util.function.Consumer<Boolean> servers, Body body) throws Exception {
        Thread cleanup = Thread.ofPlatform().unstarted(() -> {
            servers.accept(true);
            try {
                StorageLoad.deleteTree(dir);
            } catch (java.io.IOException ignored) {
                // best effort on the way out
            }
        });
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            return body.run();
        } finally {
            servers.accept(false);
            StorageLoad.deleteTree(dir);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** Daemon threads, so a benchmark that fails before its tear-down cannot keep a fork alive. */
    static ThreadFactory daemonThreads(String name) {
        return Thread.ofPlatform().name(name).daemon(true).factory();
    }

    /**
     * Daemon threads that pin themselves to {@code cpu} as they start (OpenHFT Affinity, as the shard
     * runtime pins its shards), so a JDK reference runs on the same CPUs as the shards it is compared
     * with. A thread that cannot pin runs unpinned and leaves the reason in {@code failure}.
     */
    static ThreadFactory pinnedDaemonThreads(String name, int cpu, AtomicReference<String> failure) {
        return body -> Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
            String why = pin(cpu);
            if (why != null) {
                failure.compareAndSet(null, name + " not pinned to CPU " + cpu + ": " + why);
            }
            body.run();
        });
    }

    /** Pins the calling thread to {@code cpu}; null on success, else why not. */
    static String pin(int cpu) {
        try {
            Affinity.setAffinity(cpu);
            BitSet mask = Affinity.getAffinity();
            return mask.cardinality() == 1 && mask.get(cpu) ? null : "affinity mask is " + mask;
        } catch (Throwable t) {
            return t.toString();
        }
    }

    static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(executor + " did not stop within 10 s");
        }
    }

    /**
     * A hand-driven loop is bound to the thread that first ran it; JMH runs every iteration of a
     * thread-scoped state on the same worker thread, and this makes sure of it (without -ea the
     * loop's own owner checks are off, and a foreign thread would silently take the slow path).
     */
    static void requireLoopThread(Loop loop) {
        if (loop.thread() != Thread.currentThread()) {
            throw new IllegalStateException("benchmark iteration runs on thread '" + Thread.currentThread().getName()
                    + "' but the hand-driven loop is bound to " + loop.thread());
        }
    }

    /** {@code h} as one token for a line of text, for a child JVM reporting to its suite: its compressed form in Base64. */
    static String encodeHistogram(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** The histogram {@link #encodeHistogram} wrote; {@code from} names the writer in the error if it is unreadable. */
    static Histogram decodeHistogram(String token, String from) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(token)), 0);
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable histogram from " + from, e);
        }
    }

    /**
     * Starts {@code java <flags> -cp <this class path> <main> <args>} (after {@code prefix}, such as
     * taskset) with the same JDK, its stderr inherited, and kills it if it still runs after
     * {@code limitMillis}: children stop by themselves, the limit only ends one that hangs.
     */
    static Process startJava(List<String> prefix, List<String> flags, Class<?> main, List<String> args,
                             long limitMillis) throws IOException {
        return startJava(prefix, flags, main, args, limitMillis, ProcessBuilder.Redirect.INHERIT);
    }

    /** As {@link #startJava(List, List, Class, List, long)}, its stderr sent to {@code stderr}. */
    static Process startJava(List<String> prefix, List<String> flags, Class<?> main, List<String> args,
                             long limitMillis, ProcessBuilder.Redirect stderr) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(stderr).start();
        // A child that hangs would keep its parent reading its output forever.
        p.onExit().orTimeout(limitMillis, TimeUnit.MILLISECONDS).exceptionally(timedOut -> p.destroyForcibly());
        return p;
    }
}
