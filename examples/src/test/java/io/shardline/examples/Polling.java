package io.shardline.examples;

import java.time.Duration;

/**
 * Waiting, on a test thread, for state that something outside the test publishes with no signal to
 * wait on (another process such as kcat or redis-server, a client library's own threads): it is looked
 * at again every 20 ms until a deadline. Stateless; tests whose state does signal use a latch instead.
 */
public final class Polling {
    private Polling() {
    }

    /** A check that may fail with an exception, which counts as "not yet". */
    @FunctionalInterface
    public interface Check {
        boolean done() throws Exception;
    }

    /** Returns once {@code done} holds; an {@link AssertionError} naming {@code what} after {@code patience}. */
    public static void await(String what, Duration patience, Check done) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (done.done()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError timedOut = new AssertionError("not within " + patience.toSeconds() + " s: " + what);
                if (last != null) {
                    timedOut.addSuppressed(last);
                }
                throw timedOut;
            }
            Thread.sleep(20); // nothing signals this state: look again shortly
        }
    }
}
