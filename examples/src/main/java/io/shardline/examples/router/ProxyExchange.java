package io.shardline.examples.router;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.net.http.BodyReader;
import io.shardline.net.http.BodySink;
import io.shardline.net.http.ClientRequest;
import io.shardline.net.http.ClientResponse;
import io.shardline.net.http.HttpBody;
import io.shardline.net.http.HttpClientConnection;
import io.shardline.net.http.HttpHeaders;
import io.shardline.net.http.HttpRequest;
import io.shardline.net.http.HttpResponse;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeoutException;

/**
 * One request forwarded to an upstream: picks one, takes a pooled connection or opens one, streams
 * the request body up and the response body down with backpressure both ways, then gives the
 * connection back to the shard's pool. Owned by the request's shard; not thread-safe.
 *
 * <p>Failures: a connect failure (and, for a request whose body has not started, a reset before the
 * response head) moves an idempotent request (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) to an upstream
 * not yet tried; a kept connection the upstream had closed is retried once on a fresh one. What cannot
 * be retried is answered 502, or 504 when it was a timeout (connect, or no response head within the
 * response timeout). A failure once the response has started cuts the client's response short.
 *
 * <p>A client that goes away before its response is whole ends the exchange at once: the upstream
 * connection, whose response is unfinished, is closed (a connect still under way gives its connection
 * to the pool), its request stops counting as in flight, and the request is counted as nginx's 499
 * (client closed request) if no response head had been sent, else with its status.
 */
final class ProxyExchange {
    /** nginx's status for a request whose client closed the connection before the response head. */
    static final int CLIENT_CLOSED = 499;
    private final ShardProxy shard;
    private final RouteTable.Route route;
    private final HttpRequest request;
    private final long startNanos;
    private final boolean idempotent;
    private final Promise<HttpResponse> promise;
    /** Upstreams tried, by index (a route has at most 64 upstreams where this counts). */
    private long tried;
    private boolean staleRetried;
    /** Upstreams tried so far: no request tries more than its route has (the mask covers only 64). */
    private int attempts;
    private int upstream = -1;
    private UpstreamPool pool;
    private HttpClientConnection conn;
    private boolean requestBodyStarted;
    private boolean requestSent;
    private boolean dropRequestBody;
    private boolean responseEnded;
    private boolean finished;
    /** This exchange counts in {@code pool.active} (for least-connections) until it ends or its attempt fails. */
    private boolean counted;
    private int status;
    private long bodyBytes;

    ProxyExchange(ShardProxy shard, RouteTable.Route route, HttpRequest request) {
        this.shard = shard;
        this.route = route;
        this.request = request;
        this.startNanos = shard.nanoTime();
        this.idempotent = switch (request.method()) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
        this.promise = new Promise<>(shard.loop());
        this.requestSent = request.contentLength() == 0;
    }

    Future<HttpResponse> start() {
        request.onAbort(this::clientGone);
        attempt(null);
        return promise;
    }

    /** Tries the next upstream; {@code lastFailure} is why the previous one failed (null at first). */
    private void attempt(Throwable lastFailure) {
        int u = attempts < route.upstreams() ? shard.pick(route, request, tried) : -1;
        if (u < 0) {
            if (lastFailure == null) {
                answer(-1, 502); // every upstream of the route tried or out of service
            } else {
                answer(upstream, isTimeout(lastFailure) ? 504 : 502);
            }
            return;
        }
        attempts++;
        if (u < 64) {
            tried |= 1L << u;
        }
        upstream = u;
        pool = shard.pool(route, u);
        pool.active++;
        counted = true;
        HttpClientConnection idle = pool.takeIdle();
        if (idle != null) {
            send(idle, true);
            return;
        }
        UpstreamPool p = pool;
        p.connect().whenComplete((c, e) -> {
            if (finished) {
                if (c != null) {
                    p.release(c); // the client left while it connected: unused, so the next request may have it
                }
                return;
            }
            if (e != null) {
                uncount();
                pool.failed(shard.nanoTime());
                retryOrAnswer(e);
            } else {
                send(c, false);
            }
        });
    }

    private void retryOrAnswer(Throwable e) {
        if (idempotent && !requestBodyStarted) {
            attempt(e);
        } else {
            answer(upstream, isTimeout(e) ? 504 : 502);
        }
    }

