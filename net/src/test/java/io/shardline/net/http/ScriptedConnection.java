package io.shardline.net.http;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.net.Connection;
import io.shardline.net.ConnectionHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * A {@link Connection} with no socket whose writability and input the test scripts, for driving an
 * HTTP connection handler step by step. Owned by the loop it was made on; not thread-safe.
 *
 * <p>It keeps the transports' contracts that flow control depends on: input fed while reading is paused
 * is held and delivered, in order, on resume; a writability change is told to the handler, from inside
 * a write when {@link #duringWrite} says so (as io_uring's write-through does).
 */
final class ScriptedConnection implements Connection {
    private static final SocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 9);
    private final Loop loop;
    private final ConnectionHandler handler;
    private final Promise<Void> closed;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private boolean open = true;
    private boolean writable = true;
    private boolean paused;
    /** When set, runs inside every write, after its bytes are taken (a test may change writability there). */
    Runnable duringWrite;

    ScriptedConnection(Loop loop, ConnectionHandler handler) {
        this.loop = loop;
        this.handler = handler;
        this.closed = new Promise<>(loop);
        handler.onOpen(this);
    }

    /** The peer sends {@code text}: delivered now, or on resume while reading is paused. */
    void feed(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        if (paused || !held.isEmpty()) {
            held.add(b);
        } else {
            handler.onData(this, ByteBuffer.wrap(b));
        }
    }

    /** The write queue crosses a watermark: the handler is told, as the transports tell it. */
    void writable(boolean w) {
        if (writable != w) {
            writable = w;
            handler.onWritabilityChanged(this, w);
        }
    }

    /** Everything written so far, and forgets it. */
    String takeWritten() {
        String s = written.toString(StandardCharsets.ISO_8859_1);
        written.reset();
        return s;
    }

    boolean readingPaused() {
        return paused;
    }

    int heldInputs() {
        return held.size();
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public SocketAddress remoteAddress() {
        return ADDRESS;
    }

    @Override
    public SocketAddress localAddress() {
        return ADDRESS;
    }

    @Override
    public boolean write(ByteBuffer data) {
        if (!open) {
            return false;
        }
        byte[] b = new byte[data.remaining()];
        data.get(b);
        written.writeBytes(b);
        if (duringWrite != null) {
            duringWrite.run();
        }
        return true;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        paused = false;
        while (!paused && open && !held.isEmpty()) {
            handler.onData(this, ByteBuffer.wrap(held.poll()));
        }
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public Future<Void> close() {
        if (open) {
            open = false;
            handler.onClosed(this, null);
            closed.trySucceed(null);
        }
        return closed;
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public Future<Void> closeFuture() {
        return closed;
    }
}
