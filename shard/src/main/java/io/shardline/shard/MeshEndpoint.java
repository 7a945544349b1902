package io.shardline.shard;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.PollSource;
import io.shardline.core.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * One shard's end of the mesh: sends requests, serves requests from other shards, completes replies.
 * Owned by its shard; not thread-safe, except that counters may be read from any thread.
 *
 * <p>Polled once per loop iteration: drains every inbound queue in batches, then wakes the shards it
 * sent to since the last poll (a fence and a read each; a system call only for a parked target).
 * Each pair has a fixed pool of {@link Envelope}s, its in-flight cap: when the pool is empty a
 * request waits in a local queue, in order, and the wait is counted; a reply frees its slot for the
 * next waiting request. Nothing is dropped and the mesh never grows.
 */
final class MeshEndpoint implements PollSource {
    private static final int BATCH = 256;

    // Counter slots in an AtomicLongArray, spaced away from its ends against false sharing.
    static final int SENT = 8;
    static final int SERVED = 9;
    static final int REPLIES = 10;
    static final int WAITS = 11;
    static final int IN_FLIGHT = 12;
    static final int WAITING = 13;

    private final int self;
    private final int n;
    private final Loop[] loops;
    private final Loop loop;
    private final SpscArrayQueue<Envelope>[] inbound;
    private final SpscArrayQueue<Envelope>[] outbound;
    private final Envelope[][] slots;
    private final ArrayDeque<Envelope>[] free;
    private final ArrayDeque<Waiting>[] waiting;
    private final boolean[] dirty;
    private final int[] dirtyList;
    private int dirtyCount;
    private long sent;
    private long served;
    private long replies;
    private long waits;
    private int inFlight;
    private int waitingCount;
    private final AtomicLongArray counters = new AtomicLongArray(24);
    private final MessagePassingQueue.Consumer<Envelope> handler = this::handle;

    /** A request that found its pair's slots all in flight. */
    private record Waiting(Object request, boolean async, Promise<Object> promise) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic arrays
    MeshEndpoint(int self, Loop[] loops, Mesh mesh, int inflightPerPair) {
        this.self = self;
        this.n = loops.length;
        this.loops = loops;
        this.loop = loops[self];
        this.inbound = new SpscArrayQueue[n];
        this.outbound = new SpscArrayQueue[n];
        this.slots = new Envelope[n][];
        this.free = new ArrayDeque[n];
        this.waiting = new ArrayDeque[n];
        this.dirty = new boolean[n];
        this.dirtyList = new int[n];
        for (int j = 0; j < n; j++) {
            if (j == self) {
                continue;
            }
            inbound[j] = mesh.queue(j, self);
            outbound[j] = mesh.queue(self, j);
            slots[j] = new Envelope[inflightPerPair];
            free[j] = new ArrayDeque<>(inflightPerPair);
            waiting[j] = new ArrayDeque<>();
            for (int k = 0; k < inflightPerPair; k++) {
                slots[j][k] = new Envelope(self, j);
                free[j].addLast(slots[j][k]);
            }
        }
    }

    /** Sends a request to shard {@code target} (not this one); its future completes here. */
    @SuppressWarnings("unchecked")
    <T> Future<T> send(int target, Object request, boolean async) {
        if (loop.isClosing()) {
            return Future.failed(stopped());
        }
        Promise<Object> p = new Promise<>(loop);
        Envelope e = free[target].pollFirst();
        if (e == null) {
            waiting[target].addLast(new Waiting(request, async, p));
            waits++;
            waitingCount++;
        } else {
            dispatch(e, request, async, p);
        }
        return (Future<T>) (Future<?>) p;
    }

    private void dispatch(Envelope e, Object request, boolean async, Promise<Object> p) {
        e.request = request;
        e.async = async;
        e.promise = p;
        e.isReply = false;
        push(e.to, e);
        sent++;
        inFlight++;
    }

    private void push(int target, Envelope e) {
        if (!outbound[target].offer(e)) {
            // Cannot happen: each direction holds at most its pool's slots and the queue has room for both.
            throw new IllegalStateException("mesh queue " + self + "->" + target + " full");
        }
        if (!dirty[target]) {
            dirty[target] = true;
            dirtyList[dirtyCount++] = target;
        }
    }

    @Override
    public int poll() {
        int work = 0;
        for (int k = 0; k < n; k++) {
            if (k != self) {
                work += inbound[k].drain(handler, BATCH);
            }
        }
        flushWakeups();
        publish();
        return work;
    }

    private void flushWakeups() {
        for (int i = 0; i < dirtyCount; i++) {
            int t = dirtyList[i];
            dirty[t] = false;
            loops[t].wakeup();
        }
        dirtyCount = 0;
    }

    private void handle(Envelope e) {
        if (e.isReply) {
            complete(e);
        } else {
            serve(e);
        }
    }

    /** On the target: run the request and send the outcome back in the same slot. */
    @SuppressWarnings("unchecked")
    private void serve(Envelope e) {
        served++;
        if (!e.async) {
            try {
                e.result = ((Callable<Object>) e.request).call();
            } catch (Throwable t) {
                e.failure = t;
            }
            reply(e);
            return;
        }
        Future<Object> f;
        try {
            f = ((Supplier<? extends Future<Object>>) e.request).get();
            if (f == null) {
                throw new NullPointerException("submitToAsync function returned null instead of a future");
            }
        } catch (Throwable t) {
            e.failure = t;
            reply(e);
            return;
        }
        f.whenComplete((v, t) -> {
            e.result = v;
            e.failure = t;
            reply(e);
        });
    }

    private void reply(Envelope e) {
        e.request = null;
        e.isReply = true;
        push(e.from, e);
    }

    /** On the sender: complete the future, then reuse the slot for the next waiting request. */
    private void complete(Envelope e) {
        Promise<Object> p = e.promise;
        Object result = e.result;
        Throwable failure = e.failure;
        e.clear();
        replies++;
        inFlight--;
        Waiting next = waiting[e.to].pollFirst();
        if (next != null) {
            waitingCount--;
            dispatch(e, next.request(), next.async(), next.promise());
        } else {
            free[e.to].addLast(e);
        }
        if (p != null) {
            p.tryComplete(result, failure);
        }
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
            Waiting w;
            while ((w = waiting[j].pollFirst()) != null) {
                w.promise().tryFail(cause);
            }
        }
        waitingCount = 0;
        inFlight = 0;
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
        counters.setOpaque(IN_FLIGHT, inFlight);
        counters.setOpaque(WAITING, waitingCount);
    }

    /** Any thread. */
    long counter(int slot) {
        return counters.getOpaque(slot);
    }
}