    private void send(HttpClientConnection c, boolean reused) {
        conn = c;
        String target = request.target();
        if (target.charAt(0) != '/' && !target.equals("*")) {
            target = request.query() == null ? request.path() : request.path() + "?" + request.query(); // absolute-form
        }
        ClientRequest up = ClientRequest.of(request.method(), target);
        ForwardHeaders.request(request.headers(), up.headers(), shard.clientIp(request.remoteAddress()),
                request.minorVersion());
        if (request.contentLength() != 0) {
            up.body(request.contentLength(), this::produceRequestBody);
        }
        c.send(up).withTimeout(shard.config().responseTimeout()).whenComplete((r, e) -> {
            if (finished) {
                return; // the client left (or the exchange was answered): the connection is already dealt with
            }
            if (e == null) {
                onHead(r);
                return;
            }
            uncount();
            c.connection().abort(); // a timed-out or failed exchange leaves the connection in an unknown state
            if (reused && !staleRetried && !requestBodyStarted && !isTimeout(e) && idempotent) {
                staleRetried = true; // the upstream closed a kept connection as we sent: not its failure
                if (upstream < 64) {
                    tried &= ~(1L << upstream);
                }
                attempts--;
                attempt(e);
                return;
            }
            pool.failed(shard.nanoTime());
            retryOrAnswer(e);
        });
    }

    /** Streams the client's body to the upstream, pausing the client while the upstream is slow. */
    private void produceRequestBody(BodySink sink) {
        requestBodyStarted = true;
        HttpBody body = request.body();
        body.read(new BodyReader() {
            @Override
            public void onData(ByteBuffer part) {
                if (dropRequestBody) {
                    part.position(part.limit());
                } else if (!sink.write(part)) {
                    body.pause();
                    sink.whenWritable(body::resume);
                }
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                if (!dropRequestBody) {
                    sink.end(trailers);
                }
                requestSent = true;
                maybeFinished();
            }

            @Override
            public void onError(Throwable cause) {
                sink.abort(cause);
            }
        });
    }

    private void onHead(ClientResponse r) {
        pool.succeeded();
        status = r.status();
        HttpResponse out = HttpResponse.status(status);
        ForwardHeaders.response(r.headers(), out.headers(), r.minorVersion());
        HttpBody body = r.body();
        if (request.method().equals("HEAD")) {
            String length = r.headers().get("content-length"); // a HEAD answer keeps the length a GET would have
            long n = length == null ? -1 : parseLength(length);
            out.body(n, BodySink::end);
            responseEnded = true;
            maybeFinished();
        } else if (body.isEnded() && body.length() <= 0) {
            responseEnded = true;
            maybeFinished();
        } else {
            out.body(body.length(), sink -> relayResponse(body, sink));
        }
        promise.succeed(out);
    }

    /** Streams the upstream's body to the client, pausing the upstream while the client is slow. */
    private void relayResponse(HttpBody body, BodySink sink) {
        body.read(new BodyReader() {
            @Override
            public void onData(ByteBuffer part) {
                bodyBytes += part.remaining();
                if (!sink.write(part)) {
                    body.pause();
                    sink.whenWritable(body::resume);
                }
            }

            @Override
            public void onEnd(HttpHeaders trailers) {
                sink.end(trailers);
                responseEnded = true;
                maybeFinished();
            }

            @Override
            public void onError(Throwable cause) {
                sink.abort(cause); // the client sees a response cut short, never a wrong one
                finish(false);
            }
        });
    }

    private void maybeFinished() {
        if (!responseEnded || finished) {
            return;
        }
        if (requestSent) {
            shard.loop().execute(() -> finish(true)); // after the connection has retired this response
        } else {
            dropRequestBody = true; // answered before it took the whole body: the connection cannot be reused
            request.body().resume();
            finish(false);
        }
    }

    /** Ends the exchange: the connection goes back to the pool (or is closed), and the request is counted. */
    private void finish(boolean reusable) {
        if (finished) {
            return;
        }
        finished = true;
        uncount();
        if (reusable) {
            pool.release(conn);
        } else {
            conn.close();
        }
        shard.record(route, upstream, request, status, bodyBytes, startNanos);
    }

    /**
     * The client's connection closed before its response was whole: nothing more can reach it, so the
     * upstream connection (its response unread or half read) is closed at once, not left to the pool's
     * idle timeout, and the request no longer counts as in flight.
     */
    private void clientGone() {
        if (finished) {
            return;
        }
        finished = true;
        uncount();
        if (conn != null) {
            conn.connection().abort(); // its response is unfinished: it cannot be reused, and nothing more is sent
        }
        shard.record(route, upstream, request, status != 0 ? status : CLIENT_CLOSED, bodyBytes, startNanos); // 0: no head yet
    }

    private void uncount() {
        if (counted) {
            counted = false;
            pool.active--;
        }
    }

    /** Answers with an error of the router's own (no upstream reached): a short text body. */
    private void answer(int upstreamIndex, int code) {
        finished = true;
        HttpResponse r = ShardProxy.error(code);
        shard.record(route, upstreamIndex, request, code, request.method().equals("HEAD") ? 0 : ShardProxy.errorBody(code).length,
                startNanos);
        promise.succeed(r);
    }

    static boolean isTimeout(Throwable e) {
        return e instanceof SocketTimeoutException || e instanceof TimeoutException
                || e.getCause() instanceof SocketTimeoutException;
    }

    private static long parseLength(String s) {
        try {
            long n = Long.parseLong(s.strip());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
