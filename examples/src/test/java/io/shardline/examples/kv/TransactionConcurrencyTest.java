package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Many clients at once on 2 and 4 shards (more shards than the machine may have cores): transfers between
 * accounts on different shards as MULTI/EXEC while other clients read every account in one MULTI/EXEC, and
 * cross-shard SMOVE and RENAME while others read both keys in one transaction, and the same transfers and
 * reads pipelined many to a write (so they run in batches). The total never changes and no reader sees a
 * half-applied state. Bounded by counts, not time.
 */
class TransactionConcurrencyTest {
    static final int ACCOUNTS = 8;
    static final long START = 1000;

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void transfersAcrossShardsKeepTheTotal(int shards) throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(shards))) {
            List<String> accounts = funded(server, shards);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            for (int i = 0; i < 300; i++) {
                                String from = accounts.get(r.nextInt(ACCOUNTS));
                                String to = accounts.get(r.nextInt(ACCOUNTS));
                                long amount = 1 + r.nextInt(50);
                                Transaction t = j.multi();
                                t.decrBy(from, amount);
                                t.incrBy(to, amount);
                                assertNotNull(t.exec());
                            }
                        }
                        return null;
                    }));
                }
                for (int rd = 0; rd < 4; rd++) {
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            for (int i = 0; i < 300; i++) {
                                Transaction t = j.multi();
                                for (String a : accounts) {
                                    t.get(a);
                                }
                                long sum = 0;
                                for (Object v : t.exec()) {
                                    sum += Long.parseLong((String) v);
                                }
                                assertEquals(START * ACCOUNTS, sum, "a reader saw half a transfer");
                            }
                        }
                        return null;
                    }));
                }
                awaitAll(work);
            } finally {
                pool.shutdownNow();
            }
            assertTotal(server, accounts);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void crossShardSmoveAndRenameAreNeverSeenHalfDone(int shards) throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(shards))) {
            String setA = JedisSupport.keyOn("sa", 0, shards);
            String setB = JedisSupport.keyOn("sb", 1, shards);
            String keyA = JedisSupport.keyOn("ka", 1, shards);
            String keyB = JedisSupport.keyOn("kb", 0, shards);
            try (Jedis setup = JedisSupport.connect(server)) {
                setup.sadd(setA, "m");
                setup.set(keyA, "v");
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 2; w++) {
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            for (int i = 0; i < 300; i++) {
                                j.smove(setA, setB, "m");
                                j.smove(setB, setA, "m");
                                try {
                                    j.rename(keyA, keyB);
                                } catch (redis.clients.jedis.exceptions.JedisDataException gone) {
                                    // the other mover renamed it first: "ERR no such key", as Redis
                                }
                                try {
                                    j.rename(keyB, keyA);
                                } catch (redis.clients.jedis.exceptions.JedisDataException gone) {
                                    // as above
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (int rd = 0; rd < 4; rd++) {
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            for (int i = 0; i < 400; i++) {
                                Transaction t = j.multi();
                                t.sismember(setA, "m");
                                t.sismember(setB, "m");
                                t.exists(keyA);
                                t.exists(keyB);
                                List<Object> r = t.exec();
                                assertEquals(1, (Boolean.TRUE.equals(r.get(0)) ? 1 : 0) + (Boolean.TRUE.equals(r.get(1)) ? 1 : 0),
                                        "the member in neither or both sets: " + r);
                                assertEquals(1, (Boolean.TRUE.equals(r.get(2)) ? 1 : 0) + (Boolean.TRUE.equals(r.get(3)) ? 1 : 0),
                                        "the renamed key in neither or both places: " + r);
                            }
                        }
                        return null;
                    }));
                }
                awaitAll(work);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void pipelinedTransfersAcrossShardsKeepTheTotal(int shards) throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(shards))) {
            List<String> accounts = funded(server, shards);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    work.add(pool.submit(() -> {
                        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                            s.setSoTimeout(60_000);
                            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            for (int round = 0; round < 20; round++) {
                                java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
                                int n = 1 + r.nextInt(40);
                                for (int t = 0; t < n; t++) {
                                    String from = accounts.get(r.nextInt(ACCOUNTS));
                                    String to = accounts.get(r.nextInt(ACCOUNTS));
                                    String amount = Integer.toString(1 + r.nextInt(50));
                                    batch.writeBytes(RawResp.encode("MULTI"));
                                    batch.writeBytes(RawResp.encode("DECRBY", from, amount));
                                    batch.writeBytes(RawResp.encode("INCRBY", to, amount));
                                    batch.writeBytes(RawResp.encode("EXEC"));
                                    if (t % 9 == 4) {
                                        batch.writeBytes(RawResp.encode("GET", to)); // a plain read between them
                                    }
                                }
                                s.getOutputStream().write(batch.toByteArray());
                                for (int t = 0; t < n; t++) {
                                    assertEquals("+OK\r\n", RawResp.readReply(in));
                                    assertEquals("+QUEUED\r\n", RawResp.readReply(in));
                                    assertEquals("+QUEUED\r\n", RawResp.readReply(in));
                                    String exec = RawResp.readReply(in);
                                    assertEquals(true, exec.matches("\\*2\r\n:-?\\d+\r\n:-?\\d+\r\n"), exec);
                                    if (t % 9 == 4) {
                                        assertEquals(true, RawResp.readReply(in).startsWith("$"));
                                    }
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (int rd = 0; rd < 3; rd++) {
                    work.add(pool.submit(() -> {
                        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
                            s.setSoTimeout(60_000);
                            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                            for (int round = 0; round < 30; round++) {
                                java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream();
                                for (int t = 0; t < 10; t++) {
                                    batch.writeBytes(RawResp.encode("MULTI"));
                                    for (String a : accounts) {
                                        batch.writeBytes(RawResp.encode("GET", a));
                                    }
                                    batch.writeBytes(RawResp.encode("EXEC"));
                                }
                                s.getOutputStream().write(batch.toByteArray());
                                for (int t = 0; t < 10; t++) {
                                    for (int q = 0; q < ACCOUNTS + 1; q++) {
                                        RawResp.readReply(in); // +OK, then +QUEUED for each GET
                                    }
                                    long sum = 0;
                                    String[] lines = RawResp.readReply(in).split("\r\n");
                                    for (int l = 2; l < lines.length; l += 2) { // *8, then $len and value for each
                                        sum += Long.parseLong(lines[l]);
                                    }
                                    assertEquals(START * ACCOUNTS, sum, "a reader saw half a transfer");
                                }
                            }
                        }
                        return null;
                    }));
                }
                awaitAll(work);
            } finally {
                pool.shutdownNow();
            }
            assertTotal(server, accounts);
        }
    }

    /** The accounts, spread over the shards, each holding {@link #START}. */
    private static List<String> funded(KvServer server, int shards) {
        List<String> accounts = JedisSupport.keys("acct", ACCOUNTS, shards);
        try (Jedis setup = JedisSupport.connect(server)) {
            for (String a : accounts) {
                setup.set(a, Long.toString(START));
            }
        }
        return accounts;
    }

    private static void awaitAll(List<Future<?>> work) throws Exception {
        for (Future<?> f : work) {
            f.get(120, TimeUnit.SECONDS);
        }
    }

    private static void assertTotal(KvServer server, List<String> accounts) {
        try (Jedis check = JedisSupport.connect(server)) {
            long total = 0;
            for (String v : check.mget(accounts.toArray(new String[0]))) {
                total += Long.parseLong(v);
            }
            assertEquals(START * ACCOUNTS, total);
        }
    }
}
