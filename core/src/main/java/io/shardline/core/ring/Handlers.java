package io.shardline.core.ring;

import java.util.Arrays;

/**
 * The table of in-flight operations' handlers, owned by one {@link Ring} and its loop thread; not
 * thread-safe.
 *
 * <p>An operation's {@code user_data} is its token: the slot in the low 32 bits and the slot's
 * generation in the high 32, so a stale token (a cancel after the operation ended) never names the
 * slot's next tenant. Slots are recycled through a free stack; the arrays grow by doubling, the only
 * allocation, and never shrink.
 */
final class Handlers {
    private Completion[] handlers = new Completion[64];
    private int[] generations = new int[64];
    /** A result produced on the loop itself (a fallback system call), delivered instead of the CQE's. */
    private int[] injected = new int[64];
    private boolean[] hasInjected = new boolean[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int live;

    /** Takes a slot for {@code handler}; returns the operation's token (never 0, never negative). */
    long add(Completion handler) {
        if (handler == null) {
            throw new NullPointerException("completion handler");
        }
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == handlers.length) {
                grow();
            }
            slot = used++;
            generations[slot] = 1;
        }
        handlers[slot] = handler;
        live++;
        return ((long) generations[slot] << 32) | slot;
    }

    private void grow() {
        int n = handlers.length * 2;
        handlers = Arrays.copyOf(handlers, n);
        generations = Arrays.copyOf(generations, n);
        injected = Arrays.copyOf(injected, n);
        hasInjected = Arrays.copyOf(hasInjected, n);
        free = Arrays.copyOf(free, n);
    }

    /** Makes the operation of {@code token} complete with {@code result} instead of its CQE's. */
    void inject(long token, int result) {
        int slot = (int) token;
        injected[slot] = result;
        hasInjected[slot] = true;
    }

    /** The result to deliver for {@code token}: an injected one, else {@code cqeResult}. */
    int result(long token, int cqeResult) {
        int slot = (int) token;
        return isLive(token) && hasInjected[slot] ? injected[slot] : cqeResult;
    }

    /**
     * The handler of {@code token}'s operation, which completed; its slot is released unless
     * {@code more} (a multishot operation that goes on). Null for a token that is not in flight.
     */
    Completion completed(long token, boolean more) {
        if (!isLive(token)) {
            return null;
        }
        int slot = (int) token;
        Completion c = handlers[slot];
        if (!more) {
            handlers[slot] = null;
            hasInjected[slot] = false;
            int g = generations[slot] + 1;
            generations[slot] = g <= 0 ? 1 : g; // tokens stay positive
            free[freeCount++] = slot;
            live--;
        }
        return c;
    }

    /** Whether {@code token}'s operation is still in flight. */
    boolean isLive(long token) {
        int slot = (int) token;
        return token > 0 && slot >= 0 && slot < used && handlers[slot] != null
                && generations[slot] == (int) (token >>> 32);
    }

    /** How many operations are in flight. */
    int live() {
        return live;
    }
}
