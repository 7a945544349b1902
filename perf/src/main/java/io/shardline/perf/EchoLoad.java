package io.shardline.perf;

import io.shardline.core.Loop;
import io.shardline.core.RunQueueTime;
import io.shardline.core.ring.Ring;
import io.shardline.net.Connection;
import io.shardline.net.ConnectionHandler;
import io.shardline.net.ConnectionOptions;
import io.shardline.net.Net;
import io.shardline.net.Transport;
import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The {@code echo} suite's load generator, run by {@link EchoSuite} as a process of its own so it
 * shares no JVM (no GC, no JIT, no safepoints) with the server it measures. The same code drives
 * every server: one Shardline loop on one thread (a one-shard runtime), a client {@link Connection}
 * per connection, on the transport {@code -Dshardline.net.transport} selects (io_uring where the
 * kernel allows it, by default), which its result line names.
 *
 * <p>Why a Shardline client on io_uring: the generator must outrun the server, or the suite measures
 * the generator. A plain NIO client (one read and one write system call per request) was the
 * bottleneck on 2 CPUs: 1 us of extra work per request in the server did not change the rate. On
 * io_uring the loop submits a pass's sends and receives in one system call.
 *
 * <p>{@code -D}{@value #PARK_BATCH_PROPERTY}{@code =N} (N > 1, io_uring only) makes the generator, once
 * it has caught up, sleep until N echoes are in ({@link Ring#parkForBatch}, {@code BATCH_WAIT_NANOS} at
 * most) instead of until the first: each wake-up is a cross-CPU interrupt (in a VM, an exit to the
 * hypervisor) that the server's send pays for and the generator too, so waking once per batch could
 * make both cheaper per request and give the generator more echoes, and sends, per system call; the
 * batch delays only when the generator looks at echoes that already came back, in every server's round
 * trips alike. Off by default: on a shared, busy 2-CPU machine N = 8 measured no better than 1 (the
 * servers got less CPU, not more), and a quiet machine to settle it was not to be had.
 * {@code N = connections / }{@value #CONNECTIONS_PER_WAKE} is the size to try first.
 *
 * <p>Closed loop: each of the {@code connections} connections sends a {@code payload}-byte request,
 * waits for all of it to come back, checks it byte for byte (the first 8 bytes carry a sequence
 * number), records the round trip in an HdrHistogram (ns), and sends the next; one request in flight
 * per connection. Requests that complete during the warm-up are not recorded. A closed loop has no
 * coordinated-omission correction to make: a slow response delays that connection's next request,
 * and the slow one itself is recorded.
 *
 * <p>Usage: {@code EchoLoad <port> <connections> <payload bytes> <warm-up ms> <measure ms>} against
 * 127.0.0.1. Prints {@code measuring} when the warm-up ends, then one line
 * {@code result transport=<class> requests=<n> nanos=<measured ns> cpu=<ns> waited=<ns> passes=<n>
 * histogram=<base64 of the compressed histogram>}, where {@code transport} is the class of the
 * transport the loop ran on, {@code passes} counts the loop's passes in which echoes completed (how
 * batched the echoes arrive), and {@code cpu} is the loop thread's time on a CPU and {@code waited}
 * its time on the run queue (its CPU taken by something else) during the measurement (both -1 where
 * the kernel does not tell), and exits 0; any error (a refused or closed connection, a wrong echo) prints it to stderr and
 * exits 1. Stops by itself at the end of the measurement.
 */
public final class EchoLoad {
    static final String MEASURING = "measuring";
    static final String RESULT = "result ";
    /** The smallest payload: the sequence number. */
    static final int MIN_PAYLOAD = Long.BYTES;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A batched sleep's first size to try: one echo per this many connections (50: 8 echoes)... */
    static final int CONNECTIONS_PER_WAKE = 6;
    /** ...and how long it waits at most before it takes what has come. */
    static final long BATCH_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** The echoes a sleep waits for; 1 (the default) wakes at the first one, as a loop does. */
    static final String PARK_BATCH_PROPERTY = "shardline.perf.echo.parkBatch";

    private final Histogram histogram = new Histogram(3);
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final int payload;
    private Loop loop;
    /** The class of the transport the generator's loop runs on. */
    private String transport;
    private boolean recording;
    private long completed;
    private boolean echoedThisPass;
    private long busyPasses;

    private EchoLoad(int payload) {
        this.payload = payload;
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            if (args.length != 5) {
                throw new IllegalArgumentException(
                        "usage: EchoLoad <port> <connections> <payload bytes> <warm-up ms> <measure ms>");
            }
            int port = Integer.parseInt(args[0]);
            int connections = Integer.parseInt(args[1]);
            int payload = Integer.parseInt(args[2]);
            long warmupNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
            long measureNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[4]));
            if (connections < 1 || payload < MIN_PAYLOAD || warmupNanos < 0 || measureNanos <= 0) {
                throw new IllegalArgumentException("need connections >= 1, payload >= " + MIN_PAYLOAD
                        + ", warm-up >= 0 and measure > 0 ms; got " + String.join(" ", args));
            }
            new EchoLoad(payload).run(out, new InetSocketAddress("127.0.0.1", port), connections,
                    warmupNanos, measureNanos);
            System.exit(0);
        } catch (Throwable t) {
            System.err.println("echo load generator failed: " + t);
            t.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private void run(PrintStream out, InetSocketAddress server, int connections, long warmupNanos,
                     long measureNanos) throws Exception {
        // One shard, on the transport the runtime picks (-Dshardline.net.transport, as for the servers). No
        // spin: with nothing to read the generator sleeps in the kernel, as wrk and redis-benchmark do, and
        // wakes to the echoes that arrived meanwhile (or to a batch of them: see the class comment).
        ShardRuntime rt = Net.install(ShardRuntime.builder().shards(1).pin(false).loop(c -> c.spin(Duration.ZERO)))
                .start();
        try {
            loop = rt.shard(0).loop();
            int batch = Integer.getInteger(PARK_BATCH_PROPERTY, 1);
            loop.call(() -> {
                loop.register(this::countPass);
                Ring ring = Ring.of(loop);
                if (ring != null && batch > 1) {
                    ring.parkForBatch(batch, BATCH_WAIT_NANOS);
                }
                return null;
            }).get();
            transport = Transport.of(loop).getClass().getSimpleName();
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Client c = new Client(i);
                clients.add(c);
                loop.callAsync(() -> Transport.of(loop).connect(server, CONNECT_TIMEOUT, ConnectionOptions.DEFAULT, c))
                        .get(CONNECT_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            }
            loop.call(() -> {
                long now = System.nanoTime();
                for (Client c : clients) {
                    c.send(now);
                }
                loop.schedule(Duration.ofNanos(warmupNanos), () -> measure(out, clients, measureNanos));
                return null;
            }).get();
            long patience = TimeUnit.NANOSECONDS.toMillis(warmupNanos + measureNanos) + 60_000;
            out.println(result.get(patience, TimeUnit.MILLISECONDS));
            out.flush();
        } finally {
            rt.close();
        }
    }

    /** A poll source the loop calls once per pass: counts the passes in which echoes completed. */
    private int countPass() {
        if (echoedThisPass) {
            echoedThisPass = false;
            busyPasses++;
        }
        return 0;
    }

    /** On the loop: the warm-up is over; record for {@code measureNanos}, then report. */
    private void measure(PrintStream out, List<Client> clients, long measureNanos) {
        histogram.reset();
        completed = 0;
        recording = true;
        long start = System.nanoTime();
        long passesAtStart = busyPasses;
        RunQueueTime.Sample atStart = CpuUse.self();
        out.println(MEASURING);
        out.flush();
        loop.schedule(Duration.ofNanos(measureNanos), () -> {
            recording = false;
            long measured = System.nanoTime() - start;
            RunQueueTime.Sample sched = CpuUse.self().since(atStart);
            long passes = busyPasses - passesAtStart;
            for (Client c : clients) {
                c.finished = true;
                c.connection.close();
            }
            result.complete(RESULT + "transport=" + transport + " requests=" + completed + " nanos=" + measured
                    + " cpu=" + sched.onCpuNanos() + " waited=" + sched.runQueueNanos() + " passes=" + passes + " histogram="
                    + BenchSupport.encodeHistogram(histogram));
        });
    }

    /** One client connection: its request (kept to compare the echo with) and the echo being read. Owned by the loop. */
    private final class Client implements ConnectionHandler {
        private final ByteBuffer request;
        private final byte[] expected;
        private final byte[] echo;
        private int received;
        Connection connection;
        long seq;
        long sentNanos;
        boolean finished;

        Client(int id) {
            this.request = ByteBuffer.allocate(payload);
            this.expected = request.array();
            this.echo = new byte[payload];
            for (int i = MIN_PAYLOAD; i < payload; i++) {
                expected[i] = (byte) (id + i);
            }
        }

        @Override
        public void onOpen(Connection c) {
            connection = c;
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            int n = data.remaining();
            if (received + n > payload) {
                fail(new IOException("more bytes came back than request " + seq + " had"));
                return;
            }
            data.get(echo, received, n);
            received += n;
            if (received < payload) {
                return;
            }
            long now = System.nanoTime();
            received = 0;
            if (!Arrays.equals(echo, expected)) {
                fail(new IOException("wrong echo for request " + seq + ": differs at byte " + Arrays.mismatch(echo, expected)));
                return;
            }
            if (recording) {
                histogram.recordValue(now - sentNanos);
                completed++;
                echoedThisPass = true;
            }
            send(now);
        }

        void send(long now) {
            seq++;
            request.clear();
            request.putLong(0, seq);
            sentNanos = now;
            connection.write(request);
        }

        @Override
        public void onInputClosed(Connection c) {
            onClosed(c, null);
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            if (!finished) {
                fail(new IOException("the server closed a connection after " + seq + " requests on it"
                        + (cause != null ? ": " + cause : ""), cause));
            }
        }

        private void fail(IOException e) {
            finished = true;
            result.completeExceptionally(e);
        }
    }
}
