package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH through Jedis and raw RESP on a 3-shard server: every reply and
 * error, transactions over keys on several shards, WATCH invalidated from another connection on another
 * shard, by expiry, FLUSHDB, SWAPDB and RENAME, DISCARD and RESET ending the watches, blocking commands
 * inside MULTI, and a transaction's pushes waking a blocked client only after EXEC.
 */
class JedisTransactionTest {
    static final int SHARDS = 3;
    /** The server's wall clock: the expiry test moves it instead of waiting. */
    static final AtomicLong NOW = new AtomicLong(System.currentTimeMillis());
    static KvServer server;
    Jedis jedis;

    @BeforeAll
    static void start() throws Exception {
        server = KvServer.start(KvConfig.inMemory(SHARDS).withClock(NOW::get));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() {
        jedis = JedisSupport.connect(server);
        jedis.flushAll();
    }

    @AfterEach
    void close() {
        jedis.close();
    }

    private static String key(String prefix, int shard) {
        return JedisSupport.keyOn(prefix, shard, SHARDS);
    }

    @Test
    void execRunsQueuedCommandsOnEveryShardInOrder() {
        String a = key("a", 0);
        String b = key("b", 1);
        String c = key("c", 2);
        Transaction t = jedis.multi();
        t.set(a, "1");
        t.incr(a);
        t.incrBy(b, 5);
        t.rpush(c, "x", "y");
        t.get(a);
        List<Object> replies = t.exec();
        assertEquals(List.of("OK", 2L, 5L, 2L, "2"), replies);
        assertEquals(List.of("2", "5"), jedis.mget(a, b));
    }

    @Test
    void queuedRepliesAndExecArrayAreRedisBytes() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("SET " + key("k", 1) + " v"));
            assertEquals("+QUEUED\r\n", c.call("LPUSH " + key("k", 1) + " x"));
            assertEquals("+QUEUED\r\n", c.call("PING"));
            assertEquals("*3\r\n+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n+PONG\r\n",
                    c.call("EXEC"));
        }
    }

    @Test
    void errorsOutsideAndInsideMulti() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            assertEquals("-ERR DISCARD without MULTI\r\n", c.call("DISCARD"));
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("-ERR MULTI calls can not be nested\r\n", c.call("MULTI"));
            assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", c.call("WATCH x"));
            assertEquals("*0\r\n", c.call("EXEC")); // neither error flags the transaction
        }
    }

    @Test
    void queuingErrorsAbortExec() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("MULTI");
            assertEquals("+QUEUED\r\n", c.call("SET " + key("q", 2) + " 1"));
            assertEquals("-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n", c.call("NOPE x"));
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
            assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", c.call("EXEC"));
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            assertEquals("$-1\r\n", c.call("GET " + key("q", 2)));
        }
    }

    @Test
    void execWithArgumentsAbortsSayingWhy() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.call("MULTI");
            c.call("SET z 1");
            assertEquals("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
                    c.call("EXEC now"));
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
        }
    }

    @Test
    void discardDropsTheQueue() {
        String k = key("d", 1);
        Transaction t = jedis.multi();
        t.set(k, "v");
        assertEquals("OK", t.discard());
        assertNull(jedis.get(k));
    }

    @Test
    void watchedKeyWrittenFromAnotherShardFailsExec() throws Exception {
        String k = key("w", 0);
        jedis.set(k, "1");
        int mine = JedisSupport.connectionShard(jedis);
        jedis.watch(k);
        try (RawClient other = RawClient.otherShard(server.port(), mine)) {
            other.call("SET " + k + " 2");
        }
        Transaction t = jedis.multi();
        t.set(k, "3");
        assertNull(t.exec());
        assertEquals("2", jedis.get(k));
    }

    @Test
    void watchedKeyLeftAloneLetsExecRunAndEndsTheWatch() {
        String k = key("w", 1);
        String other = key("o", 1);
        jedis.watch(k);
        jedis.set(other, "x");
        Transaction t = jedis.multi();
        t.set(k, "1");
        assertEquals(List.of("OK"), t.exec());
        jedis.set(k, "2"); // no longer watched: the next transaction runs
        Transaction t2 = jedis.multi();
        t2.incr(k);
        assertEquals(List.of(3L), t2.exec());
    }

    @Test
    void watchedKeyThatExpiresBeforeExecFailsIt() {
        String k = key("e", 2);
        jedis.psetex(k, 1000, "v");
        jedis.watch(k);
        NOW.addAndGet(2000);
        Transaction t = jedis.multi();
        t.set(key("x", 0), "1");
        assertNull(t.exec());
    }

    @Test
    void watchOfAnAlreadyExpiredKeyDoesNotFailExec() {
        String k = key("s", 1);
        jedis.psetex(k, 1000, "v");
        NOW.addAndGet(2000);
        jedis.watch(k);
        Transaction t = jedis.multi();
        t.exists("zz");
        assertEquals(List.of(false), t.exec());
    }

    @Test
    void flushdbFailsExecOfAWatchedLiveKeyOnly() {
        String k = key("f", 2);
        jedis.set(k, "v");
        jedis.watch(k);
        jedis.flushDB();
        Transaction t = jedis.multi();
        t.exists("zz");
        assertNull(t.exec());
        jedis.watch(k); // missing now: a flush touches nothing of it
        jedis.flushDB();
        Transaction t2 = jedis.multi();
        t2.exists("zz");
        assertEquals(List.of(false), t2.exec());
    }

    @Test
    void swapdbFailsExecOfAWatchedKeyInEitherDatabase() {
        String k = key("sw", 0);
        jedis.select(1);
        jedis.set(k, "in1");
        jedis.select(0);
        jedis.watch(k); // missing in db 0, present in db 1
        jedis.swapDB(0, 1);
        Transaction t = jedis.multi();
        t.get(k);
        assertNull(t.exec());
        jedis.swapDB(0, 1);
    }

    @Test
    void crossShardRenameOntoAWatchedKeyFailsExec() {
        String from = key("rf", 1);
        String to = key("rt", 2);
        jedis.set(from, "v");
        jedis.watch(to);
        jedis.rename(from, to);
        Transaction t = jedis.multi();
        t.get(to);
        assertNull(t.exec());
        assertEquals("v", jedis.get(to));
    }

    @Test
    void resetDiscardsTheTransactionAndTheWatches() throws Exception {
        String k = key("r", 1);
        try (RawClient c = new RawClient(server.port())) {
            c.call("WATCH " + k);
            c.call("SET " + k + " changed");
            c.call("MULTI");
            c.call("SET " + k + " queued");
            assertEquals("+RESET\r\n", c.call("RESET"));
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            c.call("MULTI");
            c.call("GET " + k);
            assertEquals("*1\r\n$7\r\nchanged\r\n", c.call("EXEC")); // the dirty watch is gone
        }
    }

    @Test
    void unwatchForgetsEveryWatchedKey() {
        String a = key("u", 0);
        String b = key("u", 2);
        jedis.watch(a, b);
        jedis.set(a, "1");
        jedis.unwatch();
        Transaction t = jedis.multi();
        t.set(b, "1");
        assertEquals(List.of("OK"), t.exec());
    }

    @Test
    void failedWatchIsResp3Null() throws Exception {
        String k = key("n", 1);
        try (RawClient c = new RawClient(server.port())) {
            c.call("HELLO 3");
            c.call("WATCH " + k);
            c.call("SET " + k + " 1");
            c.call("MULTI");
            c.call("GET " + k);
            assertEquals("_\r\n", c.call("EXEC"));
        }
        try (RawClient c = new RawClient(server.port())) {
            c.call("WATCH " + k);
            c.call("SET " + k + " 2");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void blockingCommandsInsideMultiDoNotBlock() throws Exception {
        String l = key("bl", 2);
        try (RawClient c = new RawClient(server.port())) {
            c.call("MULTI");
            c.call("BLPOP " + l + " 0");
            c.call("RPUSH " + l + " a");
            c.call("BLPOP " + l + " 0");
            assertEquals("*3\r\n*-1\r\n:1\r\n*2\r\n$" + l.length() + "\r\n" + l + "\r\n$1\r\na\r\n", c.call("EXEC"));
        }
    }

    @Test
    void pushesOfATransactionWakeABlockedClientAfterExec() throws Exception {
        String l = key("wake", 1);
        try (RawClient blocked = new RawClient(server.port()); RawClient c = new RawClient(server.port())) {
            blocked.send("BLPOP " + l + " 0");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!c.call("INFO clients").contains("blocked_clients:1")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the client never blocked");
                }
                Thread.onSpinWait();
            }
            c.call("MULTI");
            c.call("RPUSH " + l + " first");
            c.call("LPOP " + l);
            c.call("RPUSH " + l + " second");
            // Served mid-transaction, the blocked client would take "first" and LPOP would find nothing.
            assertEquals("*3\r\n:1\r\n$5\r\nfirst\r\n:1\r\n", c.call("EXEC"));
            assertEquals("*2\r\n$" + l.length() + "\r\n" + l + "\r\n$6\r\nsecond\r\n", blocked.read());
        }
    }

    @Test
    void selectInsideMultiChangesTheDatabaseOfTheCommandsAfterIt() throws Exception {
        String k = key("sel", 2);
        try (RawClient c = new RawClient(server.port())) {
            c.call("MULTI");
            c.call("SET " + k + " zero");
            c.call("SELECT 3");
            c.call("SET " + k + " three");
            assertEquals("*3\r\n+OK\r\n+OK\r\n+OK\r\n", c.call("EXEC"));
            assertEquals("$5\r\nthree\r\n", c.call("GET " + k)); // the connection stays in db 3, as in Redis
        }
        assertEquals("zero", jedis.get(k));
    }

    @Test
    void crossShardCommandsInsideMultiRunInOrder() {
        String a = key("ca", 0);
        String b = key("cb", 1);
        String d = key("cd", 2);
        jedis.sadd(a, "x", "y");
        jedis.sadd(b, "y", "z");
        Transaction t = jedis.multi();
        t.sinterstore(d, a, b);
        t.smembers(d);
        t.rename(d, a);
        t.smembers(a);
        assertEquals(List.of(1L, java.util.Set.of("y"), "OK", java.util.Set.of("y")), t.exec());
        assertEquals(false, jedis.exists(d));
    }

    @Test
    void clientListShowsATransactionsQueuedCommands() throws Exception {
        try (RawClient c = new RawClient(server.port()); RawClient other = new RawClient(server.port())) {
            assertEquals(true, c.call("CLIENT INFO").contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 "));
            String id = c.call("CLIENT ID").trim().substring(1);
            c.call("MULTI");
            c.call("SET a 1");
            c.call("SET b 2");
            String list = other.call("CLIENT LIST ID " + id);
            assertEquals(true, list.contains(" flags=x ") && list.contains(" multi=2 "), list); // Redis 7.2 has no watch= yet
            c.call("DISCARD");
        }
    }

    @Test
    void anOrdinaryCommandOnAKeyATransactionHoldsWaitsWhileOthersRun() throws Exception {
        String held = key("h", 1);
        String free = key("f", 1);
        KvShard shard1 = onShard(1);
        TxLocks.Key[] keys = {new TxLocks.Key(0, held.getBytes(java.nio.charset.StandardCharsets.UTF_8))};
        // A transaction's hold, placed directly on shard 1: the key is locked until released.
        call(1, () -> {
            shard1.locks().acquire(keys, true, () -> { });
            return null;
        });
        try (RawClient waiting = new RawClient(server.port()); RawClient other = new RawClient(server.port())) {
            waiting.send("SET " + held + " after");
            assertEquals("+OK\r\n", other.call("SET " + free + " now")); // another key of that shard runs on
            assertEquals("$-1\r\n", other.call("GET " + free.replace("f", "zz"))); // and so do other shards
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (call(1, () -> shard1.locks().waiting()) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the SET never queued behind the lock");
                }
                Thread.onSpinWait();
            }
            // not run while the key is held (a GET would wait too: read straight from the shard)
            assertEquals(false, call(1, () -> shard1.keyspace(0).holdsLive(keys[0].key)));
            call(1, () -> {
                shard1.locks().release(keys);
                return null;
            });
            assertEquals("+OK\r\n", waiting.read());
            assertEquals("after", jedis.get(held));
        }
    }

    private static KvShard onShard(int id) throws Exception {
        return call(id, () -> server.shards().local());
    }

    private static <T> T call(int shard, java.util.concurrent.Callable<T> fn) throws Exception {
        return server.onShard(shard, fn).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
