package io.shardline.examples.kv;

import io.shardline.examples.kv.CommandSpec.Route;
import io.shardline.examples.kv.store.NameIndex;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The commands the server knows, with Redis 7's arities and key positions. Immutable, any thread. */
public final class CommandTable {
    private static final Map<String, CommandSpec> BY_NAME;
    /** The same, looked up from a request's name bytes without allocating. */
    private static final NameIndex<CommandSpec> INDEX = new NameIndex<>();

    static {
        Map<String, CommandSpec> m = new LinkedHashMap<>();
        // connection and server
        conn(m, "ping", -1);
        conn(m, "echo", 2);
        conn(m, "quit", -1);
        conn(m, "select", 2);
        conn(m, "auth", -2);
        conn(m, "hello", -1);
        conn(m, "client", -2);
        conn(m, "command", -1);
        conn(m, "config", -2);
        all(m, "info", -1, false);
        all(m, "dbsize", 1, false);
        all(m, "flushall", -1, true);
        all(m, "flushdb", -1, true);
        all(m, "keys", 2, false);
        all(m, "scan", -2, false);
        // strings
        key(m, "get", 2, false);
        key(m, "set", -3, true);
        key(m, "getset", 3, true);
        key(m, "setnx", 3, true);
        key(m, "setex", 4, true);
        key(m, "psetex", 4, true);
        key(m, "append", 3, true);
        key(m, "strlen", 2, false);
        key(m, "incr", 2, true);
        key(m, "decr", 2, true);
        key(m, "incrby", 3, true);
        key(m, "decrby", 3, true);
        key(m, "incrbyfloat", 3, true);
        m.put("mget", new CommandSpec("mget", -2, Route.KEYS, false, 1, -1, 1));
        m.put("mset", new CommandSpec("mset", -3, Route.PAIRS, true, 1, -1, 2));
        // keys
        m.put("del", new CommandSpec("del", -2, Route.KEYS, true, 1, -1, 1));
        m.put("unlink", new CommandSpec("unlink", -2, Route.KEYS, true, 1, -1, 1));
        m.put("exists", new CommandSpec("exists", -2, Route.KEYS, false, 1, -1, 1));
        key(m, "expire", -3, true);
        key(m, "pexpire", -3, true);
        key(m, "expireat", -3, true);
        key(m, "pexpireat", -3, true);
        key(m, "ttl", 2, false);
        key(m, "pttl", 2, false);
        key(m, "persist", 2, true);
        key(m, "type", 2, false);
        // lists
        key(m, "lpush", -3, true);
        key(m, "rpush", -3, true);
        key(m, "lpop", -2, true);
        key(m, "rpop", -2, true);
        key(m, "lrange", 4, false);
        key(m, "llen", 2, false);
        // sets
        key(m, "sadd", -3, true);
        key(m, "srem", -3, true);
        key(m, "smembers", 2, false);
        key(m, "spop", -2, true);
        key(m, "scard", 2, false);
        key(m, "sismember", 3, false);
        // hashes
        key(m, "hset", -4, true);
        key(m, "hget", 3, false);
        key(m, "hdel", -3, true);
        key(m, "hgetall", 2, false);
        key(m, "hincrby", 4, true);
        key(m, "hlen", 2, false);
        // sorted sets
        key(m, "zadd", -4, true);
        key(m, "zrange", -4, false);
        key(m, "zrem", -3, true);
        key(m, "zscore", 3, false);
        key(m, "zpopmin", -2, true);
        key(m, "zcard", 2, false);
        BY_NAME = Collections.unmodifiableMap(m);
        for (CommandSpec spec : BY_NAME.values()) {
            INDEX.add(spec.name(), spec);
        }
    }

    private CommandTable() {
    }

    private static void conn(Map<String, CommandSpec> m, String name, int arity) {
        m.put(name, new CommandSpec(name, arity, Route.CONNECTION, false, 0, 0, 0));
    }

    private static void all(Map<String, CommandSpec> m, String name, int arity, boolean write) {
        m.put(name, new CommandSpec(name, arity, Route.ALL, write, 0, 0, 0));
    }

    private static void key(Map<String, CommandSpec> m, String name, int arity, boolean write) {
        m.put(name, new CommandSpec(name, arity, Route.KEY, write, 1, 1, 1));
    }

    /** The command named by {@code name} (any case), or null. */
    public static CommandSpec lookup(byte[] name) {
        return INDEX.find(name);
    }

    public static CommandSpec lookup(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    public static Collection<CommandSpec> all() {
        return BY_NAME.values();
    }
}
