package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link Future} and {@link Promise} on a loop driven by hand from the test thread (fully
 * deterministic), plus a few on a started loop where a second thread is the point of the test.
 */
class FutureTest {
    private static final long TICK = 1L << 19;

    private final ManualClock clock = new ManualClock();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Loop loop;

    @BeforeEach
    void bindLoopToTestThread() {
        loop = new Loop(config(clock, uncaught));
        loop.runOnce(); // binds the loop to this thread
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    static LoopConfig config(ManualClock clock, List<Throwable> uncaught) {
        return LoopConfig.builder()
                .clock(clock)
                .uncaughtHandler((l, t) -> uncaught.add(t))
                // A hand-driven loop looks stalled between runOnce calls; keep the watchdog quiet.
                .stallThreshold(Duration.ofHours(1))
                .stallListener(r -> { })
                .build();
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

    private void drain() {
        for (int i = 0; i < 1000 && loop.runOnce() > 0; i++) {
            // keep iterating while there is work
        }
    }

    private long timersPending() {
        loop.runOnce(); // stats are published at the end of an iteration
        return loop.stats().timersPending();
    }

    // ------------------------------------------------------------------ map / flatMap / handle / recover

    @Test
    void valuesThatAreThemselvesContinuationsOrFuturesAreValuesNotListeners() {
        // A pending future keeps its continuation in the field that later holds its value, so a value
        // that is a BiConsumer (a lambda, or one of the runtime's own stages) must not pass for one.
        java.util.function.BiConsumer<Object, Throwable> callback = (v, e) -> fail("a value is never called");
        Promise<java.util.function.BiConsumer<Object, Throwable>> p = promise();
        Future<java.util.function.BiConsumer<Object, Throwable>> same = p.map(c -> c);
        List<Object> seen = new ArrayList<>();
        p.whenComplete((v, e) -> seen.add(v));
        assertFalse(p.isDone());
        p.succeed(callback);
        assertTrue(p.isSucceeded());
        assertSame(callback, p.getNow());
        assertSame(callback, same.getNow());
        assertEquals(List.of(callback), seen);
        assertSame(callback, Future.succeeded(callback).getNow());
        assertTrue(Future.succeeded(callback).isDone());

        // A stage whose value is another, still pending, stage: the inner one is a value until it completes.
        Promise<Integer> inner = promise();
        Promise<Integer> outer = promise();
        Future<Future<Integer>> nested = outer.map(x -> inner.map(y -> x + y));
        outer.succeed(1);
        assertTrue(nested.isSucceeded());
        Future<Integer> innerStage = nested.getNow();
        assertFalse(innerStage.isDone());
        assertSame(innerStage, nested.map(f -> f).getNow());
        inner.succeed(2);
        assertEquals(3, innerStage.getNow());
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }

    @Test
    void mapTransformsTheValueWhenThePromiseSucceeds() {
        Promise<Integer> p = promise();
        Future<String> f = p.map(i -> "v" + i);
        assertFalse(f.isDone());
        p.succeed(41);
        assertTrue(f.isSucceeded());
        assertEquals("v41", f.getNow());
    }

    @Test
    void mapPassesAFailureThroughWithoutCallingTheFunction() {
        Promise<Integer> p = promise();
        AtomicInteger calls = new AtomicInteger();
        Future<Integer> f = p.map(i -> calls.incrementAndGet());
        IOException boom = new IOException("boom");
        p.fail(boom);
        assertTrue(f.isFailed());
        assertSame(boom, f.cause());
        assertEquals(0, calls.get());

        Future<Integer> g = Future.<Integer>failed(boom).map(i -> calls.incrementAndGet());
        assertSame(boom, g.cause());
        assertEquals(0, calls.get());
    }

    @Test
    void mapOnACompletedFutureComputesAtOnce() {
        Future<Integer> f = Future.succeeded(20).map(i -> i + 1);
        assertTrue(f.isDone());
        assertEquals(21, f.getNow());
    }

    @Test
    void anExceptionThrownInsideMapFailsTheDerivedFuture() {
        IllegalStateException boom = new IllegalStateException("in map");
        Promise<Integer> p = promise();
        Future<Integer> pending = p.map(i -> {
            throw boom;
        });
        p.succeed(1);
        assertSame(boom, pending.cause());

        Future<Integer> completed = Future.succeeded(1).map(i -> {
            throw boom;
        });
        assertSame(boom, completed.cause());
        assertTrue(uncaught.isEmpty(), "a failure carried by a future is not an uncaught exception");
    }

    @Test
    void flatMapFollowsTheFunctionsFuture() {
        Promise<Integer> p = promise();
        Promise<String> inner = promise();
        AtomicReference<Integer> seen = new AtomicReference<>();
        Future<String> f = p.flatMap(i -> {
            seen.set(i);
            return inner;
        });
        p.succeed(7);
        assertEquals(7, seen.get());
        assertFalse(f.isDone(), "must wait for the inner future");
        inner.succeed("seven");
        assertEquals("seven", f.getNow());

        Promise<Integer> p2 = promise();
        Promise<String> inner2 = promise();
        Future<String> g = p2.flatMap(i -> inner2);
        p2.succeed(1);
        IOException boom = new IOException("inner failed");
        inner2.fail(boom);
        assertSame(boom, g.cause());
    }

    @Test
    void flatMapPassesAFailureThroughWithoutCallingTheFunction() {
        Promise<Integer> p = promise();
        AtomicInteger calls = new AtomicInteger();
        Future<Integer> f = p.flatMap(i -> {
            calls.incrementAndGet();
            return Future.succeeded(i);
        });
        IOException boom = new IOException("boom");
        p.fail(boom);
        assertSame(boom, f.cause());
        assertEquals(0, calls.get());
    }

    @Test
    void anExceptionThrownInsideFlatMapFailsTheDerivedFuture() {
        IllegalArgumentException boom = new IllegalArgumentException("in flatMap");
        Promise<Integer> p = promise();
        Future<Integer> pending = p.flatMap(i -> {
            throw boom;
        });
        p.succeed(1);
        assertSame(boom, pending.cause());

        Future<Integer> completed = Future.succeeded(1).flatMap(i -> {
            throw boom;
        });
        assertSame(boom, completed.cause());

        Promise<Integer> p2 = promise();
        Future<Integer> nullReturn = p2.flatMap(i -> null);
        p2.succeed(1);
        assertInstanceOf(NullPointerException.class, nullReturn.cause(), "a null future from the function is a failure");
        assertTrue(uncaught.isEmpty());
    }

    @Test
    void flatMapOnACompletedFutureReturnsExactlyTheFunctionsFuture() {
        Promise<String> inner = promise();
        assertSame(inner, Future.succeeded(1).flatMap(i -> inner));

        Promise<Integer> completedPromise = promise();
        completedPromise.succeed(5);
        Future<String> completedInner = Future.succeeded("x");
        assertSame(completedInner, completedPromise.flatMap(i -> completedInner));
    }

    @Test
    void succeededNullIsOneSharedInstance() {
        Future<Object> a = Future.succeeded(null);
        Future<String> b = Future.succeeded(null);
        assertSame(a, b);
        assertTrue(a.isSucceeded());
        assertNull(a.getNow());
        assertTrue(Future.succeeded(1).isSucceeded());
    }

    @Test
    void handleSeesSuccessAndFailureAlike() {
        Promise<Integer> ok = promise();
        Future<String> okHandled = ok.handle((v, e) -> "v=" + v + ",e=" + e);
        ok.succeed(3);
        assertEquals("v=3,e=null", okHandled.getNow());

        Promise<Integer> bad = promise();
        IOException boom = new IOException("boom");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Future<String> badHandled = bad.handle((v, e) -> {
            seen.set(e);
            return "recovered " + v;
        });
        bad.fail(boom);
        assertSame(boom, seen.get());
        assertEquals("recovered null", badHandled.getNow());

        // already-completed paths
        assertEquals("v=4,e=null", Future.succeeded(4).handle((v, e) -> "v=" + v + ",e=" + e).getNow());
        assertEquals("e=boom", Future.failed(boom).handle((v, e) -> "e=" + e.getMessage()).getNow());
    }

    @Test
    void anExceptionThrownInsideHandleFailsTheDerivedFuture() {
        IllegalStateException boom = new IllegalStateException("in handle");
        Promise<Integer> p = promise();
        Future<Integer> pending = p.handle((v, e) -> {
            throw boom;
        });
        p.succeed(1);
        assertSame(boom, pending.cause());

        Future<Integer> completed = Future.failed(new IOException()).handle((v, e) -> {
            throw boom;
        });
        assertSame(boom, completed.cause());
    }

    @Test
    void recoverTurnsAFailureIntoAValueAndLetsASuccessThrough() {
        Promise<String> bad = promise();
        Future<String> recovered = bad.recover(e -> "fallback:" + e.getMessage());
        bad.fail(new IOException("disk"));
        assertEquals("fallback:disk", recovered.getNow());

        Promise<String> ok = promise();
        AtomicInteger calls = new AtomicInteger();
        Future<String> passed = ok.recover(e -> {
            calls.incrementAndGet();
            return "no";
        });
        ok.succeed("yes");
        assertEquals("yes", passed.getNow());
        assertEquals(0, calls.get());

        IllegalStateException again = new IllegalStateException("recover failed");
        Future<String> failedAgain = Future.<String>failed(new IOException()).recover(e -> {
            throw again;
        });
        assertSame(again, failedAgain.cause());
    }

    // ------------------------------------------------------------------ whenComplete

    @Test
    void whenCompleteRunsOnCompletionAndReturnsTheSameFuture() {
        Promise<Integer> p = promise();
        List<String> events = new ArrayList<>();
        assertSame(p, p.whenComplete((v, e) -> events.add("first " + v + " " + e)));
        p.whenComplete((v, e) -> events.add("second " + v + " " + e));
        assertTrue(events.isEmpty());
        p.succeed(9);
        assertEquals(List.of("first 9 null", "second 9 null"), events);

        p.whenComplete((v, e) -> events.add("late " + v));
        assertEquals("late 9", events.get(2), "runs at once on a completed future");

        Promise<Integer> q = promise();
        IOException boom = new IOException("x");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        q.whenComplete((v, e) -> seen.set(e));
        q.fail(boom);
        assertSame(boom, seen.get());
    }

    @Test
    void anExceptionInWhenCompleteGoesToTheUncaughtHandlerAndTheLoopGoesOn() {
        Promise<Integer> p = promise();
        RuntimeException boom = new RuntimeException("listener failed");
        AtomicInteger laterListener = new AtomicInteger();
        p.whenComplete((v, e) -> {
            throw boom;
        });
        p.whenComplete((v, e) -> laterListener.incrementAndGet());
        p.succeed(1);

        assertEquals(List.of(boom), uncaught);
        assertEquals(1, laterListener.get(), "the next listener still runs");
        assertTrue(p.isSucceeded(), "the future itself is not affected");

        // already completed path, on an unowned future
        RuntimeException boom2 = new RuntimeException("listener on completed");
        Future.succeeded(5).whenComplete((v, e) -> {
            throw boom2;
        });
        assertEquals(List.of(boom, boom2), uncaught);

        AtomicInteger ran = new AtomicInteger();
        loop.execute(ran::incrementAndGet);
        drain();
        assertEquals(1, ran.get(), "the loop keeps running tasks");
        assertEquals(2, loop.stats().uncaught());
    }

    @Test
    void anExceptionInWhenCompleteOnAStartedLoopLeavesTheLoopThreadRunning() throws Exception {
        CompletableFuture<Throwable> reported = new CompletableFuture<>();
        LoopConfig cfg = LoopConfig.builder()
                .clock(new ManualClock())
                .uncaughtHandler((l, t) -> reported.complete(t))
                .build();
        try (Loop started = Loop.start(cfg)) {
            RuntimeException boom = new RuntimeException("boom on the loop");
            started.call(() -> {
                Promise<Integer> p = new Promise<>(started);
                p.whenComplete((v, e) -> {
                    throw boom;
                });
                p.succeed(1);
                return null;
            }).get(10, TimeUnit.SECONDS);
            assertSame(boom, reported.get(10, TimeUnit.SECONDS));
            assertEquals(42, started.call(() -> 42).get(10, TimeUnit.SECONDS));
            assertTrue(started.thread().isAlive());
        }
    }

    // ------------------------------------------------------------------ withTimeout

    @Test
    void withTimeoutFailsWithTimeoutExceptionOnceTheClockPassesItAndCancelsTheSource() {
        AtomicInteger hook = new AtomicInteger();
        Promise<String> source = new Promise<String>(loop).onCancel(hook::incrementAndGet);
        Future<String> timed = source.withTimeout(Duration.ofMillis(100));
        loop.runOnce();
        assertFalse(timed.isDone());

        clock.advanceNanos(Duration.ofMillis(100).toNanos() - 1);
        loop.runOnce();
        assertFalse(timed.isDone(), "must not time out before the deadline");
        assertFalse(source.isDone());

        clock.advanceNanos(1 + TICK);
        loop.runOnce();
        assertTrue(timed.isFailed());
        assertInstanceOf(TimeoutException.class, timed.cause());
        assertTrue(source.isCancelled(), "the timed-out source is cancelled");
        assertEquals(1, hook.get(), "the source's cancel hook ran");
        assertEquals(0, timersPending());
    }

    @Test
    void withTimeoutDoesNotFireWhenTheSourceCompletesFirst() {
        Promise<String> source = promise();
        Future<String> timed = source.withTimeout(Duration.ofMillis(100));
        assertEquals(1, timersPending());
        clock.advance(Duration.ofMillis(50));
        loop.runOnce();
        source.succeed("in time");
        assertEquals("in time", timed.getNow());
        assertEquals(0, timersPending(), "completing the source disarms the timeout timer");

        clock.advance(Duration.ofSeconds(1));
        drain();
        assertEquals("in time", timed.getNow());
        assertEquals(0, loop.stats().timersFired());

        Promise<String> failing = promise();
        Future<String> timedFailure = failing.withTimeout(Duration.ofMillis(100));
        IOException boom = new IOException("failed in time");
        failing.fail(boom);
        assertSame(boom, timedFailure.cause());
        assertEquals(0, timersPending());
    }

    @Test
    void withTimeoutOnACompletedFutureIsThatFuture() {
        Future<String> done = Future.succeeded("x");
        assertSame(done, done.withTimeout(Duration.ofMillis(1)));
        assertEquals(0, timersPending());
    }

    @Test
    void cancellingAWithTimeoutFutureCancelsTheSourceAndDisarmsTheTimer() {
        Promise<String> source = promise();
        Future<String> timed = source.withTimeout(Duration.ofMillis(100));
        assertTrue(timed.cancel());
        assertTrue(source.isCancelled());
        assertEquals(0, timersPending());
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void cancelCompletesWithCancellationExceptionAndRunsTheHookOnce() {
        AtomicInteger hook = new AtomicInteger();
        Promise<String> p = new Promise<String>(loop).onCancel(hook::incrementAndGet);
        List<Throwable> seen = new ArrayList<>();
        p.whenComplete((v, e) -> seen.add(e));
        assertTrue(p.cancel());
        assertTrue(p.isCancelled());
        assertTrue(p.isFailed());
        assertInstanceOf(CancellationException.class, p.cause());
        assertEquals(1, hook.get());
        assertEquals(1, seen.size());
        assertInstanceOf(CancellationException.class, seen.get(0));
        assertThrows(CancellationException.class, p::getNow);

        assertFalse(p.cancel(), "second cancel does nothing");
        assertEquals(1, hook.get());
        assertFalse(p.trySucceed("late"));
    }

    @Test
    void cancelOnACompletedFutureDoesNothing() {
        AtomicInteger hook = new AtomicInteger();
        Promise<String> p = new Promise<String>(loop).onCancel(hook::incrementAndGet);
        p.succeed("done");
        assertFalse(p.cancel());
        assertEquals(0, hook.get());
        assertEquals("done", p.getNow());
        assertFalse(Future.succeeded(1).cancel());
    }

    @Test
    void cancelTravelsUpstreamThroughMapAndDisarmsTheSleepTimer() {
        Future<Void> sleep = loop.sleep(Duration.ofSeconds(1));
        Future<String> mapped = sleep.map(v -> "woke");
        assertEquals(1, timersPending());

        assertTrue(mapped.cancel());
        assertTrue(mapped.isCancelled());
        assertTrue(sleep.isCancelled(), "cancel travels upstream");
        assertEquals(0, timersPending(), "the sleep's timer is disarmed");

        clock.advance(Duration.ofSeconds(2));
        drain();
        assertEquals(0, loop.stats().timersFired());
    }

    @Test
    void cancelTravelsUpstreamThroughHandle() {
        Future<Void> sleep = loop.sleep(Duration.ofSeconds(1));
        Future<String> handled = sleep.handle((v, e) -> "x");
        assertTrue(handled.cancel());
        assertTrue(sleep.isCancelled());
        assertEquals(0, timersPending());
    }

    @Test
    void cancelTravelsThroughFlatMapToTheSourceWhileItIsPending() {
        Future<Void> first = loop.sleep(Duration.ofSeconds(1));
        AtomicInteger calls = new AtomicInteger();
        Future<Void> chained = first.flatMap(v -> {
            calls.incrementAndGet();
            return loop.sleep(Duration.ofSeconds(1));
        });
        assertTrue(chained.cancel());
        assertTrue(first.isCancelled());
        assertEquals(0, timersPending());
        clock.advance(Duration.ofSeconds(5));
        drain();
        assertEquals(0, calls.get());
    }

    @Test
    void cancelTravelsThroughFlatMapToTheInnerFutureOnceTheSourceCompleted() {
        Future<Void> first = loop.sleep(Duration.ofMillis(10));
        AtomicReference<Future<Void>> inner = new AtomicReference<>();
        Future<Void> chained = first.flatMap(v -> {
            Future<Void> f = loop.sleep(Duration.ofSeconds(1));
            inner.set(f);
            return f;
        });
        clock.advance(Duration.ofMillis(20));
        loop.runOnce();
        assertTrue(first.isSucceeded());
        assertEquals(1, timersPending(), "the inner sleep is armed");

        assertTrue(chained.cancel());
        assertTrue(inner.get().isCancelled());
        assertEquals(0, timersPending(), "the inner sleep's timer is disarmed");
    }

    @Test
    void aCancelledLongChainDisarmsTheSleepAtItsRoot() {
        Future<Void> sleep = loop.sleep(Duration.ofSeconds(1));
        Future<Integer> f = sleep.map(v -> 1);
        for (int i = 0; i < 100; i++) {
            f = f.map(x -> x + 1).flatMap(Future::succeeded);
        }
        assertTrue(f.cancel());
        assertTrue(sleep.isCancelled());
        assertEquals(0, timersPending());
    }

    // ------------------------------------------------------------------ getNow and completing twice

    @Test
    void getNowOnAPendingFutureThrowsIllegalStateException() {
        Promise<String> p = promise();
        assertThrows(IllegalStateException.class, p::getNow);
    }

    @Test
    void getNowOnAFailedFutureThrowsCompletionExceptionWithTheCause() {
        Promise<String> p = promise();
        IOException boom = new IOException("boom");
        p.fail(boom);
        CompletionException e = assertThrows(CompletionException.class, p::getNow);
        assertSame(boom, e.getCause());

        CompletionException e2 = assertThrows(CompletionException.class, Future.failed(boom)::getNow);
        assertSame(boom, e2.getCause());
    }

    @Test
    void completingTwiceThrowsWhileTheTryFormsReturnFalse() {
        Promise<String> p = promise();
        p.succeed("first");
        assertThrows(IllegalStateException.class, () -> p.succeed("second"));
        assertThrows(IllegalStateException.class, () -> p.fail(new IOException()));
        assertFalse(p.trySucceed("third"));
        assertFalse(p.tryFail(new IOException()));
        assertFalse(p.tryComplete("fourth", null));
        assertEquals("first", p.getNow());

        Promise<String> q = promise();
        assertTrue(q.tryFail(new IOException("first")));
        assertThrows(IllegalStateException.class, () -> q.succeed("x"));
        assertEquals("first", q.cause().getMessage());
    }

    @Test
    void aNullFailureIsRejected() {
        Promise<String> p = promise();
        assertThrows(IllegalArgumentException.class, () -> p.tryFail(null));
        assertThrows(IllegalArgumentException.class, () -> Future.failed(null));
        assertFalse(p.isDone());
    }

    // ------------------------------------------------------------------ deep chains

    @Test
    void aChainOf100kMapsCompletedByOnePromiseDoesNotOverflowTheStack() {
        Promise<Integer> head = promise();
        Future<Integer> f = head;
        for (int i = 0; i < 100_000; i++) {
            f = (i & 1) == 0 ? f.map(x -> x + 1) : f.flatMap(x -> Future.succeeded(x + 1));
        }
        head.succeed(0);
        Future<Integer> last = f;
        runUntil(last::isDone);
        assertTrue(uncaught.isEmpty(), () -> "unexpected uncaught: " + uncaught);
        assertEquals(100_000, last.getNow());
    }

    @Test
    void aChainFromAnUnownedPromiseCompletedOnALoopDoesNotOverflowTheStack() {
        // Made off every loop, the promise has no loop; completed on one, its chain still runs with that
        // loop's depth limit.
        Promise<Integer> head = new Promise<>((Loop) null);
        Future<Integer> f = head;
        for (int i = 0; i < 100_000; i++) {
            f = (i & 1) == 0 ? f.map(x -> x + 1) : f.handle((x, t) -> x + 1);
        }
        head.succeed(0);
        Future<Integer> last = f;
        runUntil(last::isDone);
        assertEquals(100_000, last.getNow());
    }

    @Test
    void aMapStageCancelledWhileItsFunctionRunsStaysCancelled() {
        Promise<Integer> p = promise();
        AbortSource abort = new AbortSource();
        List<Object> told = new ArrayList<>();
        Future<Integer> stage = p.map(v -> {
            abort.abort();
            return v + 1;
        }).cancelOn(abort);
        stage.whenComplete((v, e) -> told.add(e != null ? e.getClass().getSimpleName() : v));
        Future<Integer> after = stage.map(v -> v + 1);
        p.succeed(1);
        assertTrue(stage.isCancelled(), "the stage keeps the cancellation, not the value computed after it");
        assertTrue(after.isCancelled());
        assertEquals(List.of("CancellationException"), told, "its listener is told once");
        assertTrue(uncaught.isEmpty(), "uncaught: " + uncaught);
    }

    @Test
    void aFlatMapThatFollowsItsOwnStageCanStillBeCancelledAndTimedOut() {
        // The stage follows a future derived from itself: a circular link that must not hang the loop.
        Promise<Integer> p = promise();
        List<Future<Integer>> self = new ArrayList<>();
        Future<Integer> s = p.flatMap(v -> self.get(0).map(x -> x));
        self.add(s);
        Future<Integer> timed = s.withTimeout(Duration.ofMillis(10));
        p.succeed(1);
        assertFalse(s.isDone());
        clock.advance(Duration.ofMillis(20));
        runUntil(timed::isDone);
        assertInstanceOf(TimeoutException.class, timed.cause());
        assertTrue(s.isCancelled(), "the timeout cancelled the stage");
    }

    @Test
    void aThrowableCanBeAPlainValue() {
        IOException value = new IOException("a value, not a failure");
        Promise<IOException> p = promise();
        Future<String> mapped = p.map(Throwable::getMessage);
        p.succeed(value);
        assertTrue(p.isSucceeded());
        assertNull(p.cause());
        assertSame(value, p.getNow());
        assertEquals("a value, not a failure", mapped.getNow());
        assertSame(value, Bridges.toCompletableFuture(Future.succeeded(value)).join());
    }

    @Test
    void whenCompleteRefusesANullActionAndChangesNothing() {
        Promise<Integer> p = promise();
        assertThrows(NullPointerException.class, () -> p.whenComplete(null));
        assertFalse(p.isDone());
        p.succeed(1);
        assertEquals(1, p.getNow());
    }

    @Test
    void aFailureSkipsEveryMapOfAChainAndReachesItsEndAsTheSameCause() {
        Promise<Integer> head = promise();
        AtomicInteger calls = new AtomicInteger();
        Future<Integer> f = head;
        for (int i = 0; i < 1_000; i++) {
            f = f.map(x -> calls.incrementAndGet());
        }
        IOException cause = new IOException("disk gone");
        head.fail(cause);
        assertEquals(0, calls.get());
        assertSame(cause, f.cause());
    }

    @Test
    void aMapWithASecondListenerInTheMiddleOfAChainFeedsBothBranches() {
        Promise<Integer> head = promise();
        Future<Integer> middle = head.map(x -> x * 10).map(x -> x + 1);
        List<Integer> seen = new ArrayList<>();
        middle.whenComplete((v, e) -> seen.add(v));
        Future<Integer> end = middle.map(x -> x + 1).map(x -> x * 2);
        Future<Integer> failing = middle.map(x -> {
            throw new IllegalStateException("branch " + x);
        });
        head.succeed(4);
        assertEquals(List.of(41), seen);
        assertEquals(84, end.getNow());
        assertEquals("branch 41", failing.cause().getMessage());
    }

    @Test
    void aRecursiveFlatMapLoopOf100kStepsDoesNotOverflowTheStack() {
        Future<Integer> result = countUp(0, 100_000);
        runUntil(result::isDone);
        assertTrue(uncaught.isEmpty(), () -> "unexpected uncaught: " + uncaught);
        assertEquals(100_000, result.getNow());
    }

    /** Each step waits for a task, then recurses: completing the last step unwinds 100k nested flatMaps. */
    private Future<Integer> countUp(int i, int n) {
        if (i == n) {
            return Future.succeeded(i);
        }
        Promise<Void> step = promise();
        loop.execute(() -> step.succeed(null));
        return step.flatMap(v -> countUp(i + 1, n));
    }

    // ------------------------------------------------------------------ ownership

    @Test
    void touchingALoopOwnedFutureFromAForeignThreadFailsNamingBothThreads() throws Exception {
        assertTrue(Future.class.desiredAssertionStatus(), "tests must run with -ea");
        Promise<Integer> p = promise();
        String loopThread = Thread.currentThread().getName();
        Throwable mapError = thrownOn("intruder-thread", () -> p.map(x -> x + 1));
        Throwable succeedError = thrownOn("intruder-thread", () -> p.succeed(1));

        AssertionError e = assertInstanceOf(AssertionError.class, mapError);
        assertTrue(e.getMessage().contains(loopThread), () -> "message should name the loop thread: " + e.getMessage());
        assertTrue(e.getMessage().contains("intruder-thread"), () -> "message should name the foreign thread: " + e.getMessage());
        assertInstanceOf(AssertionError.class, succeedError);
        assertFalse(p.isDone(), "the foreign touch changed nothing");
        p.succeed(2);
        assertEquals(2, p.getNow());
    }

    @Test
    void aStageHasItsSourcesLoopWithoutKeepingItsOwn() throws Exception {
        // Stages find their loop through the future they derive from: the ownership check holds for a
        // pending stage, and cancelling the end of a long chain reaches the promise at the head. (The
        // listener's exception goes to this loop either way: it is both the owner and the current loop.)
        Promise<Integer> head = promise();
        AtomicReference<Runnable> cancelHook = new AtomicReference<>();
        head.onCancel(() -> cancelHook.set(() -> { }));
        Future<Integer> stage = head.map(x -> x + 1);
        AssertionError e = assertInstanceOf(AssertionError.class,
                thrownOn("stage-intruder", () -> stage.map(x -> x + 1)));
        assertTrue(e.getMessage().contains("stage-intruder"), e.getMessage());

        Future<Integer> tail = stage;
        for (int i = 0; i < 500; i++) {
            tail = i % 2 == 0 ? tail.map(x -> x + 1) : tail.handle((x, t) -> x + 1);
        }
        IllegalStateException boom = new IllegalStateException("listener at the end of the chain");
        tail.whenComplete((v, t) -> {
            throw boom;
        });
        assertTrue(tail.cancel());
        assertTrue(head.isCancelled(), "cancelling the end of the chain cancels its head");
        assertTrue(cancelHook.get() != null, "the head's cancel hook ran");
        drain();
        // The owning loop is also this thread's, so this checks delivery only; the intruder check above
        // is what needs the owner found through the long chain.
        assertEquals(List.of(boom), uncaught, "the listener's exception reached the loop's uncaught handler");
    }

    /** What {@code action} threw on a new platform thread named {@code name}, or null; waits for it. */
    private static Throwable thrownOn(String name, Runnable action) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name(name).start(() -> {
            try {
                action.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join(10_000);
        assertFalse(t.isAlive(), name + " did not finish");
        return thrown.get();
    }
}
