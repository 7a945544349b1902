package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Scripts that move amounts between accounts on different shards (read both, write both) while other
 * clients read every account in one MULTI/EXEC or in one EVAL_RO, and others run MULTI/EXEC transfers
 * over the same keys: the total never changes and no reader sees half a script. On 2 and 4 shards (more
 * shards than the machine may have cores); bounded by counts, not time.
 */
class ScriptConcurrencyTest {
    static final int ACCOUNTS = 8;
    static final long START = 1000;
    static final String MOVE = "local a = tonumber(redis.call('GET', KEYS[1])) local b = tonumber(redis.call('GET', KEYS[2])) "
            + "local n = tonumber(ARGV[1]) redis.call('SET', KEYS[1], a - n) redis.call('SET', KEYS[2], b + n) return a - n";
    static final String SUM = "local s = 0 for _, k in ipairs(KEYS) do s = s + tonumber(redis.call('GET', k)) end return s";

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void scriptTransfersAcrossShardsAreAtomic(int shards) throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(shards))) {
            List<String> accounts = JedisSupport.keys("acct", ACCOUNTS, shards);
            try (Jedis setup = JedisSupport.connect(server)) {
                for (String a : accounts) {
                    setup.set(a, Long.toString(START));
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> work = new ArrayList<>();
                for (int w = 0; w < 3; w++) {
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            ThreadLocalRandom r = ThreadLocalRandom.current();
                            for (int i = 0; i < 200; i++) {
                                String from = accounts.get(r.nextInt(ACCOUNTS));
                                String to = accounts.get(r.nextInt(ACCOUNTS));
                                if (from.equals(to)) {
                                    continue;
                                }
                                j.eval(MOVE, List.of(from, to), List.of(Integer.toString(1 + r.nextInt(50))));
                            }
                        }
                        return null;
                    }));
                }
                work.add(pool.submit(() -> {
                    try (Jedis j = JedisSupport.connect(server)) {
                        ThreadLocalRandom r = ThreadLocalRandom.current();
                        for (int i = 0; i < 200; i++) {
                            Transaction t = j.multi();
                            t.decrBy(accounts.get(r.nextInt(ACCOUNTS)), 3);
                            t.incrBy(accounts.get(r.nextInt(ACCOUNTS)), 3);
                            t.exec();
                        }
                    }
                    return null;
                }));
                for (int rd = 0; rd < 2; rd++) {
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            for (int i = 0; i < 200; i++) {
                                Transaction t = j.multi();
                                for (String a : accounts) {
                                    t.get(a);
                                }
                                long sum = 0;
                                for (Object v : t.exec()) {
                                    sum += Long.parseLong((String) v);
                                }
                                assertEquals(START * ACCOUNTS, sum, "a MULTI reader saw half a script");
                            }
                        }
                        return null;
                    }));
                    work.add(pool.submit(() -> {
                        try (Jedis j = JedisSupport.connect(server)) {
                            for (int i = 0; i < 200; i++) {
                                assertEquals(START * ACCOUNTS, j.evalReadonly(SUM, accounts, List.of()), "a script reader saw half a script");
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(180, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try (Jedis check = JedisSupport.connect(server)) {
                assertEquals(START * ACCOUNTS, check.eval(SUM, accounts, List.of()));
            }
        }
    }
}
