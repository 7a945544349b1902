package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HyperLogLog writes (PFADD, PFMERGE within and across shards, PFCOUNT's cached cardinality,
 * PFDEBUG TODENSE) survive a restart through the log alone and through a snapshot taken midway:
 * every key's bytes read back the same.
 */
class HllPersistenceTest {
    private static final String[] KEYS = {"h0", "h1", "h2", "h3", "{t}a", "{t}b"};

    @TempDir
    Path dir;

    private KvServer start() throws Exception {
        return KvServer.start(KvConfig.inMemory(3).withDataDir(dir).withFsync("always"));
    }

    private static List<String> state(BinaryResp c) throws Exception {
        List<String> s = new ArrayList<>();
        for (String k : KEYS) {
            s.add(new String(c.call("GET", k), StandardCharsets.ISO_8859_1));
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void hllValuesReadBackTheSameAfterARestart(boolean snapshotMidway) throws Exception {
        SplittableRandom random = new SplittableRandom(snapshotMidway ? 3 : 4);
        List<String> before;
        try (KvServer kv = start(); BinaryResp c = new BinaryResp(kv.port())) {
            for (int i = 0; i < 600; i++) {
                if (snapshotMidway && i == 300) {
                    kv.compactAll();
                }
                String key = KEYS[random.nextInt(KEYS.length)];
                switch (random.nextInt(5)) {
                    case 0, 1 -> {
                        List<String> cmd = new ArrayList<>(List.of("PFADD", key));
                        int n = random.nextInt(20) == 0 ? 700 : random.nextInt(6);
                        for (int j = 0; j < n; j++) {
                            cmd.add("e" + random.nextInt(50_000));
                        }
                        c.call(cmd.toArray(new String[0]));
                    }
                    case 2 -> c.call("PFCOUNT", key);
                    case 3 -> c.call("PFMERGE", key, KEYS[random.nextInt(KEYS.length)]);
                    default -> c.call("PFDEBUG", "TODENSE", key);
                }
            }
            before = state(c);
        }
        assertTrue(before.stream().anyMatch(v -> v.contains("HYLL")), "the sequence left HyperLogLogs to check");
        try (KvServer kv = start(); BinaryResp c = new BinaryResp(kv.port())) {
            assertEquals(before, state(c));
        }
    }
}
