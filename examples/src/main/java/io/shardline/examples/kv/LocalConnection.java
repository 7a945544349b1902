package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.net.Connection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A {@link Connection} with no socket, for driving a {@link KvConnection} in-process: it counts the
 * bytes written and may keep the last write. Owned by the shard it was made on; not thread-safe.
 */
final class LocalConnection implements Connection {
    private static final SocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 0);
    private final Loop loop;
    private final Promise<Void> closed;
    private boolean open = true;
    long bytesWritten;
    long writes;
    /** When set, every byte written is kept here too (for tests that read the replies). */
    java.io.ByteArrayOutputStream captured;
    /** When set, runs after every write on the shard (tests count down a latch here instead of polling). */
    Runnable afterWrite;

    LocalConnection(Loop loop) {
        this.loop = loop;
        this.closed = new Promise<>(loop);
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

    /** Takes every byte at once, as a socket with room would. */
    @Override
    public boolean write(ByteBuffer data) {
        if (!open) {
            return false;
        }
        bytesWritten += data.remaining();
        writes++;
        if (captured != null) {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            captured.writeBytes(copy);
        }
        data.position(data.limit());
        if (afterWrite != null) {
            afterWrite.run();
        }
        return true;
    }

    @Override
    public boolean isWritable() {
        return open;
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    @Override
    public void pauseReading() {
    }

    @Override
    public void resumeReading() {
    }

    @Override
    public void shutdownOutput() {
    }

    @Override
    public Future<Void> close() {
        open = false;
        closed.trySucceed(null);
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
