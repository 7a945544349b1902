package io.shardline.core;

/**
 * A signal that aborts many operations at once, like Seastar's {@code abort_source}. Owned by one
 * loop; not thread-safe.
 *
 * <p>Operations subscribe ({@link Future#cancelOn}); {@link #abort()} runs every subscription once,
 * in subscription order. Unsubscribing is O(1), so a completed operation leaves nothing behind.
 */
public final class AbortSource {
    private boolean aborted;
    private Subscription head;
    private Subscription tail;

    public boolean isAborted() {
        return aborted;
    }

    /** Aborts: runs and drops every subscription. Later calls do nothing. */
    public void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        // Take one subscription at a time from the live list: an action may close later ones.
        Subscription s;
        while ((s = head) != null) {
            s.close();
            s.action.run();
        }
    }

    /**
     * Runs {@code action} when this source aborts. If it already has, runs it now and returns null;
     * otherwise returns a subscription to close once the operation no longer needs it.
     */
    public Subscription subscribe(Runnable action) {
        if (aborted) {
            action.run();
            return null;
        }
        Subscription s = new Subscription(this, action);
        if (tail == null) {
            head = tail = s;
        } else {
            tail.next = s;
            s.prev = tail;
            tail = s;
        }
        return s;
    }

    /** One subscriber's registration; closing it is O(1) and idempotent. Owned like its source. */
    public static final class Subscription implements AutoCloseable {
        private AbortSource owner;
        private final Runnable action;
        private Subscription prev;
        private Subscription next;

        private Subscription(AbortSource owner, Runnable action) {
            this.owner = owner;
            this.action = action;
        }

        @Override
        public void close() {
            AbortSource src = owner;
            if (src == null) {
                return;
            }
            owner = null;
            if (prev != null) {
                prev.next = next;
            } else {
                src.head = next;
            }
            if (next != null) {
                next.prev = prev;
            } else {
                src.tail = prev;
            }
            prev = next = null;
        }
    }
}
