package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.util.List;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, with Redis 7's replies and errors. Stateless; runs on
 * the connection's shard.
 *
 * <h2>Design (for DESIGN.md)</h2>
 * A script takes intent locks ({@link TxLocks}) on its declared keys, on their shards in ascending
 * order as EXEC's general path does, then runs its Lua on a virtual thread ({@link ScriptRun}); each
 * redis.call goes through the connection's shard to its key's shard and the virtual thread parks for
 * the reply: no shard thread runs Lua or waits for it, so a long script never stalls a shard, other
 * clients still get BUSY from their shards, and SCRIPT KILL reaches the script. A script with no keys
 * takes no lock. Keys a script did not declare are reached (as Redis allows outside cluster mode) but
 * not locked: taking a lock in the middle would break the ascending order that keeps lockers from
 * deadlocking.
 */
final class ScriptCommands {
    private static final List<String> HELP = List.of(
            "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
            "HELP",
            "    Prints this help.");

    private ScriptCommands() {
    }

    static Future<byte[]> eval(KvConnection c, Argv argv) {
        return eval(c, argv, false, false);
    }

    static Future<byte[]> evalRo(KvConnection c, Argv argv) {
        return eval(c, argv, false, true);
    }

    static Future<byte[]> evalsha(KvConnection c, Argv argv) {
        return eval(c, argv, true, false);
    }

    static Future<byte[]> evalshaRo(KvConnection c, Argv argv) {
        return eval(c, argv, true, true);
    }

    private static Future<byte[]> eval(KvConnection c, Argv argv, boolean bySha, boolean readOnly) {
        Long numkeys = ConnectionCommands.parseLong(argv.bytes(2));
        if (numkeys == null) {
            return error("ERR value is not an integer or out of range");
        }
        String bad = numkeysError(numkeys, argv.count());
        if (bad != null) {
            return error(bad);
        }
        KvShard local = c.server.shards().local();
        ScriptCache.Script script;
        Future<?> known = Future.succeeded(null);
        if (bySha) {
            script = local.scripts.get(ConnectionCommands.lower(argv.bytes(1)));
            if (script == null) {
                return error("NOSCRIPT No matching script. Please use EVAL.");
            }
        } else {
            byte[] body = argv.bytes(1);
            script = local.scripts.get(ScriptCache.sha1hex(body, 0, body.length));
            if (script == null) {
                try {
                    script = ScriptCache.compile(body);
                } catch (ScriptCache.BadScript e) {
                    return error(e.getMessage());
                }
                known = everywhere(c, script); // EVAL caches what it runs, as Redis' does, on every shard
            }
        }
        if (c.server.cluster() != null && script.has(ScriptCache.NO_CLUSTER)) {
            return error("ERR Can not run script on cluster, 'no-cluster' flag is set.");
        }
        ScriptCache.Script s = script;
        return start(c, argv, numkeys.intValue(), known,
                (keys, args, threshold) -> new ScriptRun(c, s, keys, args, readOnly || s.has(ScriptCache.NO_WRITES), threshold));
    }

    /** Makes a run from its keys, its arguments and the busy threshold (ms). */
    @FunctionalInterface
    interface RunMaker {
        ScriptRun make(byte[][] keys, byte[][] args, long thresholdMillis);
    }

    /**
     * Redis' checks of numkeys against the arguments (after it parsed): the error, or null. EVAL and
     * FCALL word a numkeys that does not parse differently, so that check is theirs.
     */
    static String numkeysError(long numkeys, int argc) {
        if (numkeys > argc - 3) {
            return "ERR Number of keys can't be greater than number of args";
        }
        return numkeys < 0 ? "ERR Number of keys can't be negative" : null;
    }

