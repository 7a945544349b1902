package io.shardline.core;

import static io.shardline.core.TestSupport.failureOf;
import static io.shardline.core.TestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Tests of {@link Await#await}: blocking-style waiting inside a virtual thread confined to a loop. */
class AwaitTest {

    @Test
    void awaitRethrowsFailuresAndCancellations() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            var failed = loop.callAsync(() -> loop.spawnThread(() -> {
                Promise<Integer> p = new Promise<>(loop);
                loop.execute(() -> p.fail(new IllegalStateException("nope")));
                try {
                    Await.await(p);
                    return "no exception";
                } catch (CompletionException e) {
                    return e.getCause().getMessage();
                }
            }));
            assertEquals("nope", get(failed));
            var cancelled = loop.callAsync(() -> loop.spawnThread(() -> {
                Future<Void> f = loop.sleep(Duration.ofDays(1));
                loop.execute(f::cancel);
                try {
                    Await.await(f);
                    return "no exception";
                } catch (CancellationException e) {
                    return "cancelled";
                }
            }));
            assertEquals("cancelled", get(cancelled));
        }
    }

    @Test
    void awaitOnTheLoopThreadItselfIsRefused() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            Throwable e = failureOf(loop.call(() -> Await.await(new Promise<Integer>(loop))));
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("spawnThread"), e.getMessage());
        }
    }

    @Test
    void awaitOnAFutureOfAnotherLoopIsRefusedNamingBothLoops() {
        try (Loop mine = Loop.start(LoopConfig.builder().id(1).build());
             Loop theirs = Loop.start(LoopConfig.builder().id(2).build())) {
            Promise<Integer> foreign = get(theirs.call(() -> new Promise<Integer>(theirs)));
            Throwable e = failureOf(mine.callAsync(() -> mine.spawnThread(() -> Await.await(foreign))));
            assertInstanceOf(IllegalStateException.class, e);
            assertTrue(e.getMessage().contains("loop 2") && e.getMessage().contains("loop 1"), e.getMessage());
        }
    }

    @Test
    void awaitOnACompletedFutureReturnsItsValueWithoutParking() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            // Off every loop (the test thread) a pending future would be refused; a completed one just answers.
            assertEquals("now", Await.await(Future.succeeded("now")));
            assertEquals(7, get(loop.callAsync(() -> loop.spawnThread(() -> Await.await(Future.succeeded(7))))));
        }
    }
}
