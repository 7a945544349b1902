package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static io.shardline.examples.kv.JedisSupport.infoField;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;

/** {@code --appendonly yes|no}: the default logs to --data; no runs with no log, no snapshot, no file. */
class KvAppendOnlyTest {
    @TempDir
    Path tmp;

    private static KvMain parse(String... args) {
        KvMain main = new KvMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    @Test
    void theDefaultIsPersistentInTheDataDirectory() {
        Path data = tmp.resolve("d");
        assertEquals(data, parse("--data", data.toString()).config().dataDir());
        assertEquals(data, parse("--data", data.toString(), "--appendonly", "yes").config().dataDir());
        assertEquals(data, parse("--data", data.toString(), "--appendonly", "YES").config().dataDir(), "Redis' yes in any case");
    }

    @Test
    void appendOnlyNoWritesNothingToDiskAndSaysSo() throws Exception {
        Path data = tmp.resolve("d");
        KvConfig config = parse("--data", data.toString(), "--appendonly", "no", "--fsync", "always", "--port", "0",
                "--shards", "2").config();
        assertNull(config.dataDir());
        try (KvServer kv = KvServer.start(config); Jedis j = connect(kv)) {
            for (int i = 0; i < 200; i++) {
                j.set("k" + i, "v" + i);
            }
            kv.compactAll(); // what the log-size trigger would do: nothing to snapshot without a log
            assertEquals("v7", j.get("k7"));
            assertEquals(0, infoField(j.info("persistence"), "aof_enabled"));
            assertEquals(List.of("appendonly", "no"), flat(j.configGet("appendonly")));
        }
        assertFalse(Files.exists(data), "no data directory is created");
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "nothing written anywhere under the test's directory");
        }
        // And a restart starts empty: nothing was kept.
        try (KvServer kv = KvServer.start(config); Jedis j = connect(kv)) {
            assertEquals(0, j.dbSize());
        }
    }

    @Test
    void aBadValueIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new KvMain());
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("--appendonly", "maybe", "--data", tmp.resolve("d").toString()));
        assertTrue(err.toString().contains("--appendonly must be yes or no, was maybe"), err.toString());
        assertFalse(Files.exists(tmp.resolve("d")));
    }

    private static List<String> flat(java.util.Map<String, String> m) {
        List<String> out = new java.util.ArrayList<>();
        m.forEach((k, v) -> {
            out.add(k);
            out.add(v);
        });
        return out;
    }
}
