package io.shardline.net.http;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.net.Connection;
import io.shardline.net.ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One HTTP/1.1 client connection: sends requests (pipelined: each is written at once, after the
 * previous one's body) and matches responses to them in order. Owned by its shard; not thread-safe.
 *
 * <p>Responses: informational (1xx) heads are skipped; HEAD, 204 and 304 responses have no body; a
 * body is delimited by chunked, a Content-Length, or the close (then the connection is not reused).
 * A response's future completes at its head; its body streams with backpressure, and the next
 * response is read once it is consumed.
 *
 * <p>Reading never waits for writing: responses are read while a request body is still going out,
 * however full the write queue is, and only the response body's reader (by pausing it) or a full
 * receive buffer stops the socket being read. A peer that answers while it reads (an echo) stops
 * reading once its own writes block, so a client that stopped reading until its writes drained
 * would wait for it forever.
 */
public final class HttpClientConnection implements ConnectionHandler, HttpBody.Source, BodyWriter.Owner {
    private static final int HOLD = 64 * 1024;
    private static final byte[] HTTP11 = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);

    /** A request sent or waiting to be sent, and its response's promise. */
    private record Pending(ClientRequest request, Promise<ClientResponse> promise) {
    }

    private final InetSocketAddress address;
    /** {@code Host: <address>\r\n}, sent when a request names no Host. */
    private final byte[] hostLine;
    private final HttpClientOptions options;
    private final Inbound inbound = new Inbound();
    private final BodyDecoder decoder = new BodyDecoder();
    /** Requests whose head is written, oldest first: the responses arrive in this order. */
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    /** Requests waiting for an earlier request's body to be written. */
    private final ArrayDeque<Pending> unsent = new ArrayDeque<>();
    private Connection conn;
    private Outbound out;
    private BodyWriter writer;
    private HttpBody body;
    private boolean reusable = true;
    private boolean closed;
    private boolean processing;
    private boolean writabilityQueued;

    HttpClientConnection(InetSocketAddress address, HttpClientOptions options) {
        this.address = address;
        this.options = options;
        String host = address.getHostString();
        this.hostLine = ("Host: " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends {@code request}; the future completes with the response's head (its body streaming), or
     * fails if the connection fails or closes first.
     */
    public Future<ClientResponse> send(ClientRequest request) {
        Promise<ClientResponse> p = new Promise<>(conn.loop());
        if (closed || !reusable) {
            p.fail(new IOException("connection to " + address + " is closed"));
            return p;
        }
        Pending pending = new Pending(request, p);
        if (writer != null) {
            unsent.add(pending);
        } else {
            write(pending);
            out.flush();
        }
        return p;
    }

    /** Whether another request may be sent here (open, and no response delimited by the close). */
    public boolean isReusable() {
        return !closed && reusable;
    }

    /** Requests sent or queued whose responses have not completed their heads and bodies. */
    public int pending() {
        return inFlight.size() + unsent.size();
    }

    public Future<Void> close() {
        return conn.close();
    }

    public Connection connection() {
        return conn;
    }

    // ------------------------------------------------------------------ writing

    private void write(Pending p) {
        ClientRequest r = p.request();
        inFlight.add(p);
        out.put(r.method().getBytes(StandardCharsets.US_ASCII));
        out.room(1).put((byte) ' ');
        out.put(r.target().getBytes(StandardCharsets.US_ASCII));
        out.put(HTTP11);
        HttpHeaders h = r.headers();
        boolean host = false;
        for (int i = 0; i < h.size(); i++) {
            if (h.nameIs(i, "content-length") || h.nameIs(i, "transfer-encoding")) {
                continue;
            }
            host |= h.nameIs(i, "host");
            h.encode(i, out);
        }
        if (!host) {
            out.put(hostLine);
        }
        BodyProducer producer = r.producer();
        long length = producer == null ? r.fixedBody().length : r.producedLength();
        boolean sendsLength = length > 0 || (length == 0 && !r.method().equals("GET") && !r.method().equals("HEAD"));
        if (sendsLength) {
            out.put(CONTENT_LENGTH);
            out.putDecimal(length);
            out.crlf();
        } else if (length < 0) {
            out.put(CHUNKED);
        }
        out.crlf();
        if (producer == null) {
            out.put(r.fixedBody(), 0, r.fixedBody().length);
            return;
        }
        BodyWriter w = new BodyWriter(out, length < 0 ? BodyWriter.Mode.CHUNKED : BodyWriter.Mode.LENGTH, length, this);
        writer = w;
        try {
            producer.produce(w);
        } catch (RuntimeException e) {
            w.abort(e);
        }
    }

    @Override
    public void bodyDone(BodyWriter w, Throwable failure) {
        if (w != writer) {
            return;
        }
        writer = null;
        if (failure != null) {
            fail(failure);
            return;
        }
        while (writer == null && !unsent.isEmpty() && !closed) {
            write(unsent.poll());
        }
        out.flush();
    }

    // ------------------------------------------------------------------ reading

    @Override
    public void onOpen(Connection connection) {
        conn = connection;
        out = new Outbound(connection, 16 * 1024);
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        inbound.append(data);
        process();
        out.flush();
    }

    private void process() {
        if (processing) {
            return;
        }
        processing = true;
        try {
            while (!closed) {
                if (body == null) {
                    if (!readHead()) {
                        break;
                    }
                    continue;
                }
                pumpBody();
                if (!body.isEnded()) {
                    break;
                }
                body = null;
                inFlight.poll();
                if (!reusable) {
                    conn.close();
                    break;
                }
            }
        } catch (HttpException e) {
            fail(e);
        } finally {
            processing = false;
        }
        if (!closed) {
            if (inbound.remaining() < HOLD) { // never gated on writability: see the class comment
                conn.resumeReading();
            } else {
                conn.pauseReading();
            }
        }
    }

    private boolean readHead() {
        ByteBuffer in = inbound.buffer();
        byte[] a = in.array();
        int from = in.position();
        int to = in.limit();
        if (from == to) {
            return false;
        }
        Pending p = inFlight.peek();
        if (p == null) {
            throw new HttpException(502, "response with no request outstanding");
        }
        int end = HeadParser.findEnd(a, from, inbound.scanFrom, to);
        if (end < 0) {
            inbound.scanFrom = to;
            if (to - from > options.maxHeaderBytes()) {
                throw new HttpException(502, "response head longer than " + options.maxHeaderBytes() + " bytes");
            }
            return false;
        }
        byte[] head = Arrays.copyOfRange(a, from, end);
        in.position(end);
        inbound.scanFrom = end;
        HeadParser.StatusLine s = HeadParser.parseResponse(head, options.maxHeaderBytes());
        if (s.status() < 200) {
            if (s.status() == 101) {
                throw new HttpException(502, "protocol switch not supported");
            }
            return true; // 100 Continue, 103 Early Hints...: the final response follows
        }
        if (s.headers().containsToken("connection", "close") || s.minorVersion() == 0
                && !s.headers().containsToken("connection", "keep-alive")) {
            reusable = false;
        }
        long length;
        if (p.request().method().equals("HEAD") || HttpStatus.bodyless(s.status())) {
            length = 0;
            decoder.fixed(0, options.maxBodyBytes());
        } else {
            Framing f = Framing.of(s.headers(), s.minorVersion(), false);
            if (f.chunked()) {
                length = -1;
                decoder.chunked(options.maxBodyBytes(), options.maxHeaderBytes());
            } else if (f.length() >= 0) {
                length = f.length();
                if (length > options.maxBodyBytes()) {
                    throw new HttpException(502, "response body over the limit of " + options.maxBodyBytes());
                }
                decoder.fixed(length, options.maxBodyBytes());
            } else {
                length = -1;
                reusable = false; // delimited by the close
                decoder.untilClose(options.maxBodyBytes());
            }
        }
        body = new HttpBody(conn.loop(), this, length);
        p.promise().trySucceed(new ClientResponse(s.minorVersion(), s.status(), s.reason(), s.headers(), body));
        return true;
    }

    private void pumpBody() {
        decoder.pump(inbound, body);
    }

    @Override
    public void demand(HttpBody b, boolean first) {
        if (b != body) {
            return;
        }
        if (closed) {
            pumpBody(); // a close-delimited body already complete in the buffer: deliver it
        } else {
            process();
            out.flush();
        }
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean nowWritable) {
        // Told from inside a write: act from a task, so resuming never re-enters the codec mid-frame.
        if (!writabilityQueued) {
            writabilityQueued = true;
            conn.loop().execute(this::writabilityChanged);
        }
    }

    private void writabilityChanged() {
        writabilityQueued = false;
        if (closed) {
            return;
        }
        if (writer != null && conn.isWritable()) {
            writer.writable();
        }
        out.flush();
    }

    @Override
    public void onInputClosed(Connection connection) {
        if (body != null && !body.isEnded()) {
            try {
                decoder.inputEnded();
                process(); // the close delimited the body: deliver its end
            } catch (HttpException e) {
                fail(e);
                return;
            }
        }
        fail(new IOException("connection closed by " + address));
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        fail(cause != null ? cause : new IOException("connection to " + address + " closed"));
    }

    /** Fails the body in progress and every outstanding request, and closes. */
    private void fail(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (body != null && !body.isEnded() && !decoder.done()) {
            body.fail(cause); // a body whose bytes are all here stays readable
        }
        if (writer != null) {
            writer.abort(cause);
        }
        Pending p;
        while ((p = inFlight.poll()) != null) {
            p.promise().tryFail(cause);
        }
        while ((p = unsent.poll()) != null) {
            p.promise().tryFail(cause);
        }
        conn.close();
    }
}
