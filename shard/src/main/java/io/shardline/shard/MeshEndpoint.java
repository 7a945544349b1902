package io.shardline.shard;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.PollSource;
import io.shardline.core.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * Owned by its shard, and not thread-safe except for its counters, which any thread may read: one
 * shard's end of the mesh, which sends requests, serves requests from other shards and completes
 * replies.
 *
 * <p>Polled once per loop iteration: drains every inbound queue in batches, then wakes the shards it
 * sent to since the last poll (a fence and a read each; a system call only for a parked target).
 *
 * <p>A plain call ({@code submitTo}) travels as the caller's function alone and its reply as the
 * result alone: the target serves a pair's plain calls in order, so replies come back in order and
 * the sender matches each to the oldest promise it keeps for that target. No envelope is written by
 * both cores, so a call moves fewer cache lines between them. An asynchronous call
 * ({@code submitToAsync}) may finish out of order, so it travels in one of the pair's preallocated
 * {@link Envelope}s, which carries its outcome back.
 *
 * <p>Each pair has an in-flight cap: at the cap a request waits in a local queue, in order, and the
 * wait is counted; each reply lets the next waiting request go. Nothing is dropped and the mesh never
 * grows.
 */
final class MeshEndpoint implements PollSource {
    /** Most messages taken from one queue per poll. */
    private static final int BATCH = 256;
    /**
     * Messages taken from a queue before what they produced is published: small enough that the
     * other shard gets work while this one still drains, large enough to share a burst's cache lines.
     */
    private static final int CHUNK = 32;
    /** How a null result travels: the queues do not take null. */
    private static final Object NULL_RESULT = new Object();

    // Counter slots in an AtomicLongArray, spaced away from its ends against false sharing.
    static final int SENT = 8;
    static final int SERVED = 9;
    static final int REPLIES = 10;
    static final int WAITS = 11;
    static final int IN_FLIGHT = 12;
    static final int WAITING = 13;

    private final int self;
    private final int n;
    private final int cap;
    private final Loop[] loops;
    private final Loop loop;
    private final SpscArrayQueue<Object>[] requestsIn;
    private final SpscArrayQueue<Object>[] repliesIn;
    private final Outbox[] requestsOut;
    private final Outbox[] repliesOut;
    /** True while this endpoint drains its queues: what the handlers send is staged, not offered. */
    private boolean polling;
    /** Per target: the promises of plain calls in flight, oldest first. */
    private final ArrayDeque<Promise<Object>>[] calls;
    private final Envelope[][] slots;
    private final ArrayDeque<Envelope>[] free;
    private final ArrayDeque<Waiting>[] waiting;
    private final int[] inFlightTo;
    private final boolean[] dirty;
    private final int[] dirtyList;
    private int dirtyCount;
    /** Whether anything was staged since the last {@link #flushStaged}: an empty drain then costs no scan. */
    private boolean staged;
    /** The shard whose queue is being drained; the handlers below answer or match against it. */
    private int peer;
    private long sent;
    private long served;
    private long replies;
    private long waits;
    /** Calls failed by close while in flight: no reply will count them out. */
    private long failedInFlight;
    private int waitingCount;
    private final AtomicLongArray counters = new AtomicLongArray(24);
    /** Messages (requests and replies) pushed to each shard, and drained from each. */
    private final PeerCounts sentTo;
    private final PeerCounts receivedFrom;
    private final MessagePassingQueue.Consumer<Object> requestHandler = this::serve;
    private final MessagePassingQueue.Consumer<Object> replyHandler = this::complete;

    /** A request that found its pair at the in-flight cap. */
    private record Waiting(Object request, boolean async, Promise<Object> promise) {
    }

