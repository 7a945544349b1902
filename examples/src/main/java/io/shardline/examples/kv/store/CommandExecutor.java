package io.shardline.examples.kv.store;

import io.shardline.examples.kv.ReplySink;
import java.util.Objects;

/**
 * Runs the single-shard data commands on one {@link Keyspace}: replies exactly as Redis 7 does and
 * logs each effective write to a {@link Journal}. Owned by one shard; not thread-safe.
 *
 * <p>Commands: GET SET GETSET SETNX SETEX PSETEX APPEND STRLEN INCR DECR INCRBY DECRBY INCRBYFLOAT
 * MGET MSET, DEL UNLINK EXISTS EXPIRE PEXPIRE EXPIREAT PEXPIREAT TTL PTTL PERSIST TYPE, LPUSH RPUSH
 * LPOP RPOP LRANGE LLEN, SADD SREM SMEMBERS SPOP SCARD SISMEMBER, HSET HGET HDEL HGETALL HINCRBY HLEN,
 * ZADD ZRANGE ZREM ZSCORE ZPOPMIN ZCARD. The multi-key ones (MGET MSET DEL UNLINK EXISTS) act on this
 * shard's keys only; KEYS, SCAN, DBSIZE and FLUSHALL are {@link Keyspace} methods for the caller to
 * merge across shards.
 *
 * <p>The executor keeps the argument arrays it stores (values, keys, members) rather than copying
 * them: the caller hands argv over and must not reuse its arrays.
 */
public final class CommandExecutor {
    private static final ReplySink DISCARD = new DiscardingSink();

    private final Keyspace keyspace;
    private final NameIndex<Command> index = new NameIndex<>();

    public CommandExecutor(Keyspace keyspace) {
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        StringCommands s = new StringCommands(keyspace);
        add("get", 2, s::get);
        add("set", -3, s::set);
        add("getset", 3, s::getset);
        add("setnx", 3, s::setnx);
        add("setex", 4, s::setex);
        add("psetex", 4, s::psetex);
        add("append", 3, s::append);
        add("strlen", 2, s::strlen);
        add("incr", 2, s::incr);
        add("decr", 2, s::decr);
        add("incrby", 3, s::incrby);
        add("decrby", 3, s::decrby);
        add("incrbyfloat", 3, s::incrbyfloat);
        add("mget", -2, s::mget);
        add("mset", -3, s::mset);
        KeyCommands k = new KeyCommands(keyspace);
        add("del", -2, k::del);
        add("unlink", -2, k::del);
        add("exists", -2, k::exists);
        add("expire", -3, k::expire);
        add("pexpire", -3, k::pexpire);
        add("expireat", -3, k::expireat);
        add("pexpireat", -3, k::pexpireat);
        add("ttl", 2, k::ttl);
        add("pttl", 2, k::pttl);
        add("persist", 2, k::persist);
        add("type", 2, k::type);
        ListCommands l = new ListCommands(keyspace);
        add("lpush", -3, l::lpush);
        add("rpush", -3, l::rpush);
        add("lpop", -2, l::lpop);
        add("rpop", -2, l::rpop);
        add("lrange", 4, l::lrange);
        add("llen", 2, l::llen);
        SetCommands t = new SetCommands(keyspace);
        add("sadd", -3, t::sadd);
        add("srem", -3, t::srem);
        add("smembers", 2, t::smembers);
        add("spop", -2, t::spop);
        add("scard", 2, t::scard);
        add("sismember", 3, t::sismember);
        HashCommands h = new HashCommands(keyspace);
        add("hset", -4, h::hset);
        add("hget", 3, h::hget);
        add("hdel", -3, h::hdel);
        add("hgetall", 2, h::hgetall);
        add("hincrby", 4, h::hincrby);
        add("hlen", 2, h::hlen);
        ZSetCommands z = new ZSetCommands(keyspace);
        add("zadd", -4, z::zadd);
        add("zrange", -4, z::zrange);
        add("zrem", -3, z::zrem);
        add("zscore", 3, z::zscore);
        add("zpopmin", -2, z::zpopmin);
        add("zcard", 2, z::zcard);
    }

    private void add(String name, int arity, Command.Handler handler) {
        index.add(name, new Command(name, arity, handler));
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    /**
     * Runs {@code argv} (argv[0] the command name in any case) and writes its reply to {@code out},
     * including Redis' arity error; logs each write it makes, and each key it finds expired, to
     * {@code journal}. Returns false, replying nothing, if this is not one of its commands: the
     * caller answers with the unknown-command error.
     */
    public boolean execute(byte[][] argv, ReplySink out, Journal journal) {
        Command c = argv.length == 0 ? null : index.find(argv[0]);
        if (c == null) {
            return false;
        }
        if (!c.arityAccepts(argv.length)) {
            out.error(Errors.arity(c.name));
            return true;
        }
        keyspace.beginCommand(journal);
        try {
            c.handler.run(argv, out, journal);
        } finally {
            keyspace.endCommand();
        }
        return true;
    }

    /**
     * Applies one journal entry, as when recovering: the keyspace is put in loading mode for the call
     * (nothing expires on its own; the journal's DELs do that), the reply is dropped and nothing is
     * logged. Returns false if the entry is not a command of this executor.
     */
    public boolean replay(byte[][] argv) {
        boolean wasLoading = keyspace.isLoading();
        keyspace.setLoading(true);
        try {
            return execute(argv, DISCARD, Journal.NONE);
        } finally {
            keyspace.setLoading(wasLoading);
        }
    }

    /** Swallows replies during replay. Stateless. */
    private static final class DiscardingSink implements ReplySink {
        @Override
        public int protocol() {
            return 2;
        }

        @Override
        public void simple(String text) {
        }

        @Override
        public void error(String text) {
        }

        @Override
        public void integer(long value) {
        }

        @Override
        public void bulk(byte[] value) {
        }

        @Override
        public void bulk(String value) {
        }

        @Override
        public void nullBulk() {
        }

        @Override
        public void nullArray() {
        }

        @Override
        public void arrayHeader(int count) {
        }

        @Override
        public void mapHeader(int pairs) {
        }

        @Override
        public void setHeader(int count) {
        }

        @Override
        public void doubleValue(double value) {
        }

        @Override
        public void bool(boolean value) {
        }
    }
}