    /**
     * Starts a script (EVAL's or FCALL's) once {@code before} is done: its {@code n} keys after numkeys,
     * the arguments after them, and intent locks on the keys' shards for the whole run.
     */
    static Future<byte[]> start(KvConnection c, Argv argv, int n, Future<?> before, RunMaker maker) {
        byte[][] keys = new byte[n][];
        int[] owner = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = argv.bytes(3 + i);
            owner[i] = c.server.slots().shardOf(keys[i]);
        }
        byte[][] args = new byte[argv.count() - 3 - n][];
        for (int i = 0; i < args.length; i++) {
            args[i] = argv.bytes(3 + n + i);
        }
        long threshold = Long.parseLong(c.server.shards().local().live.get("busy-reply-threshold"));
        ScriptRun run = maker.make(keys, args, threshold);
        Future<byte[]> reply = before.flatMap(v -> n == 0 ? run.start() : TxExec.lockedUnlessInExec(c, keys, owner, run::start));
        if (!reply.isDone()) {
            c.barrier = reply; // the connection's next requests wait for the script, as Redis runs it as one step
        }
        return reply;
    }

    /** Adds {@code script} to every shard's cache; done once all have it, so an EVALSHA anywhere finds it. */
    private static Future<?> everywhere(KvConnection c, ScriptCache.Script script) {
        return EveryShard.call(c.shard(), () -> {
            c.server.shards().local().scripts.put(script);
            return null;
        });
    }

    /** SCRIPT LOAD|EXISTS|FLUSH|KILL|HELP|DEBUG. */
    static Future<byte[]> script(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        int argc = argv.count();
        KvShard local = c.server.shards().local();
        switch (sub) {
            case "load" -> {
                if (argc != 3) {
                    return error(Errors.wrongArity("script|load"));
                }
                ScriptCache.Script script;
                try {
                    script = ScriptCache.compile(argv.bytes(2));
                } catch (ScriptCache.BadScript e) {
                    return error(e.getMessage());
                }
                String sha = script.sha();
                return everywhere(c, script).map(v -> RespWriter.forReply(c.protocol).bulk(sha).toByteArray());
            }
            case "exists" -> {
                if (argc < 3) {
                    return error(Errors.wrongArity("script|exists"));
                }
                RespWriter out = RespWriter.forReply(c.protocol);
                out.arrayHeader(argc - 2);
                for (int i = 2; i < argc; i++) {
                    out.integer(local.scripts.get(ConnectionCommands.lower(argv.bytes(i))) != null ? 1 : 0);
                }
                return Future.succeeded(out.toByteArray());
            }
            case "flush" -> {
                if (argc > 3 || (argc == 3 && !ConnectionCommands.lower(argv.bytes(2)).equals("sync")
                        && !ConnectionCommands.lower(argv.bytes(2)).equals("async"))) {
                    return error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
                }
                return EveryShard.call(c.shard(), () -> {
                    c.server.shards().local().scripts.flush();
                    return null;
                }).map(v -> RespWriter.forReply(c.protocol).simple("OK").toByteArray());
            }
            case "kill" -> {
                if (argc != 2) {
                    return error(Errors.wrongArity("script|kill"));
                }
                return local.scriptBusy.kill(c, false);
            }
            case "debug" -> {
                if (argc != 3) {
                    return error(Errors.wrongArity("script|debug"));
                }
                String mode = ConnectionCommands.lower(argv.bytes(2));
                return switch (mode) {
                    case "no" -> Future.succeeded(RespWriter.forReply(c.protocol).simple("OK").toByteArray());
                    case "yes", "sync" -> error("ERR SCRIPT DEBUG is not supported by this server: there is no Lua debugger");
                    default -> error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
                };
            }
            case "help" -> {
                return argc != 2 ? error(Errors.wrongArity("script|help")) : ScriptCommands.lines(c, HELP);
            }
            default -> {
                return error(Errors.unknownSubcommand("script", argv.bytes(1)));
            }
        }
    }

    /** A HELP reply: {@code lines} as status replies. */
    static Future<byte[]> lines(KvConnection c, List<String> lines) {
        RespWriter out = RespWriter.forReply(c.protocol);
        out.arrayHeader(lines.size());
        for (String line : lines) {
            out.simple(line);
        }
        return Future.succeeded(out.toByteArray());
    }

    private static Future<byte[]> error(String text) {
        return Future.succeeded(RespWriter.errorBytes(text));
    }
}
