package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A parker whose poll swallows a pending wake-up, as a NIO selector's {@code selectNow} does: a waker
 * that claims the loop during the loop's last re-check must still not leave it asleep.
 */
class SwallowedWakeupTest {

    /** Blocks until woken (no timeout of its own); its poll clears a pending wake-up. */
    static final class SwallowingParker implements Parker, PollSource {
        volatile boolean pending;
        volatile boolean armed;
        volatile boolean swallowed;
        volatile Thread thread;
        Loop loop;

        @Override
        public void bind(Thread loopThread) {
            thread = loopThread;
            loop = Loop.current();
        }

        @Override
        public void park(long timeoutNanos) {
            while (!pending) {
                LockSupport.park(this);
            }
            pending = false;
        }

        @Override
        public void wakeup() {
            pending = true;
            LockSupport.unpark(thread);
        }

        @Override
        public int poll() {
            if (armed && loop.isParked()) {
                // A producer claims the loop right in its re-check, and the poll then eats the wake-up.
                armed = false;
                loop.wakeup();
                swallowed = true;
            }
            pending = false;
            return 0;
        }
    }

    @Test
    void aWakeupSwallowedDuringTheRecheckDoesNotLeaveTheLoopAsleep() throws Exception {
        SwallowingParker parker = new SwallowingParker();
        Loop loop = Loop.start(LoopConfig.builder().name("swallow").spin(java.time.Duration.ZERO).parker(() -> parker).build());
        try {
            for (int round = 0; round < 20; round++) {
                parker.swallowed = false;
                parker.armed = true;
                loop.wakeup(); // let the loop go round and re-check with the parker armed
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!parker.swallowed && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(parker.swallowed, "the re-check never ran with the parker armed");
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown);
                assertTrue(ran.await(10, TimeUnit.SECONDS), "round " + round + ": the loop slept through a task");
            }
        } finally {
            // Stop it even if it is stuck asleep, so a failure is reported rather than a hang.
            loop.requestClose();
            parker.wakeup();
            assertTrue(loop.awaitTermination(java.time.Duration.ofSeconds(10)));
        }
    }
}
