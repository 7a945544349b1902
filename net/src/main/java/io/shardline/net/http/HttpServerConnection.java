// About 440 lines: one connection's HTTP/1.1 state machine (head, body, response, keep-alive, timeouts);
// parsing and framing are in HeadParser and Framing, so what is left moves one state to the next.
package io.shardline.net.http;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Timer;
import io.shardline.net.Connection;
import io.shardline.net.ConnectionHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The server side of one HTTP/1.1 connection: parses requests, runs the handler, writes responses.
 * Owned by the connection's shard; not thread-safe.
 *
 * <p>About 440 lines, kept in one file: one exchange's state machine (head, body, response, timers)
 * over one receive buffer; the codec's parts (HeadParser, BodyDecoder, ResponseHead, Outbound) are
 * already files of their own.
 *
 * <p>One exchange at a time: the next pipelined request is parsed only once the current response is
 * written and the current body consumed, so responses leave in request order with no reordering
 * buffer, and a request's head and body stay where they are in the receive buffer until needed.
 * Unparsed input is held up to {@link #HOLD} bytes, past which (or while the connection is not
 * writable) the socket is not read, so a client that pipelines without reading, or streams a body
 * nobody reads yet, costs bounded memory.
 */
final class HttpServerConnection implements ConnectionHandler, HttpBody.Source, BodyWriter.Owner {
    /** Unconsumed input past which the socket is not read. */
    private static final int HOLD = 64 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int TIMER_NONE = 0;
    private static final int TIMER_HEADER = 1;
    private static final int TIMER_IDLE = 2;

    private final HttpServerOptions options;
    private final HttpHandler handler;
    private final BodyDecoder decoder = new BodyDecoder();
    private Connection conn;
    private Loop loop;
    private Outbound out;
    private HttpDate date;
    private Timer timer;
    private int timerKind;
    private final Inbound inbound = new Inbound();

    private long exchange;
    private HttpRequest request;
    private HttpBody body;
    /** The body of every request without one on this connection: it holds no per-request state. */
    private HttpBody emptyBody;
    private boolean inExchange;
    private boolean responseDone;
    private BodyWriter writer;
    private boolean closeAfter;
    private boolean continueSent;
    private boolean closing;
    private boolean processing;
    private boolean writable = true;
    /** The client shut its output: finish the requests already here, then close. */
    private boolean inputEnded;
    private boolean writabilityQueued;

    HttpServerConnection(HttpServerOptions options, HttpHandler handler) {
        this.options = options;
        this.handler = handler;
    }

