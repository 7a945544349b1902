package io.shardline.net.http;

import java.nio.ByteBuffer;

/**
 * The {@link BodySink} of one outgoing message: frames the parts it is given and tells its owner when
 * the body is done. Owned by the connection's shard; not thread-safe. One per message, as a producer
 * may hold on to its sink.
 */
final class BodyWriter implements BodySink {
    /** Framing: chunked, exactly {@code length} bytes, raw until close, or dropped (HEAD, 204, 304). */
    enum Mode { CHUNKED, LENGTH, RAW, DISCARD }

    /** Told once when the body ends (or is aborted). */
    interface Owner {
        void bodyDone(BodyWriter writer, Throwable failure);
    }

    private static final byte[] LAST_CHUNK = {'0', '\r', '\n'};
    private final Outbound out;
    private final Mode mode;
    private final long length;
    private final Owner owner;
    private long written;
    private boolean done;
    private boolean aborted;
    private Runnable waiter;

    BodyWriter(Outbound out, Mode mode, long length, Owner owner) {
        this.out = out;
        this.mode = mode;
        this.length = length;
        this.owner = owner;
    }

    @Override
    public boolean write(ByteBuffer part) {
        if (done) {
            if (aborted) {
                part.position(part.limit()); // the connection is gone: a producer finds out from isWritable
                return false;
            }
            throw new IllegalStateException("body already ended");
        }
        int n = part.remaining();
        if (n == 0) {
            return isWritable();
        }
        switch (mode) {
            case DISCARD -> {
                part.position(part.limit());
                written += n;
                return true;
            }
            case LENGTH -> {
                if (written + n > length) {
                    abort(new IllegalStateException("body longer than its Content-Length " + length));
                    return false;
                }
                out.put(part);
            }
            case CHUNKED -> {
                out.putHex(n);
                out.crlf();
                out.put(part);
                out.crlf();
            }
            case RAW -> out.put(part);
        }
        written += n;
        out.flush();
        return isWritable();
    }

    @Override
    public boolean isWritable() {
        return !aborted && out.connection().isWritable();
    }

    @Override
    public void whenWritable(Runnable action) {
        if (done) {
            return; // ended or aborted: nothing more will be written
        }
        if (isWritable()) {
            action.run();
        } else {
            waiter = action; // run when the connection drains; dropped if it closes first
        }
    }

    /** The connection became writable: run the waiter. */
    void writable() {
        Runnable w = waiter;
        if (w != null) {
            waiter = null;
            w.run();
        }
    }

    @Override
    public void end(HttpHeaders trailers) {
        if (done) {
            return;
        }
        if (mode == Mode.LENGTH && written != length) {
            abort(new IllegalStateException("body ended after " + written + " of its Content-Length " + length + " bytes"));
            return;
        }
        if (mode == Mode.CHUNKED) {
            out.put(LAST_CHUNK);
            if (trailers != null) {
                trailers.encode(out.room(trailers.encodedLength()));
            }
            out.crlf();
        }
        done = true;
        waiter = null;
        owner.bodyDone(this, null);
    }

    @Override
    public void abort(Throwable cause) {
        if (done) {
            return;
        }
        done = true;
        aborted = true;
        waiter = null;
        owner.bodyDone(this, cause);
    }

    boolean isDone() {
        return done;
    }
}
