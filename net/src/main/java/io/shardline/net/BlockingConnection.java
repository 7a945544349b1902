package io.shardline.net;

import io.shardline.core.Await;
import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Blocking-style access to a connection, for code in a virtual thread confined to the connection's
 * loop ({@link Loop#spawnThread}). Owned by that loop; {@link #read} and {@link #write} park the
 * calling virtual thread, never the loop.
 *
 * <p>It is the connection's handler: inbound bytes are copied into a queue the reader drains, and
 * reading from the socket pauses while more than {@code maxBuffered} bytes wait, so a reader that
 * falls behind pushes back on the peer instead of growing memory.
 */
public final class BlockingConnection implements ConnectionHandler {
    private static final int DEFAULT_MAX_BUFFERED = 256 * 1024;

    private final ArrayDeque<ByteBuffer> inbound = new ArrayDeque<>();
    private final int maxBuffered;
    private final Consumer<BlockingConnection> body;
    private Connection connection;
    private int buffered;
    private boolean eof;
    private Throwable closedCause;
    private boolean closed;
    private Promise<Void> readWaiter;
    private Promise<Void> writeWaiter;

    private BlockingConnection(int maxBuffered, Consumer<BlockingConnection> body) {
        this.maxBuffered = maxBuffered;
        this.body = body;
    }

    /**
     * A handler for a server: each accepted connection runs {@code body} in its own confined virtual
     * thread and is closed when the body returns.
     */
    public static BlockingConnection serving(Consumer<BlockingConnection> body) {
        return new BlockingConnection(DEFAULT_MAX_BUFFERED, body);
    }

    /** Connects from the current loop (call it in a confined virtual thread or a task) and wraps the result. */
    public static Future<BlockingConnection> connect(InetSocketAddress address, Duration timeout) {
        BlockingConnection b = new BlockingConnection(DEFAULT_MAX_BUFFERED, null);
        return Net.transport().connect(address, timeout, ConnectionOptions.DEFAULT, b).map(c -> b);
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        if (body != null) {
            c.loop().spawnThread(() -> {
                try {
                    body.accept(this);
                } finally {
                    c.close();
                }
            });
        }
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        inbound.addLast(copy);
        buffered += copy.remaining();
        if (buffered > maxBuffered) {
            c.pauseReading();
        }
        wake(true);
    }

    @Override
    public void onInputClosed(Connection c) {
        eof = true;
        wake(true);
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable) {
            wake(false);
        }
    }

    @Override
    public void onClosed(Connection c, Throwable cause) {
        closed = true;
        closedCause = cause;
        wake(true);
        wake(false);
    }

    private void wake(boolean reader) {
        Promise<Void> p = reader ? readWaiter : writeWaiter;
        if (p != null) {
            if (reader) {
                readWaiter = null;
            } else {
                writeWaiter = null;
            }
            p.trySucceed(null);
        }
    }

    /**
     * Reads into {@code dst}, parking until at least one byte is there; returns the count, or -1 once
     * the peer has shut down its output and everything before was read.
     *
     * @throws IOException if the connection closed abnormally
     */
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (inbound.isEmpty()) {
            if (eof || closed) {
                if (closedCause != null) {
                    throw new IOException("connection closed: " + closedCause, closedCause);
                }
                return -1;
            }
            readWaiter = new Promise<>(connection.loop());
            Await.await(readWaiter);
        }
        int n = 0;
        while (dst.hasRemaining() && !inbound.isEmpty()) {
            ByteBuffer head = inbound.peekFirst();
            int k = Math.min(head.remaining(), dst.remaining());
            dst.put(dst.position(), head, head.position(), k);
            dst.position(dst.position() + k);
            head.position(head.position() + k);
            n += k;
            if (!head.hasRemaining()) {
                inbound.pollFirst();
            }
        }
        buffered -= n;
        if (buffered <= maxBuffered / 2 && !closed) {
            connection.resumeReading();
        }
        return n;
    }

    /** Reads exactly {@code dst.remaining()} bytes, or throws {@link java.io.EOFException}. */
    public void readFully(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (read(dst) < 0) {
                throw new java.io.EOFException("connection ended with " + dst.remaining() + " bytes still expected");
            }
        }
    }

    /** Writes all of {@code src}, parking while the connection is over its high watermark. */
    public void write(ByteBuffer src) throws IOException {
        while (!closed && !connection.isWritable()) {
            writeWaiter = new Promise<>(connection.loop());
            Await.await(writeWaiter);
        }
        if (closed || !connection.write(src)) {
            throw new IOException("connection closed" + (closedCause != null ? ": " + closedCause : ""), closedCause);
        }
    }

    /** Half-closes: the peer reads end-of-stream after what was written. */
    public void shutdownOutput() {
        connection.shutdownOutput();
    }

    /** Closes gracefully and parks until it is closed. */
    public void close() {
        Await.await(connection.close().handle((v, e) -> null));
    }

    /** The underlying connection, for its addresses and options. */
    public Connection connection() {
        return connection;
    }
}
