package io.shardline.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of the {@code kv} suite: a redis-benchmark workload (its arguments after the common
 * {@code -c 50 -n N --csv}), the CSV test name its row starts with, and how many requests a trial
 * sends, picked so that redis-server takes one to three seconds on a small machine. Immutable.
 *
 * @param key the row's name in the result line or target ("set_p1", "lpush")
 * @param title the row's label in the table
 * @param args redis-benchmark's workload arguments ({@code -t set -P 16 -r 1000000}, or a custom command)
 * @param test the start of the CSV test name of the row to read ("SET", "LRANGE_100")
 * @param requests {@code -n} of a full trial
 */
record KvWorkload(String key, String title, List<String> args, String test, long requests) {
    static final long RANDOM_KEYS = 1_000_000;

    /** A redis-benchmark test ({@code -t name}) at pipeline depth {@code pipeline}, on one key unless {@code random}. */
    static KvWorkload test(String key, String title, String name, int pipeline, boolean random, long requests) {
        List<String> args = new ArrayList<>(List.of("-t", name, "-P", Integer.toString(pipeline)));
        if (random) {
            args.addAll(List.of("-r", Long.toString(RANDOM_KEYS)));
        }
        return new KvWorkload(key, title, List.copyOf(args), name.toUpperCase(Locale.ROOT), requests);
    }

    /** SET and GET: one key and {@value #RANDOM_KEYS} random ones, {@code -P 1} and {@code -P 16}. */
    static List<KvWorkload> strings() {
        return List.of(
                test("set_p1", "SET, one key, -P 1", "set", 1, false, 100_000),
                test("get_p1", "GET, one key, -P 1", "get", 1, false, 100_000),
                test("set_p16", "SET, one key, -P 16", "set", 16, false, 1_000_000),
                test("get_p16", "GET, one key, -P 16", "get", 16, false, 1_000_000),
                test("random_set_p16", "SET, -r 1000000, -P 16", "set", 16, true, 500_000),
                test("random_get_p16", "GET, -r 1000000, -P 16", "get", 16, true, 500_000));
    }

    /**
     * The cluster rows, SET and GET on {@value #RANDOM_KEYS} random keys (spread over every node's
     * slots), {@code -P 16} and {@code -P 1}. More requests than the other rows: redis-benchmark
     * {@code --cluster} times a run in steps of about 250 ms (a short run's rate comes out as requests
     * over a multiple of 0.25 s), so a full trial lasts a few seconds.
     */
    static List<KvWorkload> cluster() {
        return List.of(
                test("cluster_set_p16", "SET, -r 1000000, -P 16", "set", 16, true, 2_000_000),
                test("cluster_get_p16", "GET, -r 1000000, -P 16", "get", 16, true, 2_000_000),
                test("cluster_set_p1", "SET, -r 1000000, -P 1", "set", 1, true, 300_000),
                test("cluster_get_p1", "GET, -r 1000000, -P 1", "get", 1, true, 300_000));
    }

    /** {@link #args()} for a cluster-aware run: redis-benchmark's {@code --cluster} first. */
    List<String> clusterArgs() {
        List<String> a = new ArrayList<>(List.of("--cluster"));
        a.addAll(args);
        return List.copyOf(a);
    }

    /** The persistent pair's row: SET on one key at {@code -P 16}, every write logged. */
    static KvWorkload aofSet() {
        return test("aof_set_p16", "SET, one key, -P 16", "set", 16, false, 1_000_000);
    }

    /**
     * A row per data-type family, redis-benchmark's own tests at {@code -P 16}, in an order where each
     * pop finds what the push before it left. {@code xaddTest}: whether this redis-benchmark has the
     * {@code xadd} test (7.2 added it); if not, the row sends the command 7.2's test sends, as a custom
     * command.
     */
    static List<KvWorkload> families(boolean xaddTest) {
        List<KvWorkload> rows = new ArrayList<>();
        for (String t : List.of("lpush", "rpush", "lpop", "rpop", "sadd", "hset", "spop", "zadd", "zpopmin")) {
            rows.add(test(t, t.toUpperCase(Locale.ROOT) + ", -P 16", t, 16, false, 500_000));
        }
        rows.add(test("lrange_100", "LRANGE_100, -P 16", "lrange_100", 16, false, 200_000));
        rows.add(test("lrange_600", "LRANGE_600, -P 16", "lrange_600", 16, false, 40_000));
        rows.add(test("mset", "MSET (10 keys), -P 16", "mset", 16, false, 300_000));
        rows.add(xaddTest ? test("xadd", "XADD, -P 16", "xadd", 16, false, 500_000)
                : new KvWorkload("xadd", "XADD, -P 16 (custom command)",
                        List.of("-P", "16", "XADD", "mystream", "*", "myfield", "xxx"), "XADD mystream", 500_000));
        return rows;
    }

    /** {@code -n} for a trial: the full count scaled by {@code fraction}, at least 1,000. */
    long requests(double fraction) {
        return Math.max(1_000, Math.round(requests * fraction));
    }
}
