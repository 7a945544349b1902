package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.DataCommands;

/**
 * One command as the server knows it before running it, with Redis 7's arity, flags and key positions
 * (as in Redis' {@code src/commands/*.json}), and the code that runs it. Immutable, any thread.
 *
 * @param name the lowercase name, as Redis reports it
 * @param arity argument count including the name; -n means at least n
 * @param flags {@link #WRITE}, {@link #READONLY}, {@link #NO_AUTH}, {@link #DENYOOM}
 * @param firstKey index of the first key, 0 if none
 * @param lastKey index of the last key, -1 for "the last argument", 0 if none
 * @param keyStep distance between keys, 0 if none
 * @param handler what runs it, which also says where it runs
 */
public record CommandSpec(String name, int arity, int flags, int firstKey, int lastKey, int keyStep, Handler handler) {
    /** Changes data, so it is logged (Redis' {@code write}). */
    public static final int WRITE = 1;
    /** Reads data only (Redis' {@code readonly}). */
    public static final int READONLY = 1 << 1;
    /** Runs before the client authenticated (Redis' {@code no_auth}: AUTH, HELLO, QUIT). */
    public static final int NO_AUTH = 1 << 2;
    /** May grow memory, so it is refused with -OOM past the memory limit (Redis' {@code denyoom}). */
    public static final int DENYOOM = 1 << 3;

    /** What runs a command: on the connection, on its keys' shards, or over the whole server. */
    public sealed interface Handler permits OnConnection, OnKeys, OnServer {
    }

    /**
     * Answered by the connection itself (PING, AUTH, HELLO...), on its shard, at once: {@code argv} is
     * valid only during the call, and {@code out} may be the connection's outbound writer.
     */
    @FunctionalInterface
    public non-sealed interface OnConnection extends Handler {
        void run(KvConnection c, Argv argv, RespWriter out);
    }

    /**
     * A data command: runs on the shard of its key, or, with several keys, split by shard and gathered
     * in argument order; journal replay runs it too.
     */
    public record OnKeys(DataCommands.Handler command) implements Handler {
    }

    /**
     * Runs over several shards and merges (DBSIZE, KEYS, SCAN, FLUSHALL, INFO); its future is the reply.
     * It gets an owned copy of the arguments, so its hops may keep them.
     */
    @FunctionalInterface
    public non-sealed interface OnServer extends Handler {
        Future<byte[]> run(KvConnection c, Argv argv);
    }

    public boolean write() {
        return (flags & WRITE) != 0;
    }

    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    /** Whether its keys can fall on several shards (MGET, DEL, MSET...). */
    public boolean multiKey() {
        return lastKey != firstKey;
    }

    /**
     * Whether {@code argc} arguments (the name included) fit the arity, and, for key/value lists such
     * as MSET's, make whole steps: Redis answers both with the wrong-number-of-arguments error.
     */
    public boolean arityAccepts(int argc) {
        boolean fits = arity >= 0 ? argc == arity : argc >= -arity;
        return fits && (lastKey >= 0 || keyStep < 2 || (argc - firstKey) % keyStep == 0);
    }
}
