package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Bridges} between loop futures and {@link CompletableFuture}: on a loop driven by hand
 * from the test thread, and on a started loop where the loop's own thread is the point of the test.
 */
class BridgesTest {
    private final ManualClock clock = new ManualClock();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Loop loop;

    @BeforeEach
    void bindLoopToTestThread() {
        loop = new Loop(FutureTest.config(clock, uncaught));
        loop.runOnce(); // binds the loop to this thread
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private <T> Promise<T> promise() {
        return new Promise<>(loop);
    }

    /** Runs loop iterations until {@code done} holds; fails after a bounded number of them. */
    private void runUntil(BooleanSupplier done) {
        for (int i = 0; i < 1_000_000; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            loop.runOnce();
        }
        fail("condition not reached after 1,000,000 loop iterations");
    }

    @Test
    void toCompletableFutureCarriesTheOutcome() throws Exception {
        Promise<String> ok = promise();
        CompletableFuture<String> okCf = Bridges.toCompletableFuture(ok);
        assertFalse(okCf.isDone());
        ok.succeed("v");
        assertEquals("v", okCf.getNow(null));

        Promise<String> bad = promise();
        CompletableFuture<String> badCf = Bridges.toCompletableFuture(bad);
        IOException boom = new IOException("boom");
        bad.fail(boom);
        ExecutionException ee = assertThrows(ExecutionException.class, () -> badCf.get(1, TimeUnit.SECONDS));
        assertSame(boom, ee.getCause());

        assertEquals("done", Bridges.toCompletableFuture(Future.succeeded("done")).getNow(null));
        assertTrue(Bridges.toCompletableFuture(Future.failed(boom)).isCompletedExceptionally());

        Promise<String> cancelled = promise();
        CompletableFuture<String> cancelledCf = Bridges.toCompletableFuture(cancelled);
        cancelled.cancel();
        assertTrue(cancelledCf.isCancelled());
    }

    @Test
    void toCompletableFutureIsCompletedOnTheLoopThread() throws Exception {
        try (Loop started = Loop.start(FutureTest.config(new ManualClock(), uncaught))) {
            AtomicReference<Promise<String>> holder = new AtomicReference<>();
            CompletableFuture<Thread> completedOn = new CompletableFuture<>();
            CompletableFuture<String> cf = started.call(() -> {
                Promise<String> p = new Promise<>(started);
                holder.set(p);
                CompletableFuture<String> bridge = Bridges.toCompletableFuture(p);
                bridge.whenComplete((v, e) -> completedOn.complete(Thread.currentThread()));
                return bridge;
            }).get(10, TimeUnit.SECONDS);
            assertFalse(cf.isDone());
            started.call(() -> {
                holder.get().succeed("from the loop");
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertEquals("from the loop", cf.get(10, TimeUnit.SECONDS));
            assertSame(started.thread(), completedOn.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void fromCompletionStageCompletedByAForeignThreadCompletesOnTheLoopThread() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> f = Bridges.fromCompletionStage(loop, cf);
        AtomicReference<Thread> completedOn = new AtomicReference<>();
        f.whenComplete((v, e) -> completedOn.set(Thread.currentThread()));

        Thread foreign = Thread.ofPlatform().name("foreign-completer").start(() -> cf.complete("hello"));
        foreign.join(10_000);
        assertFalse(foreign.isAlive());
        assertTrue(cf.isDone());
        assertFalse(f.isDone(), "the completion crosses to the loop; it must not complete the future on the foreign thread");
        assertNull(completedOn.get());

        runUntil(f::isDone);
        assertEquals("hello", f.getNow());
        assertSame(Thread.currentThread(), completedOn.get(), "completed on the loop's thread");
        assertSame(loop.thread(), completedOn.get());
    }

    @Test
    void fromCompletionStageUnwrapsTheFailureCause() throws Exception {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Future<String> f = Bridges.fromCompletionStage(loop, cf.thenApply(s -> s));
        IOException boom = new IOException("remote failure");
        Thread foreign = Thread.ofPlatform().start(() -> cf.completeExceptionally(boom));
        foreign.join(10_000);
        runUntil(f::isDone);
        assertSame(boom, f.cause(), "the CompletionException wrapper is removed");

        Future<String> already = Bridges.fromCompletionStage(loop, CompletableFuture.completedFuture("now"));
        assertEquals("now", already.getNow(), "an already completed stage completes the future at once on the loop");
    }

    @Test
    void fromCompletionStageOnAStartedLoopRunsContinuationsOnTheLoopThread() throws Exception {
        try (Loop started = Loop.start(FutureTest.config(new ManualClock(), uncaught))) {
            CompletableFuture<Integer> external = new CompletableFuture<>();
            CompletableFuture<Thread> result = started.callAsync(
                    () -> Bridges.fromCompletionStage(started, external).map(v -> Thread.currentThread()));
            Thread foreign = Thread.ofPlatform().name("foreign-completer").start(() -> external.complete(1));
            foreign.join(10_000);
            Thread ranOn = result.get(10, TimeUnit.SECONDS);
            assertSame(started.thread(), ranOn);
            assertFalse(ranOn.getName().equals("foreign-completer"));
        }
    }
}