    @Override
    public void onOpen(Connection connection) {
        conn = connection;
        loop = connection.loop();
        out = new Outbound(connection, 16 * 1024);
        date = HttpDate.of(loop);
        timer = loop.timer(this::onTimer);
        arm(TIMER_HEADER, options.headerTimeout().toNanos()); // a client that never sends its first request
    }

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        inbound.append(data);
        process();
        out.flush();
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean nowWritable) {
        // Told from inside a write (ours, mid-frame, with a body part still to copy): act from a task,
        // so resuming never re-enters the codec or moves the input under a part being written.
        if (!writabilityQueued) {
            writabilityQueued = true;
            loop.execute(this::writabilityChanged);
        }
    }

    private void writabilityChanged() {
        writabilityQueued = false;
        if (closing) {
            return;
        }
        writable = conn.isWritable();
        if (writable && writer != null) {
            writer.writable();
        }
        updateReading();
        out.flush();
    }

    @Override
    public void onInputClosed(Connection connection) {
        if (inExchange && !body.isEnded()) {
            try {
                decoder.inputEnded();
            } catch (HttpException e) {
                if (!responseDone) {
                    request.aborted(); // the client left mid-body: the handler hears that before the body fails
                }
                body.fail(e);
            }
            shut();
        } else if (inExchange && !responseDone && inbound.remaining() == 0 && request.abortsOnClose()) {
            shut(); // the handler asked to stop if the client leaves, and nothing more was asked: onClosed tells it
        } else {
            inputEnded = true; // answer what was asked, pipelined requests included, then close
            process();
            out.flush();
        }
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        closing = true;
        timer.cancel();
        if (inExchange && !responseDone) {
            request.aborted(); // first, so the handler hears the client left before the body and writer fail
        }
        if (body != null && !body.isEnded()) {
            body.fail(cause != null ? cause : new HttpException(400, "connection closed"));
        }
        if (writer != null) {
            writer.abort(cause);
        }
    }

    // ------------------------------------------------------------------ input

    private void process() {
        if (processing) {
            return; // a handler or reader called back into us; the outer pass goes on
        }
        processing = true;
        try {
            while (!closing) {
                if (!inExchange) {
                    if (!readHead()) {
                        break;
                    }
                    continue;
                }
                if (!body.isEnded()) {
                    pumpBody();
                }
                if (responseDone && (body.isEnded() || closeAfter)) { // closing: the rest of the body is moot
                    finishExchange();
                    continue;
                }
                break;
            }
        } catch (HttpException e) {
            reject(e);
        } finally {
            processing = false;
        }
        if (inputEnded && !inExchange) {
            shut(); // the client sent all it will, and all of it that was whole is answered
        }
        updateReading();
    }

    /** Parses the next head if it is all here and starts its exchange; false if more input is needed. */
    private boolean readHead() {
        ByteBuffer in = inbound.buffer();
        byte[] a = in.array();
        int from = in.position();
        int to = in.limit();
        while (from < to && (a[from] == '\r' || a[from] == '\n')) {
            from++; // RFC 9112 2.2: blank lines before a request line are ignored
        }
        in.position(from);
        if (from == to) {
            return false;
        }
        int end = HeadParser.findEnd(a, from, inbound.scanFrom, to);
        if (end < 0) {
            // Armed only for a head that is not all here, at the pass its first bytes arrived in, so a
            // pipelined or whole head costs no timer operation.
            if (timerKind != TIMER_HEADER) {
                arm(TIMER_HEADER, options.headerTimeout().toNanos());
            }
            inbound.scanFrom = to;
            HeadParser.checkIncomplete(a, from, to, options.maxUriBytes(), options.maxHeaderBytes());
            return false;
        }
        byte[] head = Arrays.copyOfRange(a, from, end);
        in.position(end);
        inbound.scanFrom = end;
        HttpRequest req = HeadParser.parseRequest(head, options.maxUriBytes(), options.maxHeaderBytes());
        if (timerKind != TIMER_NONE) {
            disarm();
        }
        if (req.contentLength() > options.maxBodyBytes()) {
            throw new HttpException(413, "body of " + req.contentLength() + " bytes, over the limit of "
                    + options.maxBodyBytes());
        }
        if (req.chunked()) {
            decoder.chunked(options.maxBodyBytes(), options.maxHeaderBytes());
        } else {
            decoder.fixed(req.contentLength(), options.maxBodyBytes());
        }
        if (!req.chunked() && req.contentLength() == 0) {
            if (emptyBody == null) {
                emptyBody = new HttpBody(loop, this, 0);
            }
            body = emptyBody;
        } else {
            body = new HttpBody(loop, this, req.chunked() ? -1 : req.contentLength());
        }
        req.body(body);
        req.remoteAddress(conn.remoteAddress());
        request = req;
        inExchange = true;
        responseDone = false;
        continueSent = false;
        closeAfter = !req.keepAlive();
        long id = ++exchange;
        Future<HttpResponse> f;
        try {
            f = handler.handle(req);
        } catch (RuntimeException e) {
            f = Future.failed(e);
        }
        if (f == null) {
            f = Future.failed(new NullPointerException("handler returned no future for " + req));
        }
        if (f.isDone()) {
            respond(f.isSucceeded() ? f.getNow() : null, f.cause());
        } else {
            f.whenComplete((r, e) -> {
                if (id == exchange && !closing) {
                    boolean outer = processing; // completed from inside a pass (a body's end): that pass goes on
                    processing = true; // a reader or producer called back from respond waits for this pass
                    try {
                        respond(r, e);
                    } finally {
                        processing = outer;
                    }
                    if (!outer) {
                        process();
                        out.flush();
                    }
                }
            });
        }
        return true;
    }

    private void pumpBody() {
        decoder.pump(inbound, body);
    }

    @Override
    public void demand(HttpBody b, boolean first) {
        if (b != body || closing) {
            return;
        }
        if (first && request.expectContinue() && !continueSent && !responseDone && writer == null) {
            continueSent = true;
            out.put(CONTINUE);
        }
        process();
        out.flush();
    }

    private void finishExchange() {
        inExchange = false;
        request = null;
        body = null;
        if (closeAfter) {
            shut();
            return;
        }
        if (inbound.remaining() == 0) {
            arm(TIMER_IDLE, options.idleTimeout().toNanos());
        }
    }

    private void updateReading() {
        if (closing) {
            return;
        }
        if (writable && inbound.remaining() < HOLD) {
            conn.resumeReading();
        } else {
            conn.pauseReading();
        }
    }

    // ------------------------------------------------------------------ output

    private void respond(HttpResponse r, Throwable failure) {
        if (failure != null || r == null) {
            int status = failure instanceof HttpException h ? h.status() : 500;
            r = ResponseHead.error(status);
            if (!body.isEnded()) {
                closeAfter = true; // a failed exchange does not wait for the rest of its body
            }
        }
        if (r.statusCode() < 200) {
            r = ResponseHead.error(500); // a handler's response must be final; 1xx are the codec's
        }
        if (r.close()) {
            closeAfter = true;
        }
        BodyProducer producer = r.producer();
        if (producer == null) {
            settleUnreadBody(); // a producer may still read it: settled when its body is done
        }
        int status = r.statusCode();
        boolean isHead = request.method().equals("HEAD");
        boolean bodyless = HttpStatus.bodyless(status);
        long length = producer == null ? r.fixedBody().length : r.producedLength();
        BodyWriter.Mode mode;
        if (bodyless || isHead) {
            mode = BodyWriter.Mode.DISCARD;
        } else if (length >= 0) {
            mode = BodyWriter.Mode.LENGTH;
        } else if (request.minorVersion() == 1) {
            mode = BodyWriter.Mode.CHUNKED;
        } else {
            mode = BodyWriter.Mode.RAW;
            closeAfter = true; // an HTTP/1.0 client learns the end of the body from the close
        }
        ResponseHead.write(out, date, r, bodyless ? -2 : length, mode == BodyWriter.Mode.CHUNKED, closeAfter,
                request.minorVersion());
        if (producer == null) {
            if (mode != BodyWriter.Mode.DISCARD) {
                out.put(r.fixedBody(), 0, r.fixedBody().length);
            }
            responseDone = true;
            return;
        }
        BodyWriter w = new BodyWriter(out, mode, length, this);
        writer = w;
        try {
            producer.produce(w);
        } catch (RuntimeException e) {
            w.abort(e);
        }
    }

    /** The response is complete and nobody read the request's body: skip it, or close if it never comes. */
    private void settleUnreadBody() {
        if (!body.isEnded() && !body.isRead()) {
            if (request.expectContinue() && !continueSent) {
                closeAfter = true; // the client has not sent the body and will not: nothing to skip
            } else {
                body.discard();
            }
        }
    }

    @Override
    public void bodyDone(BodyWriter w, Throwable failure) {
        if (w != writer) {
            return;
        }
        writer = null;
        if (failure != null) {
            out.flush();
            shut(); // the peer sees a message cut short, never a wrong one
            return;
        }
        settleUnreadBody();
        responseDone = true;
        if (!processing) {
            process();
            out.flush();
        }
    }

    /** Answers a request the codec refused (when its response has not started) and closes. */
    private void reject(HttpException e) {
        if (body != null && !body.isEnded()) {
            body.fail(e);
        }
        if (!inExchange || (!responseDone && writer == null)) {
            closeAfter = true;
            HttpResponse r = ResponseHead.error(e.status());
            ResponseHead.write(out, date, r, r.fixedBody().length, false, true, request == null ? 1 : request.minorVersion());
            out.put(r.fixedBody());
        }
        out.flush();
        shut();
    }

    private void shut() {
        if (!closing) {
            closing = true;
            disarm();
            out.flush();
            conn.close();
        }
    }

    // ------------------------------------------------------------------ timeouts

    private void arm(int kind, long nanos) {
        timerKind = kind;
        timer.scheduleNanos(nanos, 0);
    }

    private void disarm() {
        timerKind = TIMER_NONE;
        timer.cancel();
    }

    private void onTimer() {
        if (closing) {
            return;
        }
        if (timerKind == TIMER_HEADER && inbound.remaining() > 0) {
            reject(new HttpException(408, "request head not complete within " + options.headerTimeout()));
        } else if (timerKind != TIMER_NONE) {
            shut(); // nothing asked: close quietly, as nginx does
        }
    }
}
