// About 450 lines: the one ordered reply pipeline of a connection (direct writes, pending replies,
// batches forwarded to other shards, pushes, pause and resume, the EXEC flag); its parts share the same queue and flags.
package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.net.Connection;
import io.shardline.examples.kv.resp.RespArgs;
import io.shardline.examples.kv.resp.RespLimits;
import io.shardline.examples.kv.resp.RespProtocolError;
import io.shardline.examples.kv.resp.RespRequestParser;
import io.shardline.examples.kv.resp.RespRequestSink;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.resp.SlicedReply;
import io.shardline.net.ConnectionHandler;
import io.shardline.shard.Shard;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: parses its requests, routes each to the shard that owns its key, and writes
 * the replies back in request order however the shards interleave. Owned by the shard the connection
 * lives on; every method runs on that shard's thread.
 *
 * <p>Why one file of about 600 lines: it is one concept, the connection's ordered reply pipeline. The
 * pending queue, the pause/resume of reading, forwarded runs, long replies sent in slices and the
 * per-connection state the commands read (database, protocol, transaction, CLIENT flags) all act on
 * the same fields in the same order; split, each part would need the others' internals.
 *
 * <p>Pipelining is bounded: with {@value #MAX_PENDING} replies outstanding, or while the socket is
 * not writable, the connection stops reading until the backlog drains.
 *
 * <p>Replies go out through one {@link RespWriter} owned by the connection. A request that runs on
 * this shard at once with nothing pending ahead of it encodes its reply there, reading its arguments
 * where the parser holds them: no argument copy, no reply array, no future. Replies that wait (on
 * another shard, or on the log) queue as futures in request order and are appended when they are
 * done. Requests for another shard's keys in one batch of received data go there as one message per
 * shard ({@link Forwarded}), and their replies come back as one. The writer goes to the socket once
 * per batch of received data, when the queue drains, and whenever it passes {@value #FLUSH_BYTES}
 * bytes, so pipelined replies share one send. A long reply a command hands over ({@link SlicedReply})
 * takes its place in the queue and goes out {@value #SLICE_BYTES} bytes per loop pass, waiting while
 * the socket is full.
 */
final class KvConnection implements ConnectionHandler, RespRequestSink {
    private static final Logger LOG = Logger.getLogger(KvConnection.class.getName());
    static final int MAX_PENDING = 1024;
    /** Replies buffered past this are sent at once, so a pipeline of large values stays bounded here. */
    static final int FLUSH_BYTES = 64 * 1024;
    /** Bytes of a long reply ({@link SlicedReply}) encoded per loop pass. */
    static final int SLICE_BYTES = 256 * 1024;

    final KvServer server;
    /** Given in {@link #onOpen}, on the connection's shard. */
    long id;
    private final RespRequestParser parser;
    /**
     * Replies not yet appended to {@link #out}, one entry per request in request order: a future of its
     * bytes, or the {@link Forwarded} run it went in, which gives its replies back one by one.
     */
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    /** Per shard, the run of requests for it being gathered from the current data; sent before anything else leaves. */
    private Forwarded[] forwarding;
    private int openRuns;
    /** Replies not yet handed to the socket, in request order, ahead of everything in {@link #pending}. */
    private final RespWriter out = new RespWriter(4 * 1024, 1 << 20, false);
    private final Runnable drainTask = this::drain;
    /** One listener for every pending reply: no allocation per request. */
    private final BiConsumer<byte[], Throwable> onReply = (v, e) -> scheduleDrain();
    private Connection connection;
    private Shard shard;
    int protocol = 2;
    /** The SELECTed database; every key command of this connection carries it to the key's shard. */
    int db;
    boolean authenticated;
    String name;
    private boolean quitting;
    private boolean paused;
    private boolean drainScheduled;
    /** True while {@link #flush} hands the taken replies to the connection. */
    private boolean flushing;
    /** Set when the connection turned writable during a flush: drain once the flush is done. */
    private boolean drainAfterFlush;
    /**
     * A request that runs as several hops through the mesh (a cross-shard RENAME, BITOP, LMOVE,
     * SINTERSTORE...), set by {@link SameShard} as it starts one: the next requests wait until it is
     * done, since one sent meanwhile could reach a shard before the chain's later steps and miss its writes.
     */
    Future<byte[]> barrier;
    /** Set while a blocking command waits ({@link StreamReads}): ends the wait if the client goes away. */
    Runnable onClose;
    /** True while EXEC runs the queued commands: blocking commands do not block then (Redis' CLIENT_DENY_BLOCKING). */
    boolean inExec;
    /** Null until the connection first sends MULTI or WATCH. */
    Transaction tx;
    /** Its pipelined transactions: the batch gathered from the current data, sent once it is parsed, and the one running. */
    final TxPipeline txs = new TxPipeline();
    /** Cluster mode: ASKING came, so the next command may use a slot being imported here. */
    boolean asking;
    /** Null until the connection first (un)subscribes. */
    private Subscriptions subscriptions;
    /** Bytes of pushes queued behind pending replies, counted against the pub/sub output limit. */
    private long pushedWhilePending;
    /** What CLIENT LIST shows: when it connected and last read or wrote (the wall clock, epoch ms). */
    long createdMillis;
    long lastInteractionMillis;
    /** The last command run (and its subcommand, for CLIENT, CONFIG...): CLIENT LIST's cmd=; null before any. */
    CommandSpec lastSpec;
    String lastSub;
    /** CLIENT SETINFO's values; null when unset. */
    String libName;
    String libVer;
    /** CLIENT NO-EVICT and NO-TOUCH (flags e and T). */
    boolean noEvict;
    boolean noTouch;
    /** CLIENT REPLY OFF; SKIP silences the next request ({@link #skipNext}, then {@link #skipThis}). */
    boolean replyOff;
    boolean skipNext;
    private boolean skipThis;
    /** Waiting for CLIENT PAUSE to end (flag b). */
    boolean parked;
    /** Turned away at maxclients: never counted as a client. */
    private boolean refused;

    KvConnection(KvServer server) {
        this.server = server;
        this.authenticated = server.config().requirePass() == null;
        this.parser = new RespRequestParser(RespLimits.DEFAULT
                .withMaxBulkLength((int) Math.min(RespLimits.MAX_ARRAY, server.config().maxBulkBytes()))
                .withMaxMultibulkLength(server.config().maxArguments()));
        parser.unauthenticated(!authenticated);
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        shard = Shard.current();
        KvShard counters = server.shards().local();
        if (!server.admission().admit(Long.parseLong(counters.live.get("maxclients")))) {
            // As Redis: say why, close, count it; the connection never becomes a client.
            refused = true;
            quitting = true;
            counters.rejectedConnections++;
            c.write(ByteBuffer.wrap(ClientAdmission.REFUSAL.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            c.close();
            return;
        }
        bulkLimit(Long.parseLong(counters.live.get("proto-max-bulk-len")));
        id = counters.nextClientId(shard.count());
        counters.connectedClients++;
        counters.totalConnections++;
        createdMillis = server.config().clock().getAsLong();
        lastInteractionMillis = createdMillis;
        counters.clients.add(this);
        forwarding = new Forwarded[shard.count()];
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (quitting) {
            return;
        }
        lastInteractionMillis = server.config().clock().getAsLong();
        parser.parse(data, this);
        sendForwarded();
        txs.send(this);
        afterParse(c);
        flush();
    }

    private void afterParse(Connection c) {
        RespProtocolError error = parser.error();
        if (error != null) {
            // As Redis: say why (when Redis does), then close once the replies before it are out.
            if (error.hasReply()) {
                pending.add(Future.succeeded(errorLine(error.replyText())));
            }
            quitting = true;
            LOG.log(Level.FINE, () -> "client " + id + " sent bad RESP: " + error.message());
            drain();
            return;
        }
        if (parser.isPaused() && !paused) {
            paused = true;
            c.pauseReading();
        }
    }

    private static byte[] errorLine(byte[] text) {
        byte[] line = new byte[text.length + 3];
        line[0] = '-';
        System.arraycopy(text, 0, line, 1, text.length);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        return line;
    }

    /** One complete request from the parser; false pauses it while too many replies are outstanding. */
    @Override
    public boolean onRequest(RespArgs args) {
        if (quitting) {
            return false;
        }
        boolean direct = pending.isEmpty();
        int mark = out.size();
        if (direct) {
            out.protocol(protocol); // HELLO may have changed it since the last reply
        }
        Future<byte[]> reply;
        try {
            reply = Dispatcher.dispatch(this, args, direct ? out : null);
        } catch (RuntimeException e) {
            if (direct) {
                out.truncate(mark); // what the command wrote before it failed does not go out
            }
            reply = Future.succeeded(RespWriter.errorBytes("ERR " + e.getMessage()));
        }
        if (replyOff || skipThis) {
            reply = silence(reply, mark); // CLIENT REPLY OFF or SKIP: run it, send nothing
        }
        skipThis = skipNext;
        skipNext = false;
        if (reply == null) {
            SlicedReply rest = direct ? out.takeDeferred() : null;
            if (rest != null) { // the rest of a long reply: written a slice per loop pass, ahead of what follows
                pending.add(rest);
                scheduleDrain();
            } else if (out.size() >= FLUSH_BYTES) {
                flush();
            }
        } else if (reply == FORWARDED) {
            // In a run being gathered, which took its place among the pending replies.
        } else if (pending.isEmpty() && reply.isDone()) {
            append(reply);
        } else {
            pending.add(reply);
            if (!reply.isDone()) {
                reply.whenComplete(onReply);
            }
        }
        return !quitting && pending.size() < MAX_PENDING && !waitingForBarrier();
    }

    /** The reply of a request under CLIENT REPLY OFF or SKIP: dropped where it is, or when it comes. */
    private Future<byte[]> silence(Future<byte[]> reply, int mark) {
        if (reply == null) {
            out.truncate(mark);
            return null;
        }
        if (reply == FORWARDED) {
            pending.add(new Silenced((Forwarded) pending.pollLast()));
            return FORWARDED;
        }
        return reply.map(bytes -> EMPTY);
    }

    private static final byte[] EMPTY = new byte[0];

    /** A forwarded request whose reply is taken from its run and not sent (CLIENT REPLY OFF or SKIP). */
    private record Silenced(Forwarded run) {
    }

    /** CLIENT PAUSE holds commands like {@code spec} on this shard now. */
    boolean paused(CommandSpec spec) {
        return server.shards().local().clients.pause().holds(spec);
    }

    /**
     * Parks a request CLIENT PAUSE holds ({@code argv} copied): it runs when the pause ends, and the
     * requests after it wait behind it, so the order of replies is kept.
     */
    Future<byte[]> afterPause(CommandSpec spec, Argv argv) {
        Promise<byte[]> reply = new Promise<>(shard.loop());
        parked = true;
        barrier = reply;
        server.shards().local().clients.pause().park(() -> resumeAfterPause(spec, argv, reply));
        return reply;
    }

    private void resumeAfterPause(CommandSpec spec, Argv argv, Promise<byte[]> reply) {
        ClientPause pause = server.shards().local().clients.pause();
        if (quitting) {
            parked = false;
            reply.trySucceed(EMPTY); // the client went away while it waited: its command does not run
        } else if (pause.holds(spec)) {
            pause.park(() -> resumeAfterPause(spec, argv, reply)); // paused again meanwhile
        } else {
            parked = false;
            Dispatcher.runLater(this, spec, argv).whenComplete(reply::tryComplete);
        }
    }

    /** CLIENT KILL: closes this connection; after the current reply when it is the caller's own. */
    void kill(boolean self) {
        if (self) {
            quitAfterReply();
        } else if (connection != null && connection.isOpen()) {
            quitting = true;
            connection.close();
        }
    }

    /** The idle {@code timeout} closes it. */
    void kill() {
        kill(false);
    }

    /** What CLIENT LIST reads. */
    Connection connection() {
        return connection;
    }

    /** Output not yet on the socket: CLIENT LIST's omem. */
    long outputBytes() {
        return (connection == null ? 0 : connection.queuedBytes()) + out.size() + pushedWhilePending;
    }

    /** Reply bytes encoded and not yet handed to the socket: CLIENT LIST's obl. */
    long bufferedBytes() {
        return out.size();
    }

    /** The reply buffer's size: CLIENT LIST's rbs. */
    long bufferCapacity() {
        return out.capacity();
    }

    /** Closing once the replies before are out (QUIT, CLIENT KILL of itself, bad RESP): flag c. */
    boolean closingAfterReply() {
        return quitting;
    }

    int pendingReplies() {
        return pending.size();
    }

    /** Marks a request {@link Dispatcher} handed to {@link #forward}: its reply comes with its run's. */
    static final Future<byte[]> FORWARDED = Future.succeeded(new byte[0]); // its own instance: succeeded(null) is shared

    /**
     * Gathers a single-key request for shard {@code target} into the run bound there, copying its
     * arguments: the requests of one batch of received data for one shard travel as one message, however
     * they interleave with requests for other shards, and each reply still takes its own place in line.
     */
    Future<byte[]> forward(int target, CommandSpec spec, Argv argv) {
        Forwarded run = forwarding[target];
        if (run != null && (run.protocol != protocol || run.db != db || run.noTouch != noTouch || run.isFull())) {
            send(run); // what is gathered for that shard goes first, so it still runs first there
            run = null;
        }
        if (run == null) {
            run = new Forwarded(target, protocol, db, new Promise<>(shard.loop()));
            run.noTouch = noTouch;
            forwarding[target] = run;
            openRuns++;
            run.reply.whenComplete(onReply);
        }
        run.add(spec, argv); // the one copy of a request that crosses shards
        pending.add(run);
        return FORWARDED;
    }

    /**
     * Sends the runs being gathered, if any. Called before anything else of this connection goes through
     * the mesh, and at the end of each batch of received data, so requests reach each shard in order.
     */
    void sendForwarded() {
        for (int t = 0; openRuns > 0 && t < forwarding.length; t++) {
            if (forwarding[t] != null) {
                send(forwarding[t]);
            }
        }
    }

    private void send(Forwarded run) {
        forwarding[run.target] = null;
        openRuns--;
        KvServer s = server;
        shard.submitToAsync(run.target, () -> s.shards().local().executeForwarded(run))
                .whenComplete(run.reply::tryComplete);
    }

    private boolean waitingForBarrier() {
        if (barrier != null && barrier.isDone()) {
            barrier = null;
        }
        return barrier != null;
    }

    /** AUTH succeeded: lift the parser's limits for clients that have not authenticated. */
    void authenticated() {
        authenticated = true;
        parser.unauthenticated(false);
    }

    /** RESET with a password configured: back to unauthenticated, with the parser's limits for that. */
    void deauthenticate() {
        authenticated = false;
        parser.unauthenticated(true);
    }

    /** Ends the connection after the reply of the current request (QUIT). */
    void quitAfterReply() {
        quitting = true;
    }

    /** Package-private for a barrier that is not a pending reply ({@link BlockedCall}): its end must resume reading. */
    void scheduleDrain() {
        if (!drainScheduled) {
            drainScheduled = true;
            shard.loop().execute(drainTask);
        }
    }

    private void drain() {
        drainScheduled = false;
        Object head;
        while ((head = pending.peek()) != null) {
            if (head instanceof Silenced(Forwarded run)) {
                if (!run.reply.isDone()) {
                    break;
                }
                pending.poll();
                int mark = out.size();
                appendNext(run);
                out.truncate(mark);
            } else if (head instanceof SlicedReply rest) {
                if (!writeSlice(rest)) {
                    break;
                }
                pending.poll();
            } else if (head instanceof Forwarded run) {
                if (!run.reply.isDone()) {
                    break;
                }
                pending.poll();
                appendNext(run);
            } else {
                @SuppressWarnings("unchecked")
                Future<byte[]> reply = (Future<byte[]>) head;
                if (!reply.isDone()) {
                    break;
                }
                pending.poll();
                append(reply);
            }
        }
        if (pending.isEmpty()) {
            pushedWhilePending = 0;
        }
        flush();
        if (paused && pending.size() < MAX_PENDING / 2 && connection.isWritable() && !quitting && !waitingForBarrier()) {
            paused = false;
            if (parser.isPaused()) {
                parser.resume(this);
                sendForwarded();
                txs.send(this);
                afterParse(connection);
            }
            if (!paused && !quitting) {
                connection.resumeReading();
            }
            flush(); // what the resumed requests answered at once
        }
        if (quitting && pending.isEmpty() && connection.isOpen()) {
            connection.close();
        }
    }

    /**
     * Sends the next slice of a long reply; true once it is all out. Otherwise the next slice waits for
     * the next loop pass, or, while the socket is full, for it to drain ({@link #onWritabilityChanged}):
     * the shard never spends more than a slice's encoding on it per pass, nor buffers more than a slice
     * past the socket's high watermark.
     */
    private boolean writeSlice(SlicedReply rest) {
        boolean done = rest.writeSlice(out, SLICE_BYTES);
        flush();
        if (!done) {
            if (connection.isWritable()) {
                scheduleDrain();
            } else if (!paused) {
                paused = true;
                connection.pauseReading();
            }
        }
        return done;
    }

    /** Adds a finished reply (from another shard, or one that waited) behind the replies buffered. */
    private void append(Future<byte[]> reply) {
        if (reply.isFailed()) {
            Throwable t = reply.cause();
            out.error("ERR " + (t.getMessage() != null ? t.getMessage() : t.toString()));
            return;
        }
        byte[] bytes = reply.getNow();
        if (bytes != null && bytes.length > 0) {
            out.raw(bytes);
        }
        if (out.size() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Adds the reply of the next request of {@code run}, answered, behind the replies buffered. */
    private void appendNext(Forwarded run) {
        int mark = out.size();
        CommandSpec spec = run.nextSpec();
        if (run.reply.isFailed()) {
            out.error("ERR " + KvShard.failureText(run.reply.cause())); // the whole run failed: each request says so
            run.skipReply();
        } else {
            run.nextReply(out);
        }
        CommandStats stats = server.shards().local().stats;
        stats.errorIfAny(out, mark, stats.of(spec, null)); // counted here: the request ran on another shard
        if (out.size() >= FLUSH_BYTES) {
            flush();
        }
    }

    /** Hands the buffered replies to the socket in one write; closes after QUIT once all are out. */
    private void flush() {
        if (out.size() > 0) {
            if (connection.isOpen()) {
                // The write may drain the socket queue and report the connection writable from inside
                // this call; what that drain would append must wait until the taken bytes are cleared.
                flushing = true;
                try {
                    connection.write(out.take()); // the connection copies what it cannot send now
                } finally {
                    flushing = false;
                }
            }
            out.clear();
            if (drainAfterFlush) { // on the next pass: a drain may be what is flushing now (a long reply's slice)
                drainAfterFlush = false;
                scheduleDrain();
            }
        }
        if (quitting && pending.isEmpty() && connection.isOpen()) {
            connection.close();
        }
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        if (writable && paused && flushing) {
            drainAfterFlush = true;
        } else if (writable && paused) {
            drain();
        } else if (!writable && !paused) {
            paused = true;
            c.pauseReading();
        }
    }

    @Override
    public void onInputClosed(Connection c) {
        quitting = true;
        if (onClose != null) { // a blocked client that hung up: its wait ends now
            onClose.run();
            onClose = null;
        }
        drain();
    }

    @Override
    public void onClosed(Connection c, Throwable cause) {
        quitting = true; // the rest of a buffered pipeline from a client that has gone is not run
        if (refused) {
            return;
        }
        server.admission().left();
        server.shards().local().connectedClients--;
        server.shards().local().clients.remove(this);
        if (onClose != null) {
            onClose.run();
            onClose = null;
        }
        PubSubCommands.leaveAll(this); // nothing of a subscriber is left on any shard
        TransactionCommands.discard(this); // nor of a transaction or its WATCHes
        pending.clear();
        if (forwarding != null) {
            java.util.Arrays.fill(forwarding, null);
        }
        openRuns = 0;
        txs.clear();
        out.clear();
    }

    Shard shard() {
        return shard;
    }

    /** proto-max-bulk-len, now and for every later request (CONFIG SET applies it to open connections). */
    void bulkLimit(long bytes) {
        parser.limits(parser.limits().withMaxBulkLength((int) Math.min(RespLimits.MAX_ARRAY, bytes)));
    }

    Subscriptions subscriptions() {
        if (subscriptions == null) {
            subscriptions = new Subscriptions();
        }
        return subscriptions;
    }

    Subscriptions subscriptionsIfAny() {
        return subscriptions;
    }

    /** RESP2 with a subscription: Redis' subscribed mode, where only a few commands are accepted. */
    boolean subscribedResp2() {
        return protocol == 2 && subscriptions != null && subscriptions.any();
    }

    /**
     * A pub/sub message for this client: it goes out after the replies still pending, in order. A
     * subscriber whose unsent output breaks the pub/sub limit is disconnected, as Redis does.
     */
    void push(byte[] frame) {
        if (quitting || connection == null || !connection.isOpen()) {
            return;
        }
        if (pending.isEmpty()) {
            out.raw(frame);
        } else {
            pending.add(Future.succeeded(frame));
            pushedWhilePending += frame.length;
        }
        long used = connection.queuedBytes() + out.size() + pushedWhilePending;
        if (subscriptions != null && subscriptions.overLimit(used, server.shards().local().live.pubsubLimits(), server.config().clock().getAsLong())) {
            LOG.log(Level.FINE, () -> "client " + id + " closed for overcoming of the pubsub output buffer limit");
            quitting = true;
            pending.clear();
            out.clear();
            // Not at once: the caller is iterating the subscribers this close removes.
            shard.loop().execute(connection::abort);
            return;
        }
        scheduleDrain();
    }
}
