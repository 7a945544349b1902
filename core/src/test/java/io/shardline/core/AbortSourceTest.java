package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AbortSourceTest {
    private final ManualClock clock = new ManualClock();
    private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    private Loop loop;

    @BeforeEach
    void bindLoopToTestThread() {
        loop = new Loop(FutureTest.config(clock, uncaught));
        loop.runOnce();
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /**
     * Live subscriptions, counted forwards from head and checked backwards from tail, so a removal that
     * leaves the list inconsistent is caught too.
     */
    private static int liveSubscriptions(AbortSource source) throws ReflectiveOperationException {
        Field head = AbortSource.class.getDeclaredField("head");
        Field tail = AbortSource.class.getDeclaredField("tail");
        Field next = AbortSource.Subscription.class.getDeclaredField("next");
        Field prev = AbortSource.Subscription.class.getDeclaredField("prev");
        for (Field f : new Field[] {head, tail, next, prev}) {
            f.setAccessible(true);
        }
        int forward = 0;
        for (Object s = head.get(source); s != null; s = next.get(s)) {
            forward++;
        }
        int backward = 0;
        for (Object s = tail.get(source); s != null; s = prev.get(s)) {
            backward++;
        }
        assertEquals(forward, backward, "subscription list is inconsistent (head->next vs tail->prev)");
        return forward;
    }

    // ------------------------------------------------------------------ AbortSource alone

    @Test
    void abortRunsEverySubscriptionOnceInSubscriptionOrder() throws Exception {
        AbortSource source = new AbortSource();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            assertNotNull(source.subscribe(() -> ran.add(n)));
        }
        assertFalse(source.isAborted());
        assertEquals(5, liveSubscriptions(source));
        assertTrue(ran.isEmpty());

        source.abort();
        assertTrue(source.isAborted());
        assertEquals(List.of(0, 1, 2, 3, 4), ran);
        assertEquals(0, liveSubscriptions(source));

        source.abort();
        assertEquals(List.of(0, 1, 2, 3, 4), ran, "a second abort runs nothing");
    }

    @Test
    void closingASubscriptionRemovesIt() throws Exception {
        AbortSource source = new AbortSource();
        List<String> ran = new ArrayList<>();
        AbortSource.Subscription a = source.subscribe(() -> ran.add("a"));
        AbortSource.Subscription b = source.subscribe(() -> ran.add("b"));
        AbortSource.Subscription c = source.subscribe(() -> ran.add("c"));
        AbortSource.Subscription d = source.subscribe(() -> ran.add("d"));
        AbortSource.Subscription e = source.subscribe(() -> ran.add("e"));

        b.close(); // middle
        assertEquals(4, liveSubscriptions(source));
        a.close(); // head
        assertEquals(3, liveSubscriptions(source));
        e.close(); // tail
        assertEquals(2, liveSubscriptions(source));

        source.abort();
        assertEquals(List.of("c", "d"), ran);
        c.close(); // after abort: nothing to do
        d.close();
        assertEquals(List.of("c", "d"), ran);
    }

    @Test
    void closingIsIdempotent() throws Exception {
        AbortSource source = new AbortSource();
        List<String> ran = new ArrayList<>();
        AbortSource.Subscription a = source.subscribe(() -> ran.add("a"));
        AbortSource.Subscription b = source.subscribe(() -> ran.add("b"));
        AbortSource.Subscription c = source.subscribe(() -> ran.add("c"));

        b.close();
        b.close();
        assertEquals(2, liveSubscriptions(source));
        a.close();
        b.close(); // closing again after its neighbours changed must not relink anything
        assertEquals(1, liveSubscriptions(source));
        c.close();
        c.close();
        a.close();
        assertEquals(0, liveSubscriptions(source));

        // The emptied list accepts new subscriptions.
        source.subscribe(() -> ran.add("d"));
        source.subscribe(() -> ran.add("e"));
        b.close();
        assertEquals(2, liveSubscriptions(source));
        source.abort();
        assertEquals(List.of("d", "e"), ran);
    }

    @Test
    void subscribingAfterAbortRunsAtOnceAndReturnsNull() {
        AbortSource source = new AbortSource();
        source.abort();
        AtomicInteger ran = new AtomicInteger();
        assertNull(source.subscribe(ran::incrementAndGet));
        assertEquals(1, ran.get());
        source.abort();
        assertEquals(1, ran.get());
    }

    @Test
    void anActionThatSubscribesDuringAbortRunsItsNewSubscriptionAtOnce() {
        AbortSource source = new AbortSource();
        List<String> ran = new ArrayList<>();
        source.subscribe(() -> {
            ran.add("first");
            assertNull(source.subscribe(() -> ran.add("nested")));
        });
        source.subscribe(() -> ran.add("second"));
        source.abort();
        assertEquals(List.of("first", "nested", "second"), ran);
    }

    /**
     * BUG (see report): AbortSource.abort() reads {@code s.next} after running the previous action;
     * when that action closes the next subscription, close() nulls that subscription's {@code next},
     * so abort() still runs the closed one and then stops, skipping every later subscription.
     */
    @Test
    void anActionThatClosesALaterSubscriptionDoesNotStopTheOthers() {
        AbortSource source = new AbortSource();
        List<String> ran = new ArrayList<>();
        AbortSource.Subscription[] b = new AbortSource.Subscription[1];
        source.subscribe(() -> {
            ran.add("a");
            b[0].close();
        });
        b[0] = source.subscribe(() -> ran.add("b"));
        source.subscribe(() -> ran.add("c"));
        source.subscribe(() -> ran.add("d"));
        source.abort();
        assertEquals(List.of("a", "c", "d"), ran, "b was closed before its turn; c and d must still run");
    }

    // ------------------------------------------------------------------ Future.cancelOn

    @Test
    void cancelOnCancelsPendingFuturesOnAbortAndLeavesCompletedOnesAlone() throws Exception {
        AbortSource source = new AbortSource();
        AtomicInteger hooks = new AtomicInteger();
        Promise<String> pending1 = new Promise<String>(loop).onCancel(hooks::incrementAndGet);
        Promise<String> pending2 = new Promise<String>(loop).onCancel(hooks::incrementAndGet);
        Promise<String> completed = new Promise<String>(loop).onCancel(hooks::incrementAndGet);
        assertSame(pending1, pending1.cancelOn(source));
        pending2.cancelOn(source);
        completed.cancelOn(source);
        completed.succeed("done");

        source.abort();
        assertTrue(pending1.isCancelled());
        assertTrue(pending2.isCancelled());
        assertInstanceOf(CancellationException.class, pending1.cause());
        assertEquals(2, hooks.get(), "the cancel hooks of the two pending futures ran");
        assertEquals("done", completed.getNow());
        assertFalse(completed.isCancelled());
    }

    @Test
    void aCompletedFuturesSubscriptionIsRemoved() throws Exception {
        AbortSource source = new AbortSource();
        Promise<String> a = new Promise<>(loop);
        a.cancelOn(source);
        Promise<String> b = new Promise<>(loop);
        b.cancelOn(source);
        Promise<String> c = new Promise<>(loop);
        c.cancelOn(source);
        assertEquals(3, liveSubscriptions(source));

        b.succeed("b");
        assertEquals(2, liveSubscriptions(source), "completing b removes its subscription");
        c.fail(new java.io.IOException("c"));
        assertEquals(1, liveSubscriptions(source), "failing c removes its subscription");
        a.succeed("a");
        assertEquals(0, liveSubscriptions(source));

        source.abort();
        assertEquals("a", a.getNow());
        assertEquals("b", b.getNow());
        assertFalse(c.isCancelled());
    }

    @Test
    void cancelOnAnAbortedSourceCancelsAtOnce() throws Exception {
        AbortSource source = new AbortSource();
        source.abort();
        Promise<String> p = new Promise<>(loop);
        p.cancelOn(source);
        assertTrue(p.isCancelled());
        assertEquals(0, liveSubscriptions(source));

        Future<String> done = Future.succeeded("x");
        assertSame(done, done.cancelOn(source));
        assertEquals("x", done.getNow());
    }

    @Test
    void abortDisarmsTheTimerOfASleep() {
        AbortSource source = new AbortSource();
        Future<Void> sleep = loop.sleep(Duration.ofSeconds(1)).cancelOn(source);
        loop.runOnce();
        assertEquals(1, loop.stats().timersPending());
        source.abort();
        assertTrue(sleep.isCancelled());
        loop.runOnce();
        assertEquals(0, loop.stats().timersPending());
    }

    /**
     * BUG (see report): a derived future that also listens to the same source closes its subscription
     * while abort() is walking the list (cancelling f1 completes f1.map(..), whose listener closes its
     * subscription), and abort() then skips every subscription after it.
     */
    @Test
    void abortCancelsEveryPendingFutureWhenChainedFuturesShareTheSource() {
        AbortSource source = new AbortSource();
        Promise<Integer> first = new Promise<>(loop);
        first.cancelOn(source);
        Future<Integer> mapped = first.map(x -> x + 1).cancelOn(source);
        Promise<Integer> unrelated = new Promise<>(loop);
        unrelated.cancelOn(source);

        source.abort();
        assertTrue(first.isCancelled());
        assertTrue(mapped.isCancelled());
        assertTrue(unrelated.isCancelled(), "a pending future subscribed to the aborted source must be cancelled");
    }
}
