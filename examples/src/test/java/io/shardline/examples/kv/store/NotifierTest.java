package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardline.examples.kv.resp.Argv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The notifier without a server: notify-keyspace-events parsed and rendered as notify.c does, nothing
 * handed to the sink for a class that is off or while the keyspace loads, the database number passed
 * through, and a keyspace's own events ("new", "expired").
 */
class NotifierTest {
    @Test
    void flagsParseAndRenderAsRedis() {
        String[][] cases = {{"KEA", "AKE"}, {"g$lshzxetd", "A"}, {"Axn", "A"}, {"AKEmn", "AKEm"}, {"x", "x"},
            {"nm", "nm"}, {"EK", "KE"}, {"tdzhsl$g", "g$lshztd"}, {"", ""}, {"Kn", "nK"}, {"KEe", "eKE"}};
        for (String[] c : cases) {
            assertEquals(c[1], Notifier.render(Notifier.parse(c[0])), c[0]);
        }
        assertEquals(-1, Notifier.parse("Kq"));
        assertEquals(-1, Notifier.parse("KEA "));
        assertEquals(Notifier.KEYSPACE | Notifier.STRING, Notifier.parse("K$"));
    }

    @Test
    void onlyEnabledClassesReachTheSinkWithTheirDatabase() {
        Notifier n = new Notifier();
        List<String> got = new ArrayList<>();
        n.setSink((flags, db, event, key) -> got.add(db + " " + event + " " + new String(key, StandardCharsets.UTF_8)));
        n.notify(Notifier.STRING, "set", bytes("k"));
        assertEquals(List.of(), got, "off by default");
        n.setFlags(Notifier.parse("KE$"));
        n.setDb(3);
        n.notify(Notifier.LIST, "lpush", bytes("k"));
        n.notify(Notifier.STRING, "set", Argv.of(new byte[][] {bytes("SET"), bytes("k2"), bytes("v")}), 1);
        assertEquals(List.of("3 set k2"), got);
        n.setLoading(true);
        n.notify(Notifier.STRING, "set", bytes("k"));
        assertEquals(Notifier.parse("KE$"), n.flags(), "the configured flags stay while loading");
        n.setLoading(false);
        n.notify(Notifier.STRING, "append", bytes("k"));
        assertEquals(List.of("3 set k2", "3 append k"), got);
    }

    @Test
    void theKeyspaceRaisesNewAndExpiredAndCommandsTheirOwn() {
        TestShard shard = new TestShard();
        List<String> got = new ArrayList<>();
        Notifier n = shard.keyspace.notifier();
        n.setSink((flags, db, event, key) -> got.add(event + " " + new String(key, StandardCharsets.UTF_8)));
        n.setFlags(Notifier.parse("KEAn"));
        shard.call("SET", "k", "v", "PX", "100");
        shard.call("SET", "k", "w", "KEEPTTL");
        shard.clock.now += 1_000;
        shard.call("GET", "k");
        shard.call("RPUSH", "l", "a");
        shard.call("RPOP", "l");
        shard.call("SADD", "{a}", "m");
        shard.call("SUNIONSTORE", "{a}d", "{a}");
        shard.call("SUNIONSTORE", "{a}d", "{a}"); // an overwrite is no new key
        assertEquals(List.of("new k", "set k", "expire k", "set k", "expired k", "new l", "rpush l", "rpop l", "del l",
                "new {a}", "sadd {a}", "new {a}d", "sunionstore {a}d", "sunionstore {a}d"), got);
        shard.keyspace.setLoading(true);
        shard.call("SET", "k2", "v");
        shard.keyspace.setLoading(false);
        assertEquals(14, got.size(), "nothing while loading");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
