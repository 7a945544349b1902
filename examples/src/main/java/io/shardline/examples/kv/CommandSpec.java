package io.shardline.examples.kv;

/**
 * What the server knows of one command before running it: its arity (Redis' convention: negative
 * means "at least"), where its keys are, and how it is routed. Immutable, any thread.
 *
 * @param name the lowercase name, as Redis reports it
 * @param arity argument count including the name; -n means at least n
 * @param route how the command finds its shard(s)
 * @param write whether it changes data (and is logged)
 * @param firstKey index of the first key, 0 if none
 * @param lastKey index of the last key, -1 for "the last argument", 0 if none
 * @param keyStep distance between keys
 */
public record CommandSpec(String name, int arity, Route route, boolean write, int firstKey, int lastKey, int keyStep) {

    /** How a command is dispatched. */
    public enum Route {
        /** Answered by the connection itself (PING, AUTH, HELLO...). */
        CONNECTION,
        /** One key in argv[1]: runs on that key's shard. */
        KEY,
        /** Every argument from 1 on is a key: split by shard, gathered in order (MGET, DEL, EXISTS, UNLINK). */
        KEYS,
        /** Key/value pairs from 1 on (MSET). */
        PAIRS,
        /** Runs on every shard and merges (DBSIZE, KEYS, SCAN, FLUSHALL, INFO). */
        ALL
    }

    /** Whether {@code argc} arguments (the name included) fit the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
