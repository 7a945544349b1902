package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.logging.Logger;

/**
 * Makes the function libraries survive a restart, as Redis keeps them in its RDB and AOF: each shard
 * logs every library change to its own log as the FUNCTION command that makes it, replays those
 * records when it opens, and logs its libraries again after every snapshot, so a compacted log still
 * holds them. Stateless; runs on the shard whose log it writes or reads.
 */
final class FunctionLog {
    private static final Logger LOG = Logger.getLogger(FunctionLog.class.getName());
    private static final byte[] FUNCTION = "function".getBytes(StandardCharsets.US_ASCII);

    private FunctionLog() {
    }

    /** Logs a library change on {@code shard} ({@code argv}: FUNCTION LOAD REPLACE, DELETE or FLUSH). */
    static void logged(KvShard shard, byte[]... argv) {
        shard.append(-1, Argv.of(argv));
    }

    static void load(KvShard shard, FunctionLibraries.Library lib) {
        shard.functions.put(lib);
        logged(shard, FUNCTION, bytes("load"), bytes("replace"), lib.code());
    }

    static void delete(KvShard shard, String name) {
        shard.functions.delete(name);
        logged(shard, FUNCTION, bytes("delete"), bytes(name));
    }

    static void flush(KvShard shard) {
        shard.functions.flush();
        logged(shard, FUNCTION, bytes("flush"));
    }

    /** After a snapshot: the libraries again, after its last offset, so truncating the log keeps them. */
    static void relog(KvShard shard) {
        for (FunctionLibraries.Library lib : shard.functions.all()) {
            logged(shard, FUNCTION, bytes("load"), bytes("replace"), lib.code());
        }
    }

    /** Replays a FUNCTION record; false when {@code argv} is not one. */
    static boolean replay(KvShard shard, Argv argv) {
        if (argv.count() < 2 || !Arrays.equals(argv.bytes(0), FUNCTION)) {
            return false;
        }
        switch (ConnectionCommands.lower(argv.bytes(1))) {
            case "load" -> {
                try {
                    shard.functions.put(FunctionLibraries.compile(argv.bytes(argv.count() - 1)));
                } catch (ScriptCache.BadScript e) {
                    LOG.warning("a logged function library does not load any more: " + e.getMessage());
                }
            }
            case "delete" -> shard.functions.delete(new String(argv.bytes(2), StandardCharsets.UTF_8));
            case "flush" -> shard.functions.flush();
            default -> LOG.warning("skipped a logged FUNCTION record: " + ConnectionCommands.lower(argv.bytes(1)));
        }
        return true;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