    /** How a plain call's exception travels back. */
    private record Failure(Throwable cause) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays
    MeshEndpoint(int self, Loop[] loops, Mesh mesh, int inflightPerPair) {
        this.self = self;
        this.n = loops.length;
        this.cap = inflightPerPair;
        this.loops = loops;
        this.loop = loops[self];
        this.requestsIn = new SpscArrayQueue[n];
        this.repliesIn = new SpscArrayQueue[n];
        this.requestsOut = new Outbox[n];
        this.repliesOut = new Outbox[n];
        this.calls = new ArrayDeque[n];
        this.slots = new Envelope[n][];
        this.free = new ArrayDeque[n];
        this.waiting = new ArrayDeque[n];
        this.inFlightTo = new int[n];
        this.dirty = new boolean[n];
        this.dirtyList = new int[n];
        this.sentTo = new PeerCounts(n);
        this.receivedFrom = new PeerCounts(n);
        for (int j = 0; j < n; j++) {
            if (j == self) {
                continue;
            }
            requestsIn[j] = mesh.requests(j, self);
            repliesIn[j] = mesh.replies(j, self);
            requestsOut[j] = new Outbox(mesh.requests(self, j), inflightPerPair, "requests " + self + "->" + j);
            repliesOut[j] = new Outbox(mesh.replies(self, j), inflightPerPair, "replies " + self + "->" + j);
            calls[j] = new ArrayDeque<>(inflightPerPair);
            slots[j] = new Envelope[inflightPerPair];
            free[j] = new ArrayDeque<>(inflightPerPair);
            waiting[j] = new ArrayDeque<>();
            for (int k = 0; k < inflightPerPair; k++) {
                slots[j][k] = new Envelope(self, j);
                free[j].addLast(slots[j][k]);
            }
        }
    }

    /**
     * Sends a request to shard {@code target} (not this one): a {@link Callable} when plain, a
     * {@link Supplier} of a future when {@code async}. Its future completes here.
     */
    @SuppressWarnings("unchecked")
    <T> Future<T> send(int target, Object request, boolean async) {
        if (loop.isClosing()) {
            return Future.failed(stopped());
        }
        Promise<Object> p = new Promise<>(loop);
        if (inFlightTo[target] == cap) {
            waiting[target].addLast(new Waiting(request, async, p));
            waits++;
            waitingCount++;
        } else {
            dispatch(target, request, async, p);
        }
        return (Future<T>) (Future<?>) p;
    }

    @SuppressWarnings("unchecked")
    private void dispatch(int target, Object request, boolean async, Promise<Object> p) {
        if (async) {
            // Below the cap, so a slot is free: each async call in flight holds one.
            Envelope e = free[target].pollFirst();
            e.request = (Supplier<? extends Future<Object>>) request;
            e.promise = p;
            push(requestsOut, target, e);
        } else {
            calls[target].addLast(p);
            push(requestsOut, target, request);
        }
        inFlightTo[target]++;
        sent++;
    }

    private void push(Outbox[] out, int target, Object message) {
        sentTo.add(target, 1);
        if (polling) {
            out[target].stage(message);
            staged = true;
        } else {
            out[target].send(message);
        }
        if (!dirty[target]) {
            dirty[target] = true;
            dirtyList[dirtyCount++] = target;
        }
    }

    @Override
    public int poll() {
        int work = 0;
        polling = true;
        try {
            for (int k = 0; k < n; k++) {
                if (k != self) {
                    peer = k;
                    work += drain(repliesIn[k], replyHandler);
                    work += drain(requestsIn[k], requestHandler);
                }
            }
        } finally {
            polling = false;
            flushStaged();
            flushWakeups();
            publish();
        }
        return work;
    }

    /** Takes up to {@link #BATCH} messages in chunks, publishing what each chunk produced before the next. */
    private int drain(SpscArrayQueue<Object> queue, MessagePassingQueue.Consumer<Object> handler) {
        int total = 0;
        int got;
        do {
            got = queue.drain(handler, CHUNK);
            total += got;
            flushStaged();
        } while (got == CHUNK && total < BATCH);
        return total;
    }

    /** Publishes what was staged: only for targets sent to since the last wake-ups, which {@link #push} marks. */
    private void flushStaged() {
        if (!staged) {
            return;
        }
        staged = false;
        for (int i = 0; i < dirtyCount; i++) {
            int t = dirtyList[i];
            requestsOut[t].flush();
            repliesOut[t].flush();
        }
    }

    private void flushWakeups() {
        for (int i = 0; i < dirtyCount; i++) {
            int t = dirtyList[i];
            dirty[t] = false;
            loops[t].wakeup();
        }
        dirtyCount = 0;
    }

