package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLUSTER KEYSLOT against a real redis-server in cluster mode (a standalone one refuses the command),
 * byte for byte, hash tags and errors included; and what a standalone Redis says to the rest of CLUSTER.
 */
class RedisClusterKeyslotTest {
    static RedisPair pair;
    static int redisPort;
    static KvServer kv;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        pair = RedisPair.start(dir, "--cluster-enabled", "yes",
                "--cluster-config-file", dir.resolve("nodes.conf").toString());
        redisPort = pair.redisPort;
        kv = pair.kv;
    }

    @AfterAll
    static void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void keyslotMatchesRedisCluster() throws Exception {
        List<String[]> cmds = new ArrayList<>();
        for (String key : new String[] {"foo", "bar", "somekey", "foo{hash_tag}", "{hash_tag}", "{}a", "a{}", "{user1000}.following",
                "{user1000}.followers", "foo{bar}{zap}", "foo{{bar}}zap", "foo{}{bar}", "foo{bar", "}{", "", "{", "}",
                "\u00e9t\u00e9", "key:123456789", "{a}", "x{y}z"}) {
            cmds.add(new String[] {"CLUSTER", "KEYSLOT", key});
        }
        for (int i = 0; i < 300; i++) {
            cmds.add(new String[] {"cluster", "keyslot", "k" + i * 7919});
        }
        cmds.add(new String[] {"CLUSTER", "KEYSLOT"});
        cmds.add(new String[] {"CLUSTER", "KEYSLOT", "a", "b"});
        cmds.add(new String[] {"CLUSTER"});
        assertEquals(RedisDifferentialTest.exchange(redisPort, cmds), RedisDifferentialTest.exchange(kv.port(), cmds));
    }

    @Test
    void otherSubcommandsSayClusterSupportIsDisabled() throws Exception {
        List<String> replies = RedisDifferentialTest.exchange(kv.port(), List.of(new String[] {"CLUSTER", "NODES"},
                new String[] {"CLUSTER", "INFO"}));
        assertEquals(List.of("-ERR This instance has cluster support disabled\r\n",
                "-ERR This instance has cluster support disabled\r\n"), replies);
    }
}
