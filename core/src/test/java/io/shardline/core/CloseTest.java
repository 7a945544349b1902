package io.shardline.core;

import static io.shardline.core.TestSupport.failureOf;
import static io.shardline.core.TestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CloseTest {

    @Test
    void closeFailsEveryPendingFutureWithAClearError() throws Exception {
        Loop loop = Loop.start(LoopConfig.builder().id(2).build());
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A pending timer, a pending withTimeout, a periodic timer, a spawned-but-queued task,
        // and a virtual thread parked in await().
        CompletableFuture<Void> sleeping = loop.callAsync(() -> loop.sleep(Duration.ofHours(1)));
        CompletableFuture<Integer> timed = loop.callAsync(() -> new Promise<Integer>(loop).withTimeout(Duration.ofHours(1)));
        CompletableFuture<Object> awaiting = loop.callAsync(() -> loop.spawnThread(() -> {
            Await.await(loop.sleep(Duration.ofHours(2)));
            return "woke normally";
        }));
        CompletableFuture<Integer> queued = loop.callAsync(() -> {
            loop.schedulePeriodic(Duration.ofMillis(1), Duration.ofMillis(1), () -> { });
            loop.execute(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return loop.spawn(() -> 1); // queued behind the blocking task
        });
        blocked.await();
        CompletableFuture<Integer> fromOutside = loop.call(() -> 2); // waits in the inbox
        Thread closer = Thread.ofPlatform().start(loop::close);
        // The close is requested while the loop is inside a task; release it so the loop can wind down.
        TestSupport.eventually("close requested", loop::isClosing);
        release.countDown();
        closer.join(TestSupport.PATIENCE.toMillis());
        assertTrue(loop.isTerminated(), "close returned but the loop did not terminate");

        for (CompletableFuture<?> f : List.of(sleeping, timed, awaiting, queued, fromOutside)) {
            Throwable e = failureOf(f);
            assertInstanceOf(LoopClosedException.class, e, "" + e);
            assertTrue(e.getMessage().contains("loop 2"), e.getMessage());
        }
        loop.thread().join(TestSupport.PATIENCE.toMillis());
        assertTrue(!loop.thread().isAlive(), "the loop thread has ended");
    }

    @Test
    void submissionsAfterCloseAreRejected() {
        Loop loop = Loop.start(LoopConfig.builder().build());
        loop.close();
        assertThrows(LoopClosedException.class, () -> loop.execute(() -> { }));
        assertInstanceOf(LoopClosedException.class, failureOf(loop.call(() -> 1)));
        loop.close(); // idempotent
        assertTrue(loop.isTerminated());
    }

    @Test
    void closeFromInsideTheLoopWindsItDown() throws Exception {
        Loop loop = Loop.start(LoopConfig.builder().build());
        loop.execute(loop::close);
        assertTrue(loop.awaitTermination(TestSupport.PATIENCE));
    }

    @Test
    void aThreadThatIgnoresInterruptsIsAbandonedAfterTheCloseTimeout() throws Exception {
        Loop loop = Loop.start(LoopConfig.builder().closeTimeout(Duration.ofMillis(200)).build());
        CompletableFuture<Object> stubborn = loop.callAsync(() -> loop.spawnThread(() -> {
            while (true) {
                try {
                    Await.await(new Promise<Void>(loop)); // parks; nothing will ever complete it
                } catch (RuntimeException ignored) {
                    Thread.interrupted(); // swallow the interrupt and wait again, forever
                }
            }
        }));
        get(loop.call(() -> null));
        loop.close();
        assertTrue(loop.isTerminated());
        assertTrue(!stubborn.isDone() || stubborn.isCompletedExceptionally());
    }

    @Test
    void closingAHandDrivenLoopFailsWhatItHeld() {
        ManualClock clock = new ManualClock();
        Loop loop = new Loop(LoopConfig.builder().clock(clock).build());
        loop.runOnce();
        Future<Void> sleep = loop.sleep(Duration.ofSeconds(1));
        Future<Integer> spawned = loop.spawn(() -> 1);
        List<Throwable> abandoned = new ArrayList<>();
        loop.execute(new Task() {
            @Override
            public void run() {
                throw new AssertionError("must not run after close");
            }

            @Override
            public void abandon(LoopClosedException cause) {
                abandoned.add(cause);
            }
        });
        loop.close();
        assertTrue(loop.isTerminated());
        assertInstanceOf(LoopClosedException.class, sleep.cause());
        assertInstanceOf(LoopClosedException.class, spawned.cause());
        assertEquals(1, abandoned.size());
    }

    @Test
    void closingANeverStartedLoopFailsItsInbox() {
        Loop loop = new Loop(LoopConfig.builder().build());
        CompletableFuture<Integer> f = loop.call(() -> 1);
        loop.close();
        assertInstanceOf(LoopClosedException.class, failureOf(f));
    }
}
