package io.shardline.examples.kv.store;

import io.shardline.examples.kv.CommandSpec;
import io.shardline.examples.kv.CommandTable;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Prints the live heap per element of many small collections (default 100,000 keys of 10 elements:
 * hashes of 10 fields, sets of 10 integers, sets of 10 strings, sorted sets of 10 members, lists of
 * 10 elements), the keys' own cost subtracted: a measurement, not a test. Run it with a fixed heap
 * so the numbers compare, e.g. {@code java -Xmx2g -cp <test and main classes> ...MemoryFootprint}.
 * Single-threaded.
 */
public final class MemoryFootprint {
    private MemoryFootprint() {
    }

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int elements = 10;
        long base = measure(keys, 0, null);
        String[][] kinds = {{"hash", "HSET"}, {"intset", "SADD"}, {"set", "SADD"}, {"zset", "ZADD"}, {"list", "RPUSH"}};
        for (String[] kind : kinds) {
            long used = measure(keys, elements, kind);
            System.out.printf("%s: %.1f bytes/element (%d keys of %d, keys themselves subtracted)%n", kind[0],
                    (used - base) / (double) (keys * (long) elements), keys, elements);
        }
    }

    /** Live heap after loading {@code keys} keys (strings "1" when kind is null), kept reachable. */
    private static long measure(int keys, int elements, String[] kind) {
        Keyspace ks = new Keyspace(System::currentTimeMillis);
        DataCommands commands = new DataCommands(ks);
        DiscardingSink out = DiscardingSink.INSTANCE;
        for (int k = 0; k < keys; k++) {
            String key = "key:" + (1_000_000 + k);
            byte[][] argv;
            if (kind == null) {
                argv = argv("SET", key, "1");
            } else {
                String cmd = kind[1];
                boolean pairs = cmd.equals("HSET") || cmd.equals("ZADD");
                argv = new byte[2 + elements * (pairs ? 2 : 1)][];
                argv[0] = bytes(cmd);
                argv[1] = bytes(key);
                for (int i = 0, a = 2; i < elements; i++) {
                    String member = kind[0].equals("intset") ? Integer.toString(1000 + i) : "member:" + i;
                    if (cmd.equals("HSET")) {
                        argv[a++] = bytes("field:" + i);
                        argv[a++] = bytes("value:" + i);
                    } else if (cmd.equals("ZADD")) {
                        argv[a++] = bytes(Integer.toString(i));
                        argv[a++] = bytes(member);
                    } else {
                        argv[a++] = bytes(member);
                    }
                }
            }
            CommandSpec spec = CommandTable.lookup(argv[0]);
            commands.execute(((CommandSpec.OnKeys) spec.handler()).command(), io.shardline.examples.kv.resp.Argv.of(argv), out, a -> { });
        }
        long used = liveHeap();
        if (ks.size() != keys) {
            throw new IllegalStateException("loaded " + ks.size());
        }
        return used;
    }

    private static long liveHeap() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static byte[][] argv(String... a) {
        byte[][] argv = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            argv[i] = bytes(a[i]);
        }
        return argv;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
