package io.shardline.core;

import java.util.concurrent.locks.LockSupport;

/**
 * The default {@link Parker}: {@code LockSupport.park} of the loop's thread. Parked by the loop
 * thread, woken from any thread.
 */
final class ThreadParker implements Parker {
    private volatile Thread owner;

    @Override
    public void bind(Thread loopThread) {
        owner = loopThread;
    }

    @Override
    public void park(long timeoutNanos) {
        if (timeoutNanos == Long.MAX_VALUE) {
            LockSupport.park(this);
        } else if (timeoutNanos > 0) {
            LockSupport.parkNanos(this, timeoutNanos);
        }
    }

    @Override
    public void wakeup() {
        // bind() ran before the loop could first publish PARKED, and a waker reads that state first.
        Thread t = owner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
