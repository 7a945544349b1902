package io.shardline.examples.kv;

import static io.shardline.examples.kv.CommandSpec.NO_AUTH;
import static io.shardline.examples.kv.CommandSpec.READONLY;
import static io.shardline.examples.kv.CommandSpec.WRITE;

import io.shardline.examples.kv.CommandSpec.OnConnection;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.CommandSpec.OnServer;
import io.shardline.examples.kv.store.BitCommands;
import io.shardline.examples.kv.store.DataCommand;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.DumpCommands;
import io.shardline.examples.kv.store.GeoCommands;
import io.shardline.examples.kv.store.GeoSearchCommands;
import io.shardline.examples.kv.store.HashCommands;
import io.shardline.examples.kv.store.HashWalkCommands;
import io.shardline.examples.kv.store.HllCommands;
import io.shardline.examples.kv.store.KeyCommands;
import io.shardline.examples.kv.store.KeyCopyCommands;
import io.shardline.examples.kv.store.ListCommands;
import io.shardline.examples.kv.store.ListEditCommands;
import io.shardline.examples.kv.store.MoveCommand;
import io.shardline.examples.kv.store.NameIndex;
import io.shardline.examples.kv.store.SetAlgebraCommands;
import io.shardline.examples.kv.store.SetCommands;
import io.shardline.examples.kv.store.StreamClaimCommands;
import io.shardline.examples.kv.store.StreamCommands;
import io.shardline.examples.kv.store.StreamGroupCommands;
import io.shardline.examples.kv.store.StreamInfoCommands;
import io.shardline.examples.kv.store.StringCommands;
import io.shardline.examples.kv.store.StringRangeCommands;
import io.shardline.examples.kv.store.ZSetAlgebraCommands;
import io.shardline.examples.kv.store.ZSetCommands;
import io.shardline.examples.kv.store.ZSetEditCommands;
import io.shardline.examples.kv.store.ZSetRangeCommands;
import io.shardline.examples.kv.store.ZSetReadCommands;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one table of the commands the server knows: Redis 7's arities, flags and key positions (first,
 * last, step, as its {@code src/commands/*.json} give them) with the code of each. A request is looked
 * up here once; dispatch, journal replay and COMMAND all read it. Immutable, any thread.
 */
public final class CommandTable {
    private static final Map<String, CommandSpec> BY_NAME;
    /** The same, looked up from a request's name bytes without allocating. */
    private static final NameIndex<CommandSpec> INDEX = new NameIndex<>();

    static {
        Map<String, CommandSpec> m = new LinkedHashMap<>();
        // connection and server
        conn(m, "ping", -1, READONLY, ConnectionCommands::ping);
        conn(m, "echo", 2, READONLY, ConnectionCommands::echo);
        conn(m, "quit", -1, READONLY | NO_AUTH, ConnectionCommands::quit);
        conn(m, "select", 2, READONLY, ConnectionCommands::select);
        conn(m, "auth", -2, READONLY | NO_AUTH, ConnectionCommands::auth);
        conn(m, "hello", -1, READONLY | NO_AUTH, ConnectionCommands::hello);
        server(m, "client", -2, READONLY, ClientCommand::run); // UNBLOCK answers from the blocked client's shard
        conn(m, "command", -1, READONLY, CommandCommand::run);
        server(m, "config", -2, READONLY, ConfigCommand::run);
        server(m, "object", -2, READONLY, ObjectCommand::run);
        conn(m, "cluster", -2, READONLY, ClusterCommand::run);
        conn(m, "readonly", 1, READONLY, ClusterCommand::flag);
        conn(m, "readwrite", 1, READONLY, ClusterCommand::flag);
        conn(m, "asking", 1, READONLY, ClusterCommand::flag);
        server(m, "info", -1, READONLY, Info::run);
        server(m, "dbsize", 1, READONLY, AllShards::dbsize);
        server(m, "flushall", -1, WRITE, AllShards::flush);
        server(m, "flushdb", -1, WRITE, AllShards::flush);
        server(m, "keys", 2, READONLY, AllShards::keys);
        server(m, "scan", -2, READONLY, Scan::run);
        conn(m, "reset", 1, READONLY | NO_AUTH, ResetCommand::run);
        conn(m, "time", 1, READONLY, ServerCommands::time);
        server(m, "lastsave", 1, READONLY, ServerCommands::lastsave);
        server(m, "save", 1, READONLY, ServerCommands::save);
        server(m, "bgsave", -1, READONLY, ServerCommands::bgsave);
        server(m, "bgrewriteaof", 1, READONLY, ServerCommands::bgrewriteaof);
        conn(m, "role", 1, READONLY, ReplicationCommands::role);
        server(m, "wait", 3, READONLY, ReplicationCommands::waitCommand);
        // transactions (issue 16 point 1): TxExec runs EXEC's commands under per-shard intent locks;
        // READONLY as the table's rule for commands that store nothing themselves
        conn(m, "multi", 1, READONLY, TransactionCommands::multi);
        server(m, "exec", 1, READONLY, TransactionCommands::exec);
        conn(m, "discard", 1, READONLY, TransactionCommands::discard);
        server(m, "watch", -2, READONLY, TransactionCommands::watch);
        conn(m, "unwatch", 1, READONLY, TransactionCommands::unwatch);
        // pub/sub
        server(m, "subscribe", -2, READONLY, PubSubCommands::subscribe);
        server(m, "unsubscribe", -1, READONLY, PubSubCommands::unsubscribe);
        server(m, "psubscribe", -2, READONLY, PubSubCommands::psubscribe);
        server(m, "punsubscribe", -1, READONLY, PubSubCommands::punsubscribe);
        server(m, "ssubscribe", -2, READONLY, PubSubCommands::ssubscribe);
        server(m, "sunsubscribe", -1, READONLY, PubSubCommands::sunsubscribe);
        server(m, "publish", 3, READONLY, PubSubCommands::publish);
        server(m, "spublish", 3, READONLY, PubSubCommands::spublish);
        server(m, "pubsub", -2, READONLY, PubSubCommands::pubsub);
        // strings
        Function<DataCommands, StringCommands> s = DataCommands::strings;
        key(m, "get", 2, READONLY, s, StringCommands::get);
        key(m, "set", -3, WRITE, s, StringCommands::set);
        key(m, "getset", 3, WRITE, s, StringCommands::getset);
        key(m, "setnx", 3, WRITE, s, StringCommands::setnx);
        key(m, "setex", 4, WRITE, s, StringCommands::setex);
        key(m, "psetex", 4, WRITE, s, StringCommands::psetex);
        key(m, "append", 3, WRITE, s, StringCommands::append);
        key(m, "strlen", 2, READONLY, s, StringCommands::strlen);
        key(m, "incr", 2, WRITE, s, StringCommands::incr);
        key(m, "decr", 2, WRITE, s, StringCommands::decr);
        key(m, "incrby", 3, WRITE, s, StringCommands::incrby);
        key(m, "decrby", 3, WRITE, s, StringCommands::decrby);
        key(m, "incrbyfloat", 3, WRITE, s, StringCommands::incrbyfloat);
        keys(m, "mget", -2, READONLY, 1, s, StringCommands::mget);
        keys(m, "mset", -3, WRITE, 2, s, StringCommands::mset);
        // keys
        Function<DataCommands, KeyCommands> k = DataCommands::keys;
        keys(m, "del", -2, WRITE, 1, k, KeyCommands::del);
        keys(m, "unlink", -2, WRITE, 1, k, KeyCommands::del); // no background freeing here: the same as DEL
        keys(m, "exists", -2, READONLY, 1, k, KeyCommands::exists);
        key(m, "expire", -3, WRITE, k, KeyCommands::expire);
        key(m, "pexpire", -3, WRITE, k, KeyCommands::pexpire);
        key(m, "expireat", -3, WRITE, k, KeyCommands::expireat);
        key(m, "pexpireat", -3, WRITE, k, KeyCommands::pexpireat);
        key(m, "ttl", 2, READONLY, k, KeyCommands::ttl);
        key(m, "pttl", 2, READONLY, k, KeyCommands::pttl);
        key(m, "persist", 2, WRITE, k, KeyCommands::persist);
        key(m, "type", 2, READONLY, k, KeyCommands::type);
        // strings and bitmaps, the rest of issue 17 point 1 (helper G)
        key(m, "getex", -2, WRITE, s, StringCommands::getex);
        key(m, "getdel", 2, WRITE, s, StringCommands::getdel);
        put(m, spec("msetnx", -3, WRITE, 1, -1, 2, s, StringCommands::msetnx));
        Function<DataCommands, StringRangeCommands> r = DataCommands::stringRanges;
        key(m, "getrange", 4, READONLY, r, StringRangeCommands::getrange);
        key(m, "substr", 4, READONLY, r, StringRangeCommands::getrange);
        key(m, "setrange", 4, WRITE, r, StringRangeCommands::setrange);
        put(m, spec("lcs", -3, READONLY, 1, 2, 1, r, StringRangeCommands::lcs));
        Function<DataCommands, BitCommands> b = DataCommands::bits;
        key(m, "setbit", 4, WRITE, b, BitCommands::setbit);
        key(m, "getbit", 3, READONLY, b, BitCommands::getbit);
        key(m, "bitcount", -2, READONLY, b, BitCommands::bitcount);
        key(m, "bitpos", -3, READONLY, b, BitCommands::bitpos);
        put(m, spec("bitop", -4, WRITE, 2, -1, 1, b, BitCommands::bitop));
        key(m, "bitfield", -2, WRITE, b, BitCommands::bitfield);
        key(m, "bitfield_ro", -2, READONLY, b, BitCommands::bitfieldRo);
        // keys, the rest of issue 17 point 2 but DUMP, RESTORE, SORT and OBJECT (helper G)
        keys(m, "touch", -2, READONLY, 1, k, KeyCommands::touch);
        key(m, "expiretime", 2, READONLY, k, KeyCommands::expiretime);
        key(m, "pexpiretime", 2, READONLY, k, KeyCommands::pexpiretime);
        Function<DataCommands, KeyCopyCommands> kc = DataCommands::keyCopies;
        put(m, spec("rename", 3, WRITE, 1, 2, 1, kc, KeyCopyCommands::rename));
        put(m, spec("renamenx", 3, WRITE, 1, 2, 1, kc, KeyCopyCommands::renamenx));
        put(m, spec("copy", -3, WRITE, 1, 2, 1, kc, KeyCopyCommands::copy));
        server(m, "randomkey", 1, READONLY, AllShards::randomkey);
        // DUMP, RESTORE, SORT and SORT_RO (issue 17 point 2; SORT gathers its pattern keys over the shards)
        Function<DataCommands, DumpCommands> d = DataCommands::dumps;
        key(m, "dump", 2, READONLY, d, DumpCommands::dump);
        key(m, "restore", -4, WRITE, d, DumpCommands::restore);
        server(m, "sort", -2, WRITE, Sort::sort); // keys 0 0 0 here (Redis: 1 1 1, movablekeys): the table's rule
        server(m, "sort_ro", -2, READONLY, Sort::sortRo); // is that key positions mean a data command
        // lists
        Function<DataCommands, ListCommands> l = DataCommands::lists;
        key(m, "lpush", -3, WRITE, l, ListCommands::lpush);
        key(m, "rpush", -3, WRITE, l, ListCommands::rpush);
        key(m, "lpop", -2, WRITE, l, ListCommands::lpop);
        key(m, "rpop", -2, WRITE, l, ListCommands::rpop);
        key(m, "lrange", 4, READONLY, l, ListCommands::lrange);
        key(m, "llen", 2, READONLY, l, ListCommands::llen);
        key(m, "lpushx", -3, WRITE, l, ListCommands::lpushx);
        key(m, "rpushx", -3, WRITE, l, ListCommands::rpushx);
        key(m, "lindex", 3, READONLY, l, ListCommands::lindex);
        key(m, "lset", 4, WRITE, l, ListCommands::lset);
        range(m, "lmove", 5, WRITE, 2, l, ListCommands::lmove);
        range(m, "rpoplpush", 3, WRITE, 2, l, ListCommands::rpoplpush);
        server(m, "lmpop", -4, WRITE, MovableKeys::lmpop);
        Function<DataCommands, ListEditCommands> le = DataCommands::listEdits;
        key(m, "linsert", 5, WRITE, le, ListEditCommands::linsert);
        key(m, "lrem", 4, WRITE, le, ListEditCommands::lrem);
        key(m, "ltrim", 4, WRITE, le, ListEditCommands::ltrim);
        key(m, "lpos", -3, READONLY, le, ListEditCommands::lpos);
        // sets
        Function<DataCommands, SetCommands> t = DataCommands::sets;
        key(m, "sadd", -3, WRITE, t, SetCommands::sadd);
        key(m, "srem", -3, WRITE, t, SetCommands::srem);
        key(m, "smembers", 2, READONLY, t, SetCommands::smembers);
        key(m, "spop", -2, WRITE, t, SetCommands::spop);
        key(m, "scard", 2, READONLY, t, SetCommands::scard);
        key(m, "sismember", 3, READONLY, t, SetCommands::sismember);
        key(m, "smismember", -3, READONLY, t, SetCommands::smismember);
        key(m, "srandmember", -2, READONLY, t, SetCommands::srandmember);
        key(m, "sscan", -3, READONLY, t, SetCommands::sscan);
        range(m, "smove", 4, WRITE, 2, t, SetCommands::smove);
        Function<DataCommands, SetAlgebraCommands> sa = DataCommands::setAlgebra;
        keys(m, "sinter", -2, READONLY, 1, sa, SetAlgebraCommands::sinter);
        keys(m, "sinterstore", -3, WRITE, 1, sa, SetAlgebraCommands::sinterstore);
        keys(m, "sunion", -2, READONLY, 1, sa, SetAlgebraCommands::sunion);
        keys(m, "sunionstore", -3, WRITE, 1, sa, SetAlgebraCommands::sunionstore);
        keys(m, "sdiff", -2, READONLY, 1, sa, SetAlgebraCommands::sdiff);
        keys(m, "sdiffstore", -3, WRITE, 1, sa, SetAlgebraCommands::sdiffstore);
        server(m, "sintercard", -3, READONLY, SetAlgebra::sintercard);
        // hashes
        Function<DataCommands, HashCommands> h = DataCommands::hashes;
        key(m, "hset", -4, WRITE, h, HashCommands::hset);
        key(m, "hget", 3, READONLY, h, HashCommands::hget);
        key(m, "hdel", -3, WRITE, h, HashCommands::hdel);
        key(m, "hgetall", 2, READONLY, h, HashCommands::hgetall);
        key(m, "hincrby", 4, WRITE, h, HashCommands::hincrby);
        key(m, "hlen", 2, READONLY, h, HashCommands::hlen);
        key(m, "hsetnx", 4, WRITE, h, HashCommands::hsetnx);
        key(m, "hmset", -4, WRITE, h, HashCommands::hmset);
        key(m, "hmget", -3, READONLY, h, HashCommands::hmget);
        key(m, "hexists", 3, READONLY, h, HashCommands::hexists);
        key(m, "hstrlen", 3, READONLY, h, HashCommands::hstrlen);
        key(m, "hkeys", 2, READONLY, h, HashCommands::hkeys);
        key(m, "hvals", 2, READONLY, h, HashCommands::hvals);
        key(m, "hincrbyfloat", 4, WRITE, h, HashCommands::hincrbyfloat);
        Function<DataCommands, HashWalkCommands> hw = DataCommands::hashWalks;
        key(m, "hrandfield", -2, READONLY, hw, HashWalkCommands::hrandfield);
        key(m, "hscan", -3, READONLY, hw, HashWalkCommands::hscan);
        // HyperLogLog
        Function<DataCommands, HllCommands> pf = DataCommands::hlls;
        key(m, "pfadd", -2, WRITE, pf, HllCommands::pfadd);
        keys(m, "pfcount", -2, READONLY, 1, pf, HllCommands::pfcount);
        keys(m, "pfmerge", -2, WRITE, 1, pf, HllCommands::pfmerge);
        put(m, spec("pfdebug", 3, WRITE, 2, 2, 1, pf, HllCommands::pfdebug));
        conn(m, "pfselftest", 1, READONLY, (c, argv, out) -> HllCommands.pfselftest(out));
        // sorted sets
        Function<DataCommands, ZSetCommands> z = DataCommands::zsets;
        key(m, "zadd", -4, WRITE, z, ZSetCommands::zadd);
        Function<DataCommands, ZSetRangeCommands> zr = DataCommands::zsetRanges;
        key(m, "zrange", -4, READONLY, zr, ZSetRangeCommands::zrange);
        key(m, "zrem", -3, WRITE, z, ZSetCommands::zrem);
        key(m, "zscore", 3, READONLY, z, ZSetCommands::zscore);
        key(m, "zpopmin", -2, WRITE, z, ZSetCommands::zpopmin);
        key(m, "zcard", 2, READONLY, z, ZSetCommands::zcard);
        // streams (issue 17 point 8); XGROUP and XINFO name their key after the subcommand
        Function<DataCommands, StreamCommands> x = DataCommands::streams;
        key(m, "xadd", -5, WRITE, x, StreamCommands::xadd);
        key(m, "xlen", 2, READONLY, x, StreamCommands::xlen);
        key(m, "xrange", -4, READONLY, x, StreamCommands::xrange);
        key(m, "xrevrange", -4, READONLY, x, StreamCommands::xrevrange);
        key(m, "xdel", -3, WRITE, x, StreamCommands::xdel);
        key(m, "xtrim", -4, WRITE, x, StreamCommands::xtrim);
        key(m, "xsetid", -3, WRITE, x, StreamCommands::xsetid);
        server(m, "xread", -4, READONLY, StreamReads::xread);
        server(m, "xreadgroup", -7, WRITE, StreamReads::xreadgroup);
        Function<DataCommands, StreamGroupCommands> xg = DataCommands::streamGroups;
        put(m, spec("xgroup", -2, WRITE, 2, 2, 1, xg, StreamGroupCommands::xgroup));
        key(m, "xack", -4, WRITE, xg, StreamGroupCommands::xack);
        Function<DataCommands, StreamClaimCommands> xc = DataCommands::streamClaims;
        key(m, "xpending", -3, READONLY, xc, StreamClaimCommands::xpending);
        key(m, "xclaim", -6, WRITE, xc, StreamClaimCommands::xclaim);
        key(m, "xautoclaim", -6, WRITE, xc, StreamClaimCommands::xautoclaim);
        put(m, spec("xinfo", -2, READONLY, 2, 2, 1, DataCommands::streamInfo, StreamInfoCommands::xinfo));
        // sorted sets, the rest of issue 17 point 6 (kv-zset)
        key(m, "zincrby", 4, WRITE, z, ZSetCommands::zincrby);
        key(m, "zpopmax", -2, WRITE, z, ZSetCommands::zpopmax);
        range(m, "zrangestore", -5, WRITE, 2, zr, ZSetRangeCommands::zrangestore);
        key(m, "zrevrange", -4, READONLY, zr, ZSetRangeCommands::zrevrange);
        key(m, "zrangebyscore", -4, READONLY, zr, ZSetRangeCommands::zrangebyscore);
        key(m, "zrevrangebyscore", -4, READONLY, zr, ZSetRangeCommands::zrevrangebyscore);
        key(m, "zrangebylex", -4, READONLY, zr, ZSetRangeCommands::zrangebylex);
        key(m, "zrevrangebylex", -4, READONLY, zr, ZSetRangeCommands::zrevrangebylex);
        Function<DataCommands, ZSetReadCommands> zq = DataCommands::zsetReads;
        key(m, "zmscore", -3, READONLY, zq, ZSetReadCommands::zmscore);
        key(m, "zrank", -3, READONLY, zq, ZSetReadCommands::zrank);
        key(m, "zrevrank", -3, READONLY, zq, ZSetReadCommands::zrevrank);
        key(m, "zcount", 4, READONLY, zq, ZSetReadCommands::zcount);
        key(m, "zlexcount", 4, READONLY, zq, ZSetReadCommands::zlexcount);
        key(m, "zrandmember", -2, READONLY, zq, ZSetReadCommands::zrandmember);
        key(m, "zscan", -3, READONLY, zq, ZSetReadCommands::zscan);
        Function<DataCommands, ZSetEditCommands> ze = DataCommands::zsetEdits;
        key(m, "zremrangebyrank", 4, WRITE, ze, ZSetEditCommands::zremrangebyrank);
        key(m, "zremrangebyscore", 4, WRITE, ze, ZSetEditCommands::zremrangebyscore);
        key(m, "zremrangebylex", 4, WRITE, ze, ZSetEditCommands::zremrangebylex);
        server(m, "zmpop", -4, WRITE, ZSetAlgebra::zmpop);
        server(m, "zunion", -3, READONLY, ZSetAlgebra::zunion);
        server(m, "zinter", -3, READONLY, ZSetAlgebra::zinter);
        server(m, "zdiff", -3, READONLY, ZSetAlgebra::zdiff);
        server(m, "zintercard", -3, READONLY, ZSetAlgebra::zintercard);
        server(m, "zunionstore", -4, WRITE, ZSetAlgebra::zunionstore);
        server(m, "zinterstore", -4, WRITE, ZSetAlgebra::zinterstore);
        server(m, "zdiffstore", -4, WRITE, ZSetAlgebra::zdiffstore);
        // geo sets (sorted sets of 52-bit geohashes); the searches that may STORE route by their destination too
        Function<DataCommands, GeoCommands> g = DataCommands::geos;
        key(m, "geoadd", -5, WRITE, g, GeoCommands::geoadd);
        key(m, "geopos", -2, READONLY, g, GeoCommands::geopos);
        key(m, "geodist", -4, READONLY, g, GeoCommands::geodist);
        key(m, "geohash", -2, READONLY, g, GeoCommands::geohash);
        Function<DataCommands, GeoSearchCommands> gs = DataCommands::geoSearches;
        key(m, "geosearch", -7, READONLY, gs, GeoSearchCommands::geosearch);
        range(m, "geosearchstore", -8, WRITE, 2, gs, GeoSearchCommands::geosearchstore);
        key(m, "georadius_ro", -6, READONLY, gs, GeoSearchCommands::georadiusRo);
        key(m, "georadiusbymember_ro", -5, READONLY, gs, GeoSearchCommands::georadiusbymemberRo);
        server(m, "georadius", -6, WRITE, GeoAcross::georadius); // keys 0 0 0 as SORT: STORE's key is found by GeoAcross
        server(m, "georadiusbymember", -5, WRITE, GeoAcross::georadiusbymember);
        // numbered databases (issue 16 point 4): SELECT above, FLUSHDB/FLUSHALL per db, MOVE on the key's shard
        server(m, "swapdb", 3, WRITE, DatabaseCommands::swapdb);
        Function<DataCommands, MoveCommand> mv = DataCommands::move;
        key(m, "move", 3, WRITE, mv, MoveCommand::move);
        // blocking pops and moves (issue 16 point 3): keys 0 0 0 as for LMPOP, found by BlockingCommands
        server(m, "blpop", -3, WRITE, BlockingCommands::blpop);
        server(m, "brpop", -3, WRITE, BlockingCommands::brpop);
        server(m, "brpoplpush", 4, WRITE, BlockingCommands::brpoplpush);
        server(m, "blmove", 6, WRITE, BlockingCommands::blmove);
        server(m, "blmpop", -5, WRITE, BlockingCommands::blmpop);
        server(m, "bzpopmin", -3, WRITE, BlockingCommands::bzpopmin);
        server(m, "bzpopmax", -3, WRITE, BlockingCommands::bzpopmax);
        server(m, "bzmpop", -5, WRITE, BlockingCommands::bzmpop);
        // scripting (kv-lua): keys 0 0 0 as Redis' numkeys commands here; ScriptCommands finds them
        server(m, "eval", -3, WRITE, ScriptCommands::eval); // may write (the table's rule: write or readonly)
        server(m, "evalsha", -3, WRITE, ScriptCommands::evalsha);
        server(m, "eval_ro", -3, READONLY, ScriptCommands::evalRo);
        server(m, "evalsha_ro", -3, READONLY, ScriptCommands::evalshaRo);
        server(m, "script", -2, READONLY, ScriptCommands::script);
        server(m, "fcall", -3, WRITE, FunctionCommands::fcall);
        server(m, "fcall_ro", -3, READONLY, FunctionCommands::fcallRo);
        server(m, "function", -2, WRITE, FunctionCommands::function);
        BY_NAME = Collections.unmodifiableMap(m);
        for (CommandSpec spec : BY_NAME.values()) {
            INDEX.add(spec.name(), spec);
        }
    }

    private CommandTable() {
    }

    private static void put(Map<String, CommandSpec> m, CommandSpec given) {
        CommandSpec spec = !MemoryLimit.DENY_OOM.contains(given.name()) ? given : new CommandSpec(given.name(), given.arity(),
                given.flags() | CommandSpec.DENYOOM, given.firstKey(), given.lastKey(), given.keyStep(), given.handler());
        if (m.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command listed twice: " + spec.name());
        }
    }

    private static void conn(Map<String, CommandSpec> m, String name, int arity, int flags, OnConnection run) {
        put(m, new CommandSpec(name, arity, flags, 0, 0, 0, run));
    }

    private static void server(Map<String, CommandSpec> m, String name, int arity, int flags, OnServer run) {
        put(m, new CommandSpec(name, arity, flags, 0, 0, 0, run));
    }

    /** A command on the one key in argument 1. */
    private static <G> void key(Map<String, CommandSpec> m, String name, int arity, int flags,
            Function<DataCommands, G> group, DataCommand<G> run) {
        put(m, new CommandSpec(name, arity, flags, 1, 1, 1, new OnKeys(DataCommands.of(group, run))));
    }

    /** A command on keys from argument 1 to the last argument, {@code step} apart (2 for key/value pairs). */
    private static <G> void keys(Map<String, CommandSpec> m, String name, int arity, int flags, int step,
            Function<DataCommands, G> group, DataCommand<G> run) {
        put(m, new CommandSpec(name, arity, flags, 1, -1, step, new OnKeys(DataCommands.of(group, run))));
    }

    /** A data command with explicit key positions (first, last, step as in Redis' JSON). */
    private static <G> CommandSpec spec(String name, int arity, int flags, int first, int last, int step,
            Function<DataCommands, G> group, DataCommand<G> run) {
        return new CommandSpec(name, arity, flags, first, last, step, new OnKeys(DataCommands.of(group, run)));
    }

    /** A command on the keys from argument 1 to argument {@code last} (LMOVE's source and destination). */
    private static <G> void range(Map<String, CommandSpec> m, String name, int arity, int flags, int last,
            Function<DataCommands, G> group, DataCommand<G> run) {
        put(m, new CommandSpec(name, arity, flags, 1, last, 1, new OnKeys(DataCommands.of(group, run))));
    }

    /** The command named by {@code name} (any case), or null. */
    public static CommandSpec lookup(byte[] name) {
        return INDEX.find(name);
    }

    /** The command {@code argv} names (any case), or null: read in place, no allocation. */
    public static CommandSpec lookup(Argv argv) {
        return INDEX.find(argv.array(0), argv.offset(0), argv.length(0));
    }

    public static CommandSpec lookup(String name) {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }

    public static Collection<CommandSpec> all() {
        return BY_NAME.values();
    }
}
