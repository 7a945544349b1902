package io.shardline.net;

import io.shardline.core.Parker;
import io.shardline.shard.ShardRuntime;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Helpers for the net tests: bounded waits without sleeping, loopback sockets with a hang guard, a
 * deterministic byte pattern and small handlers. Stateless; any thread.
 */
final class NetTestSupport {
    /** How long any wait may take before the test fails; a hang guard, never a timing assertion. */
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final InetAddress LOCALHOST;
    static final InetSocketAddress ANY_PORT;
    /** The transport's read buffer: one read hands a handler at most this many bytes. */
    static final int READ_BUFFER = 64 * 1024;

    static {
        try {
            LOCALHOST = InetAddress.getByName("127.0.0.1");
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
        ANY_PORT = new InetSocketAddress(LOCALHOST, 0);
    }

    private NetTestSupport() {
    }

    /** The transport this run of the suite tests ({@code -Dshardline.net.transport}), for loops a test builds itself. */
    static Supplier<Parker> transport() {
        return "io_uring".equals(Net.transportName()) ? IoUringTransport::new : NioTransport::new;
    }

    static ShardRuntime runtime(int shards) {
        return Net.install(ShardRuntime.builder().shards(shards)).start();
    }

    static TcpServer echoServer(ShardRuntime rt, ServerOptions options) {
        return TcpServer.start(rt, ANY_PORT, options, EchoHandler::new);
    }

    static InetSocketAddress local(int port) {
        return new InetSocketAddress(LOCALHOST, port);
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("future failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("future did not complete in " + PATIENCE, e);
        }
    }

    static Throwable failureOf(CompletableFuture<?> f) {
        Object value;
        try {
            value = f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e; // a CompletableFuture failed with a cancellation throws it as is
        } catch (Exception e) {
            throw new AssertionError("future did not complete in " + PATIENCE, e);
        }
        throw new AssertionError("future succeeded with " + value + ", expected a failure");
    }

    /** Spins (yielding) until {@code condition} holds; fails after {@link #PATIENCE}. */
    static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.yield();
        }
    }

    /** Connections open on {@code shard}'s transport now (a volatile read, any thread). */
    static int connections(ShardRuntime rt, int shard) {
        return Transport.of(rt.shard(shard).loop()).connectionCount();
    }

    static int totalConnections(ShardRuntime rt) {
        int n = 0;
        for (int i = 0; i < rt.shards(); i++) {
            n += connections(rt, i);
        }
        return n;
    }

    /** Runs {@code fn} on the connection's loop and waits for its result. */
    static <T> T onLoop(Connection c, Callable<T> fn) {
        return get(c.loop().call(fn));
    }

    /** A blocking loopback client; {@code receiveBuffer > 0} shrinks its receive buffer before connecting. */
    static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) PATIENCE.toMillis()); // hang guard only
            s.connect(local(port), (int) PATIENCE.toMillis());
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static Socket connect(int port) throws IOException {
        return connect(port, -1);
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("stream ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    // ---------------------------------------------------------------- data

    /** The pattern repeats with this prime period, so any shift, loss or duplicate short of it shows. */
    private static final int PATTERN_PERIOD = 999_983;
    private static final byte[] PATTERN = randomBytes(new Random(0xC0FFEE), PATTERN_PERIOD);

    /** Byte {@code i} of an endless test stream. */
    static byte pattern(long i) {
        return PATTERN[(int) (i % PATTERN_PERIOD)];
    }

    /** Bytes {@code [from, from + len)} of the pattern stream, in a heap or direct buffer. */
    static ByteBuffer patternChunk(long from, int len, boolean direct) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(len) : ByteBuffer.allocate(len);
        long at = from;
        while (b.hasRemaining()) {
            int off = (int) (at % PATTERN_PERIOD);
            int k = Math.min(b.remaining(), PATTERN_PERIOD - off);
            b.put(PATTERN, off, k);
            at += k;
        }
        return b.flip();
    }

    static byte[] randomBytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    /** How a read-until-the-end went: bytes read, whether they matched the pattern, and any error. */
    record Drained(long bytes, long firstMismatch, IOException error) {
        boolean intact() {
            return firstMismatch < 0;
        }
    }

    /**
     * Reads until end of stream or an error, checking every byte against {@link #pattern} starting
     * at stream offset 0, {@code chunk} bytes per read at most.
     */
    static Drained drainPattern(InputStream in, int chunk) {
        byte[] buf = new byte[chunk];
        long total = 0;
        long mismatch = -1;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n && mismatch < 0; i++) {
                    if (buf[i] != pattern(total + i)) {
                        mismatch = total + i;
                    }
                }
                total += n;
            }
            return new Drained(total, mismatch, null);
        } catch (IOException e) {
            return new Drained(total, mismatch, e);
        }
    }

    // ---------------------------------------------------------------- handlers

    /** Reads and drops everything; records its lifecycle for the test thread. */
    static class Recorder implements ConnectionHandler {
        final CompletableFuture<Connection> opened = new CompletableFuture<>();
        /** Completes with the close cause, null for a graceful close. */
        final CompletableFuture<Throwable> closed = new CompletableFuture<>();
        final CompletableFuture<Void> inputClosed = new CompletableFuture<>();
        volatile int openedOnShard = -1;

        @Override
        public void onOpen(Connection c) {
            io.shardline.shard.Shard s = io.shardline.shard.Shard.current();
            openedOnShard = s == null ? -1 : s.id();
            opened.complete(c);
        }

        @Override
        public void onData(Connection c, ByteBuffer data) {
            data.position(data.limit());
        }

        @Override
        public void onInputClosed(Connection c) {
            inputClosed.complete(null);
            c.close();
        }

        @Override
        public void onClosed(Connection c, Throwable cause) {
            closed.complete(cause);
        }
    }
}
