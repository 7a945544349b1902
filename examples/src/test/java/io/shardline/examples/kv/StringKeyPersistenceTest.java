package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The writes of the string, bitmap and key commands (SETRANGE, SETBIT, BITFIELD, BITOP, GETEX,
 * GETDEL, MSETNX, RENAME, COPY across shards...) survive a restart: through the log alone, and through
 * a snapshot taken midway with the log after it. Every key's type, value and expiry time read back
 * the same after the restart as before it.
 */
class StringKeyPersistenceTest {
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "{t}a", "{t}b", "{t}c"};

    @TempDir
    Path dir;

    private KvServer start() throws Exception {
        return KvServer.start(KvConfig.inMemory(3).withDataDir(dir).withFsync("always"));
    }

    /** What each key holds, as the raw replies of TYPE, PEXPIRETIME and the type's full read. */
    private static List<String> state(KvServer kv) throws IOException {
        List<String[]> reads = new ArrayList<>();
        for (String k : KEYS) {
            reads.add(new String[] {"TYPE", k});
            reads.add(new String[] {"PEXPIRETIME", k});
            reads.add(new String[] {"GETRANGE", k, "0", "-1"});
            reads.add(new String[] {"LRANGE", k, "0", "-1"});
            reads.add(new String[] {"HGETALL", k});
            reads.add(new String[] {"ZRANGE", k, "0", "-1", "WITHSCORES"});
            reads.add(new String[] {"SMEMBERS", k});
        }
        return RedisDifferentialTest.exchange(kv.port(), reads);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void randomWritesReadBackTheSameAfterARestart(boolean snapshotMidway) throws Exception {
        List<String[]> commands = new StringKeyCommandGen(snapshotMidway ? 11 : 12).commands(2000);
        List<String> before;
        try (KvServer kv = start()) {
            int half = commands.size() / 2;
            RedisDifferentialTest.exchange(kv.port(), commands.subList(0, half));
            if (snapshotMidway) {
                kv.compactAll();
            }
            RedisDifferentialTest.exchange(kv.port(), commands.subList(half, commands.size()));
            before = state(kv);
        }
        assertTrue(before.stream().anyMatch(r -> r.startsWith("+string")), "the sequence left strings to check");
        try (KvServer kv = start()) {
            assertEquals(before, state(kv));
        }
    }
}
