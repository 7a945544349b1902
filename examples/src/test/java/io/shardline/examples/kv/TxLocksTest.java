package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TxLocks} alone, on one thread: grants are first come first served per key, requests on other
 * keys pass a waiting one, a request's keys are granted together, and holders that lock shards in
 * ascending order never wait on each other in a cycle.
 */
class TxLocksTest {
    private static TxLocks.Key k(String name) {
        return new TxLocks.Key(0, name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idleUntilSomethingIsHeld() {
        TxLocks locks = new TxLocks();
        assertTrue(locks.idle());
        List<String> ran = new ArrayList<>();
        locks.acquire(new TxLocks.Key[] {k("a")}, true, () -> ran.add("t1"));
        assertFalse(locks.idle());
        assertTrue(locks.conflicts(new TxLocks.Key[] {k("a")}));
        assertFalse(locks.conflicts(new TxLocks.Key[] {k("b")}));
        assertFalse(locks.conflicts(new TxLocks.Key[] {new TxLocks.Key(1, "a".getBytes(StandardCharsets.UTF_8))}), "another db");
        locks.release(new TxLocks.Key[] {k("a")});
        assertTrue(locks.idle());
        assertEquals(List.of("t1"), ran);
    }

    @Test
    void waitersOnOneKeyAreServedInArrivalOrderWhileOtherKeysPass() {
        TxLocks locks = new TxLocks();
        List<String> ran = new ArrayList<>();
        TxLocks.Key[] a = {k("a")};
        locks.acquire(a, true, () -> ran.add("holder"));
        locks.acquire(a, false, () -> ran.add("cmd1"));
        locks.acquire(a, true, () -> ran.add("tx2"));
        locks.acquire(a, false, () -> ran.add("cmd3"));
        locks.acquire(new TxLocks.Key[] {k("b")}, false, () -> ran.add("other"));
        assertEquals(List.of("holder", "other"), ran);
        assertEquals(3, locks.waiting());
        locks.release(a);
        assertEquals(List.of("holder", "other", "cmd1", "tx2"), ran, "cmd3 waits for tx2, which holds a");
        locks.release(a);
        assertEquals(List.of("holder", "other", "cmd1", "tx2", "cmd3"), ran);
        assertTrue(locks.idle());
    }

    @Test
    void aLaterRequestNeverOvertakesAnEarlierOneOnASharedKey() {
        TxLocks locks = new TxLocks();
        List<String> ran = new ArrayList<>();
        locks.acquire(new TxLocks.Key[] {k("a")}, true, () -> ran.add("holds a"));
        locks.acquire(new TxLocks.Key[] {k("a"), k("b")}, true, () -> ran.add("wants a b"));
        // b is free, but the earlier request names it: this one queues behind it
        locks.acquire(new TxLocks.Key[] {k("b")}, false, () -> ran.add("wants b"));
        assertEquals(List.of("holds a"), ran);
        locks.release(new TxLocks.Key[] {k("a")});
        assertEquals(List.of("holds a", "wants a b"), ran);
        locks.release(new TxLocks.Key[] {k("a"), k("b")});
        assertEquals(List.of("holds a", "wants a b", "wants b"), ran);
    }

    @Test
    void aGrantThatReleasesAtOnceLetsTheNextGo() {
        TxLocks locks = new TxLocks();
        List<String> ran = new ArrayList<>();
        TxLocks.Key[] a = {k("a")};
        locks.acquire(a, true, () -> ran.add("first"));
        locks.acquire(a, true, () -> {
            ran.add("second");
            locks.release(a); // a fast-path transaction: lock, run, unlock inside its grant
        });
        locks.acquire(a, true, () -> ran.add("third"));
        locks.release(a);
        assertEquals(List.of("first", "second", "third"), ran);
    }

    /**
     * Two holders over two "shards" (two tables), each locking in ascending shard order: the second waits on
     * shard 0 holding nothing, so the first completes and the second follows; no cycle.
     */
    @Test
    void ascendingShardOrderCannotDeadlock() {
        TxLocks shard0 = new TxLocks();
        TxLocks shard1 = new TxLocks();
        TxLocks.Key[] x = {k("x")};
        TxLocks.Key[] y = {k("y")};
        List<String> ran = new ArrayList<>();
        // T1 locks x on shard 0, then y on shard 1; T2 wants the same two in the same order.
        shard0.acquire(x, true, () -> shard1.acquire(y, true, () -> ran.add("T1 holds both")));
        shard0.acquire(x, true, () -> shard1.acquire(y, true, () -> ran.add("T2 holds both")));
        assertEquals(List.of("T1 holds both"), ran);
        assertTrue(shard1.conflicts(y));
        shard1.release(y);
        shard0.release(x); // T2's grant on shard 0 runs now and goes on to shard 1, free again
        assertEquals(List.of("T1 holds both", "T2 holds both"), ran);
        shard1.release(y);
        shard0.release(x);
        assertTrue(shard0.idle() && shard1.idle());
    }

    @Test
    void keysOfACommandFollowTheTablePositions() {
        CommandSpec mset = CommandTable.lookup("mset");
        TxLocks.Key[] keys = TxLocks.keysOf(mset, io.shardline.examples.kv.resp.Argv.of(new byte[][] {
                b("MSET"), b("k1"), b("v1"), b("k2"), b("v2")}), 4);
        assertEquals(2, keys.length);
        assertEquals(k4("k1"), keys[0]);
        assertEquals(k4("k2"), keys[1]);
        assertEquals(0, TxLocks.keysOf(CommandTable.lookup("ping"), io.shardline.examples.kv.resp.Argv.of(new byte[][] {b("PING")}), 0).length);
    }

    private static TxLocks.Key k4(String name) {
        return new TxLocks.Key(4, b(name));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
