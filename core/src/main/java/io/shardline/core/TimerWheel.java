package io.shardline.core;

/**
 * A hierarchical timer wheel (6 levels of 64 slots) for one loop. Owned by one loop; not
 * thread-safe.
 *
 * <p>Arm and cancel are O(1): each slot is an intrusive doubly linked list of {@link Timer}s. An
 * occupancy bitmap per level finds the next deadline in O(levels), so an idle loop parks exactly
 * until its next timer instead of ticking. A tick is 2^19 ns (0.52 ms); a timer never fires early
 * and at most one tick late (plus the time the loop is busy). Level L holds timers up to 64^(L+1)
 * ticks ahead; anything beyond ~416 days waits at the top level and is re-placed as time passes.
 */
final class TimerWheel {
    static final int TICK_SHIFT = 19;
    private static final int LEVELS = 6;
    private static final int SLOT_BITS = 6;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final long SLOT_MASK = SLOTS - 1;
    private static final long MAX_TICKS = 1L << (LEVELS * SLOT_BITS);

    private final long originNanos;
    /** Index of the list of timers found due in this pass, fired one by one after the scan. */
    private static final int DUE = LEVELS * SLOTS;

    private final Timer[] heads = new Timer[LEVELS * SLOTS + 1];
    private final long[] occupied = new long[LEVELS];
    /** Every timer whose tick is at or before this has fired. */
    private long elapsed;
    private int count;
    private Timer dueTail;
    private int lastSlot;

    TimerWheel(long originNanos) {
        this.originNanos = originNanos;
    }

    int size() {
        return count;
    }

    void arm(Timer t, long deadlineNanos, long periodNanos) {
        if (t.slot >= 0) {
            unlink(t);
            count--;
        }
        t.deadlineNanos = deadlineNanos;
        t.periodNanos = periodNanos;
        // Round up so a timer never fires before its deadline; the past means the next tick.
        long d = deadlineNanos - originNanos;
        long tick = d <= 0 ? 0 : (d + (1L << TICK_SHIFT) - 1) >>> TICK_SHIFT;
        t.tick = Math.max(tick, elapsed + 1);
        place(t);
        count++;
    }

    boolean cancel(Timer t) {
        if (t.slot < 0) {
            return false;
        }
        unlink(t);
        count--;
        return true;
    }

    /** Fires every timer due at {@code nowNanos}; returns how many fired. */
    int expire(long nowNanos, Loop loop) {
        if (count == 0) {
            elapsed = Math.max(elapsed, toTickFloor(nowNanos));
            return 0;
        }
        long nowTick = toTickFloor(nowNanos);
        long next;
        while ((next = nextExpirationTick()) >= 0 && next <= nowTick) {
            int slotIndex = lastSlot;
            elapsed = next;
            // A slot lists its timers newest first: walk it from the oldest so timers armed for the
            // same tick fire in the order they were armed.
            Timer t = takeSlot(slotIndex);
            while (t != null && t.next != null) {
                t = t.next;
            }
            while (t != null) {
                Timer older = t.prev;
                // Due timers wait on their own list so an action that cancels another due timer
                // unlinks it from a consistent list.
                link(t, t.tick <= nowTick ? DUE : slotFor(t));
                t = older;
            }
        }
        elapsed = Math.max(elapsed, nowTick);
        int fired = 0;
        Timer t;
        while ((t = heads[DUE]) != null) {
            unlink(t);
            count--;
            fired++;
            fire(t, nowNanos, loop);
        }
        return fired;
    }

    private void fire(Timer t, long nowNanos, Loop loop) {
        long period = t.periodNanos;
        if (period > 0) {
            long next = t.deadlineNanos + period;
            // Fixed rate on the original grid. Up to one period late (tick rounding, a busy loop) the next
            // point stays, so no period is lost; further behind, the missed points are skipped rather
            // than fired as a burst.
            if (nowNanos - next >= period) {
                next += ((nowNanos - next) / period + 1) * period;
            }
            arm(t, next, period);
        }
        loop.runTask(t.action);
    }

