package io.shardline.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * The virtual threads confined to one loop, and their scheduler: the loop itself. Owned by one loop;
 * {@link #execute} may be called from any thread (the JDK calls it to resume a thread).
 *
 * <p>A virtual thread's continuation is a task on the loop's "vthreads" task queue, so it mounts only
 * on the loop's thread and never migrates. Blocking-style code inside one parks the virtual thread
 * and the loop runs other tasks meanwhile.
 */
final class ConfinedThreads implements Executor {
    private final Loop loop;
    private final TaskQueue queue;
    private final Set<Thread> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private Thread.Builder.OfVirtual builder;

    ConfinedThreads(Loop loop, TaskQueue queue) {
        this.loop = loop;
        this.queue = queue;
    }

    TaskQueue queue() {
        return queue;
    }

    <T> Future<T> spawn(Callable<T> body) {
        if (builder == null) {
            builder = VirtualThreadSupport.builder(this).name(loop.name() + "-vt-", 0);
        }
        if (loop.isClosing()) {
            return Future.failed(loop.closedException());
        }
        Promise<T> p = new Promise<>(loop);
        Thread t = builder.unstarted(() -> {
            Loop.CURRENT.set(loop);
            try {
                p.trySucceed(body.call());
            } catch (Throwable e) {
                p.tryFail(e);
            } finally {
                live.remove(Thread.currentThread());
            }
        });
        live.add(t);
        t.start();
        return p;
    }

    /** Any thread: runs a virtual thread's continuation on the loop. */
    @Override
    public void execute(Runnable continuation) {
        if (loop.inLoop()) {
            loop.scheduler().enqueue(queue, continuation);
        } else {
            loop.resumeFromOutside(continuation);
        }
    }

    int liveCount() {
        return live.size();
    }

    void interruptAll() {
        for (Thread t : new ArrayList<>(live)) {
            t.interrupt();
        }
    }
}