    /** On the target: run a request from {@link #peer} and send its outcome back. */
    @SuppressWarnings("unchecked")
    private void serve(Object request) {
        served++;
        receivedFrom.add(peer, 1); // before it runs: whoever sees its outcome sees it counted
        if (request instanceof Envelope e) {
            serveAsync(e);
            return;
        }
        Object reply;
        try {
            Object result = ((Callable<Object>) request).call();
            reply = result == null ? NULL_RESULT : result;
        } catch (Throwable t) {
            reply = new Failure(t);
        }
        push(repliesOut, peer, reply);
    }

    private void serveAsync(Envelope e) {
        try {
            Future<Object> f = e.request.get();
            if (f == null) {
                throw new NullPointerException("submitToAsync function returned null instead of a future");
            }
            f.whenComplete((v, t) -> {
                e.result = v;
                e.failure = t;
                push(repliesOut, e.from, e);
            });
        } catch (Throwable t) {
            // Also a future of another shard, which refuses the listener when assertions are on (futures
            // are confined to their loop by contract and checked with -ea, as everywhere): the caller gets the error.
            e.failure = t;
            push(repliesOut, e.from, e);
        }
    }

    /** On the sender: complete the call a reply from {@link #peer} answers, then let a waiting one go. */
    private void complete(Object reply) {
        int from = peer;
        receivedFrom.add(from, 1); // before the promise completes, for the same reason
        Promise<Object> p;
        Object result = null;
        Throwable failure = null;
        if (reply instanceof Envelope e) {
            assert e.to == from : "envelope for shard " + e.to + " came back from shard " + from;
            p = e.promise;
            result = e.result;
            failure = e.failure;
            e.clear();
            free[from].addLast(e);
        } else {
            p = calls[from].pollFirst();
            if (reply instanceof Failure f) {
                failure = f.cause();
            } else if (reply != NULL_RESULT) {
                result = reply;
            }
        }
        if (p == null) {
            // The mesh is not polled after close, so every reply has its call: a mismatch is a bug.
            throw new IllegalStateException("a reply from shard " + from + " to shard " + self + " matched no call");
        }
        replies++;
        inFlightTo[from]--;
        if (waitingCount > 0) {
            Waiting next = waiting[from].pollFirst();
            if (next != null) {
                waitingCount--;
                dispatch(from, next.request(), next.async(), next.promise());
            }
        }
        p.tryComplete(result, failure);
    }

    /** On close: fail every request still in flight or waiting; their replies will never come. */
    void failAll() {
        LoopClosedException cause = stopped();
        for (int j = 0; j < n; j++) {
            if (j == self) {
                continue;
            }
            for (Envelope e : slots[j]) {
                Promise<Object> p = e.promise;
                if (p != null) {
                    e.promise = null;
                    p.tryFail(cause);
                }
            }
            // No call is sent once closing, and the mesh is not polled after close: no reply comes for these.
            Promise<Object> p;
            while ((p = calls[j].pollFirst()) != null) {
                p.tryFail(cause);
            }
            Waiting w;
            while ((w = waiting[j].pollFirst()) != null) {
                w.promise().tryFail(cause);
            }
            inFlightTo[j] = 0;
        }
        waitingCount = 0;
        failedInFlight = sent - replies;
        publish();
    }

    private LoopClosedException stopped() {
        return new LoopClosedException("shard runtime stopped: shard " + self + " is closing");
    }

    private void publish() {
        counters.setOpaque(SENT, sent);
        counters.setOpaque(SERVED, served);
        counters.setOpaque(REPLIES, replies);
        counters.setOpaque(WAITS, waits);
        counters.setOpaque(IN_FLIGHT, sent - replies - failedInFlight);
        counters.setOpaque(WAITING, waitingCount);
    }

    /** Messages this shard sent to shard {@code to}; any thread. */
    long sentTo(int to) {
        return sentTo.get(to);
    }

    /** Messages this shard took from shard {@code from}'s queues; any thread. */
    long receivedFrom(int from) {
        return receivedFrom.get(from);
    }

    /** Messages from shard {@code from} waiting in this shard's queues now (0 for itself); any thread. */
    long queuedFrom(int from) {
        if (from == self) {
            return 0;
        }
        return requestsIn[from].size() + repliesIn[from].size(); // JCTools: size() is safe from any thread
    }

    /** Any thread. */
    long counter(int slot) {
        return counters.getOpaque(slot);
    }
}
