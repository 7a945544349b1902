package io.shardline.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The {@code echo} suite's load generator, run by {@link EchoSuite} as a process of its own so it
 * shares no JVM (no GC, no JIT, no safepoints) with the server it measures. One thread, one NIO
 * selector, the same code for every server.
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
 * {@code result requests=<n> nanos=<measured ns> cpu=<ns> waited=<ns> selects=<n> histogram=<base64 of
 * the compressed histogram>}, where {@code selects} counts this thread's selector waits (how batched
 * the echoes arrive), and {@code cpu} is this thread's time on a CPU and {@code waited} its time on the run
 * queue (its CPU taken by something else) during the measurement (both -1 where the kernel does not
 * tell), and exits 0; any error (a refused or closed connection, a wrong echo) prints it to stderr and exits 1.
 * Stops by itself at the end of the measurement.
 */
public final class EchoLoad {
    static final String MEASURING = "measuring";
    static final String RESULT = "result ";
    /** The smallest payload: the sequence number. */
    static final int MIN_PAYLOAD = Long.BYTES;
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final long SELECT_TIMEOUT_MS = 10;

    /** One client connection: its request (kept to compare the echo with) and the echo being read. */
    private static final class Client {
        final SocketChannel channel;
        final ByteBuffer request;
        final ByteBuffer echo;
        SelectionKey key;
        long seq;
        long sentNanos;

        Client(SocketChannel channel, int payload, int id) {
            this.channel = channel;
            this.request = ByteBuffer.allocateDirect(payload);
            this.echo = ByteBuffer.allocateDirect(payload);
            for (int i = MIN_PAYLOAD; i < payload; i++) {
                request.put(i, (byte) (id + i));
            }
        }
    }

    private final Histogram histogram = new Histogram(3);
    private boolean recording;
    private long completed;
    private long selects;

    private EchoLoad() {
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
            new EchoLoad().run(out, new InetSocketAddress("127.0.0.1", port), connections, payload,
                    warmupNanos, measureNanos);
            System.exit(0);
        } catch (Throwable t) {
            System.err.println("echo load generator failed: " + t);
            t.printStackTrace(System.err);
            System.exit(1);
        }
    }

    private void run(PrintStream out, InetSocketAddress server, int connections, int payload, long warmupNanos,
                     long measureNanos) throws IOException {
        Client[] clients = new Client[connections];
        try (Selector selector = Selector.open()) {
            try {
                for (int i = 0; i < connections; i++) {
                    SocketChannel ch = SocketChannel.open();
                    clients[i] = new Client(ch, payload, i);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.socket().connect(server, CONNECT_TIMEOUT_MS);
                    ch.configureBlocking(false);
                    clients[i].key = ch.register(selector, SelectionKey.OP_READ, clients[i]);
                }
                SchedStat atStart = SchedStat.UNKNOWN;
                long start = System.nanoTime();
                long measureStart = start + warmupNanos;
                long end = measureStart + measureNanos;
                for (Client c : clients) {
                    send(c, System.nanoTime());
                }
                long now = start;
                while (now < end) {
                    if (!recording && now >= measureStart) {
                        histogram.reset();
                        completed = 0;
                        selects = 0;
                        recording = true;
                        measureStart = now;
                        atStart = SchedStat.self();
                        out.println(MEASURING);
                        out.flush();
                    }
                    selector.select(this::ready, SELECT_TIMEOUT_MS);
                    selects++;
                    now = System.nanoTime();
                }
                long measured = now - measureStart;
                SchedStat sched = SchedStat.self().since(atStart);
                recording = false;
                ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
                int length = histogram.encodeIntoCompressedByteBuffer(encoded);
                out.println(RESULT + "requests=" + completed + " nanos=" + measured + " cpu=" + sched.onCpuNanos()
                        + " waited=" + sched.runQueueNanos() + " selects=" + selects + " histogram="
                        + Base64.getEncoder().encodeToString(Arrays.copyOf(encoded.array(), length)));
                out.flush();
            } finally {
                for (Client c : clients) {
                    if (c != null) {
                        c.channel.close();
                    }
                }
            }
        }
    }

    private void ready(SelectionKey key) {
        Client c = (Client) key.attachment();
        try {
            if (key.isWritable()) {
                writeRest(c);
            }
            if (key.isReadable()) {
                read(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a connection failed at its request " + c.seq + ": " + e, e);
        }
    }

    private void read(Client c) throws IOException {
        int n = c.channel.read(c.echo);
        if (n < 0) {
            throw new IOException("the server closed a connection (after " + c.seq + " requests on it)");
        }
        if (c.echo.hasRemaining()) {
            return;
        }
        long now = System.nanoTime();
        c.echo.flip();
        c.request.clear();
        if (!c.echo.equals(c.request)) {
            throw new IOException("wrong echo for request " + c.seq + ": got " + c.echo + " differing at byte "
                    + c.echo.mismatch(c.request));
        }
        if (recording) {
            histogram.recordValue(now - c.sentNanos);
            completed++;
        }
        c.echo.clear();
        send(c, now);
    }

    private void send(Client c, long now) throws IOException {
        c.seq++;
        c.request.clear();
        c.request.putLong(0, c.seq);
        c.sentNanos = now;
        c.channel.write(c.request);
        if (c.request.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void writeRest(Client c) throws IOException {
        c.channel.write(c.request);
        if (!c.request.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }
}
