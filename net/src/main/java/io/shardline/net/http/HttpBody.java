package io.shardline.net.http;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An incoming body, arriving as a stream of parts with backpressure. Owned by the connection's shard;
 * not thread-safe.
 *
 * <p>Nothing is buffered whole: {@link #read} takes the parts as the socket delivers them, and while
 * the body is {@link #pause() paused}, or nobody reads it yet, the connection stops reading its
 * socket. {@link #aggregate(long)} is for a handler that wants the body in one array. A request that
 * sent {@code Expect: 100-continue} gets its {@code 100 Continue} when its body is first read.
 */
public final class HttpBody {
    /** The connection's side: it delivers parts while {@link #wantsData()} and is told of demand. */
    interface Source {
        /** The reader wants parts now (first read or resume). */
        void demand(HttpBody body, boolean first);
    }

    private final Loop loop;
    private final Source source;
    private final long length;
    private BodyReader reader;
    private boolean paused;
    private boolean ended;
    private Throwable failure;
    private HttpHeaders trailers;

    HttpBody(Loop loop, Source source, long length) {
        this.loop = loop;
        this.source = source;
        this.length = length;
        this.ended = length == 0;
    }

    /** The declared length, or -1 for a chunked or close-delimited body. */
    public long length() {
        return length;
    }

    /** Starts reading: {@code r} gets every part, then the end. Once per body. */
    public void read(BodyReader r) {
        if (length == 0) {
            r.onEnd(null); // an empty body keeps no reader, so one instance serves every bodiless request
            return;
        }
        if (reader != null) {
            throw new IllegalStateException("body is already being read");
        }
        reader = r;
        if (failure != null) {
            r.onError(failure);
        } else if (ended) {
            r.onEnd(trailers);
        } else {
            source.demand(this, true);
        }
    }

    /** Stops the parts until {@link #resume()}; the socket is not read meanwhile. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        if (paused) {
            paused = false;
            if (!ended && failure == null) {
                source.demand(this, false);
            }
        }
    }

    /** The whole body in one array; fails with a 413 {@link HttpException} past {@code limit} bytes. */
    public Future<byte[]> aggregate(long limit) {
        Promise<byte[]> p = new Promise<>(loop);
        if (length > limit) {
            p.fail(new HttpException(413, "body longer than " + limit + " bytes"));
            discard();
            return p;
        }
        read(new BodyReader() {
            private byte[] all = new byte[(int) Math.max(0, Math.min(length, 64 * 1024))];
            private int n;

            @Override
            public void onData(ByteBuffer part) {
                if (p.isDone()) {
                    part.position(part.limit());
                    return;
                }
                int k = part.remaining();
                if (n + (long) k > limit) {
                    p.fail(new HttpException(413, "body longer than " + limit + " bytes"));
                    part.position(part.limit());
                    return;
                }
                if (n + k > all.length) {
                    all = Arrays.copyOf(all, (int) Math.min(limit, Math.max(n + k, all.length * 2L)));
                }
                part.get(all, n, k);
                n += k;
            }

            @Override
            public void onEnd(HttpHeaders t) {
                p.trySucceed(n == all.length ? all : Arrays.copyOf(all, n));
            }

            @Override
            public void onError(Throwable cause) {
                p.tryFail(cause);
            }
        });
        return p;
    }

    /** Reads and drops the body; the future completes at its end. */
    public Future<Void> discard() {
        Promise<Void> p = new Promise<>(loop);
        if (reader == null) {
            read(new BodyReader() {
                @Override
                public void onData(ByteBuffer part) {
                    part.position(part.limit());
                }

                @Override
                public void onEnd(HttpHeaders t) {
                    p.trySucceed(null);
                }

                @Override
                public void onError(Throwable cause) {
                    p.tryFail(cause);
                }
            });
        } else {
            p.trySucceed(null);
        }
        return p;
    }

    /** Whether all of the body has arrived. */
    public boolean isEnded() {
        return ended;
    }

    /** A chunked body's trailer fields once ended, or null. */
    public HttpHeaders trailers() {
        return trailers;
    }

    boolean isRead() {
        return reader != null;
    }

    /** Whether the connection should deliver parts now. */
    boolean wantsData() {
        return reader != null && !paused && !ended && failure == null;
    }

    void deliver(ByteBuffer part) {
        reader.onData(part);
    }

    void end(HttpHeaders t) {
        if (ended || failure != null) {
            return;
        }
        ended = true;
        trailers = t;
        if (reader != null) {
            reader.onEnd(t);
        }
    }

    void fail(Throwable cause) {
        if (ended || failure != null) {
            return;
        }
        failure = cause;
        if (reader != null) {
            reader.onError(cause);
        }
    }
}
