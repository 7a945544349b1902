package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CONFIG, CLIENT and the server commands against a real redis-server, reply for reply, byte for byte:
 * CONFIG GET of single parameters (their defaults and what CONFIG SET made of a value), CONFIG SET's
 * and CLIENT's error texts, ECHO, PING and DBSIZE. Only what Redis 7.0 (the redis-server installed)
 * and 7.2 answer alike is compared (not set-max-listpack-*, new in 7.2); CLIENT SETINFO and NO-TOUCH (7.2) are in {@link JedisClientCommandsTest}.
 */
class RedisServerDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    private static void same(String[]... commands) throws IOException {
        List<String[]> cmds = List.of(commands);
        List<String> expected = RedisDifferentialTest.exchange(fixture.pair().redisPort, cmds);
        List<String> actual = RedisDifferentialTest.exchange(fixture.pair().kv.port(), cmds);
        for (int i = 0; i < cmds.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "reply " + i + " to: " + String.join(" ", cmds.get(i)));
        }
    }

    private static String[] c(String... args) {
        return args;
    }

    @Test
    void configGetDefaults() throws IOException {
        List<String[]> gets = new ArrayList<>();
        for (String p : List.of("maxmemory", "maxmemory-policy", "timeout", "hz", "databases", "save", "appendonly", "appendfsync",
                "notify-keyspace-events", "client-output-buffer-limit", "proto-max-bulk-len", "maxclients", "tcp-keepalive",
                "lua-time-limit", "busy-reply-threshold", "set-max-intset-entries", "hash-max-listpack-entries", "hash-max-ziplist-value", "zset-max-listpack-entries",
                "zset-max-ziplist-value", "list-max-listpack-size", "list-max-ziplist-size", "maxmemory-samples",
                "slowlog-log-slower-than", "slowlog-max-len", "dbfilename", "repl-backlog-size", "replica-read-only",
                "cluster-enabled", "no-such-parameter", "MAXMEMORY", "Timeout")) {
            gets.add(c("CONFIG", "GET", p));
        }
        same(gets.toArray(new String[0][]));
    }

    @Test
    void configSetThenGet() throws IOException {
        same(c("CONFIG", "SET", "maxmemory", "100mb", "hz", "20"), c("CONFIG", "GET", "maxmemory"), c("CONFIG", "GET", "hz"),
                c("CONFIG", "SET", "maxmemory", "1", "hz", "x"), c("CONFIG", "GET", "maxmemory"),
                c("CONFIG", "SET", "hz", "0"), c("CONFIG", "GET", "hz"), c("CONFIG", "SET", "hz", "5000"), c("CONFIG", "GET", "hz"),
                c("CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LRU"), c("CONFIG", "GET", "maxmemory-policy"),
                c("CONFIG", "SET", "save", "3600 1 300 100"), c("CONFIG", "GET", "save"),
                c("CONFIG", "SET", "save", "01 1"), c("CONFIG", "GET", "save"), c("CONFIG", "SET", "save", ""),
                c("CONFIG", "SET", "client-output-buffer-limit", "pubsub 10mb 5mb 30 normal 0 0 0"),
                c("CONFIG", "GET", "client-output-buffer-limit"),
                c("CONFIG", "SET", "notify-keyspace-events", "KEA"), c("CONFIG", "GET", "notify-keyspace-events"),
                c("CONFIG", "SET", "notify-keyspace-events", ""),
                c("CONFIG", "SET", "lua-time-limit", "7"), c("CONFIG", "GET", "busy-reply-threshold"),
                c("CONFIG", "SET", "appendfsync", "ALWAYS"), c("CONFIG", "GET", "appendfsync"),
                c("CONFIG", "SET", "set-max-intset-entries", "64"), c("CONFIG", "GET", "set-max-intset-entries"),
                c("CONFIG", "SET", "list-max-ziplist-size", "-3"), c("CONFIG", "GET", "list-max-listpack-size"),
                c("CONFIG", "SET", "timeout", "0", "maxmemory", "0", "hz", "10", "maxmemory-policy", "noeviction",
                        "client-output-buffer-limit", "pubsub 32mb 8mb 60", "busy-reply-threshold", "5000", "appendfsync", "everysec",
                        "set-max-intset-entries", "512", "list-max-listpack-size", "-2"));
    }

    @Test
    void configErrors() throws IOException {
        same(c("CONFIG", "SET", "foo", "1"), c("CONFIG", "SET", "maxmemory", "1", "maxmemory-policy"),
                c("CONFIG", "SET", "databases", "3"), c("CONFIG", "SET", "maxmemory", "x"), c("CONFIG", "SET", "maxmemory", "-1"),
                c("CONFIG", "SET", "maxmemory", "1.5mb"), c("CONFIG", "SET", "maxmemory-policy", "foo"),
                c("CONFIG", "SET", "appendonly", "maybe"), c("CONFIG", "SET", "hz", "x"), c("CONFIG", "SET", "timeout", "-1"),
                c("CONFIG", "SET", "timeout", "01"), c("CONFIG", "SET", "save", "foo"), c("CONFIG", "SET", "save", "100"),
                c("CONFIG", "SET", "save", "0 1"), c("CONFIG", "SET", "save", "1 -1"), c("CONFIG", "SET", "save", "  5   6  "),
                c("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 2"),
                c("CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"),
                c("CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"),
                c("CONFIG", "SET", "client-output-buffer-limit", "pubsub x 2 3"),
                c("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 2 -3"),
                c("CONFIG", "SET", "hz", "5", "hz", "6"), c("CONFIG", "SET", "proto-max-bulk-len", "10"),
                c("CONFIG", "SET", "list-max-listpack-size", "x"), c("CONFIG", "SET", "maxclients", "0"),
                c("CONFIG", "SET", "set-max-intset-entries", "-1"), c("CONFIG", "SET", "appendfsync", "maybe"),
                c("CONFIG", "SET", "notify-keyspace-events", "Q"), c("CONFIG", "SET", "loglevel", "foo"),
                c("CONFIG", "SET", "dir", "/nonexistent"), c("CONFIG", "SET", "dbfilename", "a"), c("CONFIG", "SET", "a", "b", "c"),
                c("CONFIG", "SET", "MAXMEMORY", "x"), c("CONFIG", "SET", "Foo", "1"), c("CONFIG", "SET", "hz"), c("CONFIG", "GET"),
                c("CONFIG", "RESETSTAT", "x"), c("CONFIG", "NOPE"), c("CONFIG", "SET", "maxmemory", "0"));
    }

    @Test
    void clientErrors() throws IOException {
        same(c("CLIENT", "KILL", "1.2.3.4:5"), c("CLIENT", "KILL", "ID", "0"), c("CLIENT", "KILL", "ID", "x"),
                c("CLIENT", "KILL", "TYPE", "foo"), c("CLIENT", "KILL", "foo", "bar"), c("CLIENT", "KILL", "USER", "nobody"),
                c("CLIENT", "KILL", "SKIPME", "x"), c("CLIENT", "KILL", "ADDR", "1.2.3.4:5", "SKIPME"),
                c("CLIENT", "KILL", "ID", "999999"), c("CLIENT", "KILL", "ADDR", "1.2.3.4:5"), c("CLIENT", "KILL"),
                c("CLIENT", "LIST", "TYPE", "x"), c("CLIENT", "LIST", "ID", "x"), c("CLIENT", "LIST", "ID", "999999"),
                c("CLIENT", "LIST", "foo"), c("CLIENT", "LIST", "TYPE", "master"), c("CLIENT", "LIST", "TYPE", "replica"),
                c("CLIENT", "REPLY", "x"), c("CLIENT", "REPLY", "x", "y"), c("CLIENT", "PAUSE", "x"),
                c("CLIENT", "PAUSE", "10", "foo"), c("CLIENT", "PAUSE", "-1"), c("CLIENT", "PAUSE"), c("CLIENT", "NO-EVICT", "x"),
                c("CLIENT", "ID", "5"), c("CLIENT", "SETNAME", "a b"), c("CLIENT", "SETNAME", "a\nb"), c("CLIENT", "GETNAME", "x"),
                c("CLIENT", "INFO", "x"), c("CLIENT", "UNPAUSE", "x"), c("CLIENT", "NOPE"), c("CLIENT", "GETREDIR"),
                c("CLIENT", "SETNAME", "ok-name"), c("CLIENT", "GETNAME"), c("CLIENT", "SETNAME", ""), c("CLIENT", "GETNAME"),
                c("CLIENT", "UNPAUSE"), c("CLIENT", "PAUSE", "0"), c("CLIENT", "UNPAUSE"));
    }

    @Test
    void serverCommands() throws IOException {
        same(c("FLUSHALL"), c("DBSIZE"), c("SET", "a", "1"), c("SET", "b", "2"), c("SET", "c", "3"), c("DBSIZE"), c("DBSIZE", "x"),
                c("ECHO", "hello"), c("ECHO"), c("ECHO", "a", "b"), c("PING"), c("PING", "x"), c("PING", "x", "y"), c("TIME", "x"),
                c("LASTSAVE", "x"), c("SAVE", "x"), c("BGSAVE", "x"), c("BGSAVE", "x", "y"), c("FLUSHALL"));
    }
}