    /** Real deadline (clock nanos) of the next slot to process, or {@link Long#MAX_VALUE} if none. */
    long nextDeadlineNanos() {
        if (count == 0) {
            return Long.MAX_VALUE;
        }
        long tick = nextExpirationTick();
        return tick < 0 ? Long.MAX_VALUE : originNanos + (tick << TICK_SHIFT);
    }

    /** Calls {@code abandon} for every armed timer and empties the wheel. */
    void abandonAll(LoopClosedException cause) {
        for (int i = 0; i < heads.length; i++) {
            Timer t = heads[i];
            heads[i] = null;
            while (t != null) {
                Timer following = t.next;
                t.prev = t.next = null;
                t.slot = -1;
                if (t.action instanceof Task task) {
                    task.abandon(cause);
                }
                t = following;
            }
        }
        java.util.Arrays.fill(occupied, 0);
        dueTail = null;
        count = 0;
    }

    private long toTickFloor(long nanos) {
        long d = nanos - originNanos;
        return d <= 0 ? 0 : d >>> TICK_SHIFT;
    }

    /** Tick at which the first occupied slot starts, or -1; leaves that slot's index in lastSlot. */
    private long nextExpirationTick() {
        for (int level = 0; level < LEVELS; level++) {
            long occ = occupied[level];
            if (occ == 0) {
                continue;
            }
            int shift = level * SLOT_BITS;
            long slotRange = 1L << shift;
            long levelRange = slotRange << SLOT_BITS;
            int nowSlot = (int) ((elapsed >>> shift) & SLOT_MASK);
            int slot = (Long.numberOfTrailingZeros(Long.rotateRight(occ, nowSlot)) + nowSlot) & (SLOTS - 1);
            long levelStart = elapsed & ~(levelRange - 1);
            long deadline = levelStart + slot * slotRange;
            if (slot < nowSlot) {
                deadline += levelRange;
            }
            lastSlot = level * SLOTS + slot;
            return deadline;
        }
        return -1;
    }

    private void place(Timer t) {
        link(t, slotFor(t));
    }

    private int slotFor(Timer t) {
        long when = Math.min(t.tick, elapsed + MAX_TICKS - 1);
        long masked = (elapsed ^ when) | SLOT_MASK;
        if (masked >= MAX_TICKS) {
            masked = MAX_TICKS - 1;
        }
        int level = (63 - Long.numberOfLeadingZeros(masked)) / SLOT_BITS;
        int shift = level * SLOT_BITS;
        int slot = (int) ((when >>> shift) & SLOT_MASK);
        int nowSlot = (int) ((elapsed >>> shift) & SLOT_MASK);
        if (level > 0 && slot == nowSlot) {
            // Only a clamped far-future timer lands here; in the current slot it would read as due a
            // whole level later and hide nearer timers, so park it in the farthest slot instead.
            slot = (nowSlot - 1) & (SLOTS - 1);
        }
        return level * SLOTS + slot;
    }

    private void link(Timer t, int index) {
        if (index == DUE) {
            // Appended, so timers found due in one pass fire in the order their slots came due.
            t.next = null;
            t.prev = dueTail;
            if (dueTail != null) {
                dueTail.next = t;
            } else {
                heads[DUE] = t;
            }
            dueTail = t;
            t.slot = DUE;
            return;
        }
        Timer head = heads[index];
        t.next = head;
        t.prev = null;
        if (head != null) {
            head.prev = t;
        }
        heads[index] = t;
        t.slot = index;
        if (index < DUE) {
            occupied[index / SLOTS] |= 1L << (index % SLOTS);
        }
    }

    private void unlink(Timer t) {
        int index = t.slot;
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[index] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        } else if (index == DUE) {
            dueTail = t.prev;
        }
        t.prev = t.next = null;
        t.slot = -1;
        if (heads[index] == null && index < DUE) {
            occupied[index / SLOTS] &= ~(1L << (index % SLOTS));
        }
    }

    private Timer takeSlot(int index) {
        Timer head = heads[index];
        heads[index] = null;
        occupied[index / SLOTS] &= ~(1L << (index % SLOTS));
        return head;
    }
}
