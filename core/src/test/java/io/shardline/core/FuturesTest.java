package io.shardline.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tests of {@link Futures#all} and {@link Futures#any} on a loop driven by hand from the test thread. */
class FuturesTest {
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

    @Test
    void allKeepsInputOrderWhateverTheCompletionOrder() {
        Promise<String> a = promise();
        Promise<String> b = promise();
        Promise<String> c = promise();
        Future<List<String>> all = Futures.all(List.of(a, b, Future.succeeded("done"), c));
        c.succeed("c");
        a.succeed("a");
        assertFalse(all.isDone());
        b.succeed("b");
        assertEquals(List.of("a", "b", "done", "c"), all.getNow());

        assertEquals(List.of(), Futures.all(List.of()).getNow());
    }

    @Test
    void allFailsAsSoonAsTheFirstInputFails() {
        Promise<String> a = promise();
        Promise<String> b = promise();
        Promise<String> c = promise();
        Future<List<String>> all = Futures.all(List.of(a, b, c));
        a.succeed("a");
        IOException first = new IOException("first");
        b.fail(first);
        assertTrue(all.isFailed(), "fails without waiting for c");
        assertSame(first, all.cause());
        c.fail(new IOException("second"));
        assertSame(first, all.cause());
    }

    @Test
    void anyCompletesLikeTheFirstToComplete() {
        Promise<String> a = promise();
        Promise<String> b = promise();
        Future<String> any = Futures.any(List.of(a, b));
        assertFalse(any.isDone());
        b.succeed("b");
        assertEquals("b", any.getNow());
        a.fail(new IOException("late"));
        assertEquals("b", any.getNow());

        Promise<String> c = promise();
        Promise<String> d = promise();
        Future<String> anyFailed = Futures.any(List.of(c, d));
        IOException boom = new IOException("first is a failure");
        d.fail(boom);
        c.succeed("late success");
        assertSame(boom, anyFailed.cause());

        Promise<String> e = promise();
        assertEquals("now", Futures.any(List.of(e, Future.succeeded("now"))).getNow());
    }
}
