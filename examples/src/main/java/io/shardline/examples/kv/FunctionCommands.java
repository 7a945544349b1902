package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.FunctionPayload;
import io.shardline.examples.kv.store.Glob;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * FCALL, FCALL_RO and FUNCTION LOAD|LIST|DELETE|FLUSH|STATS|KILL|HELP with Redis 7's replies and
 * errors. A library change is made on every shard's {@link FunctionLibraries} through the mesh and
 * answered once all have it. An FCALL runs as an EVAL does ({@link ScriptCommands}). Stateless; runs on
 * the connection's shard.
 */
final class FunctionCommands {
    private static final List<String> HELP = List.of(
            "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
            "HELP",
            "    Prints this help.");

    private FunctionCommands() {
    }

    static Future<byte[]> fcall(KvConnection c, Argv argv) {
        return fcall(c, argv, false);
    }

    static Future<byte[]> fcallRo(KvConnection c, Argv argv) {
        return fcall(c, argv, true);
    }

    private static Future<byte[]> fcall(KvConnection c, Argv argv, boolean readOnly) {
        KvShard local = c.server.shards().local();
        String name = new String(argv.bytes(1), StandardCharsets.UTF_8);
        FunctionLibraries.Library lib = local.functions.ofFunction(name);
        if (lib == null) { // Redis looks the function up before it reads numkeys
            return error("ERR Function not found");
        }
        Long numkeys = ConnectionCommands.parseLong(argv.bytes(2));
        if (numkeys == null) {
            return error("ERR Bad number of keys provided");
        }
        String bad = ScriptCommands.numkeysError(numkeys, argv.count());
        if (bad != null) {
            return error(bad);
        }
        int flags = lib.functions().get(name).flags();
        if (readOnly && (flags & ScriptCache.NO_WRITES) == 0) {
            return error("ERR Can not execute a script with write flag using *_ro command.");
        }
        if (c.server.cluster() != null && (flags & ScriptCache.NO_CLUSTER) != 0) {
            return error("ERR Can not run script on cluster, 'no-cluster' flag is set.");
        }
        boolean noWrites = (flags & ScriptCache.NO_WRITES) != 0;
        return ScriptCommands.start(c, argv, numkeys.intValue(), Future.succeeded(null),
                (keys, args, threshold) -> new ScriptRun(c, lib, name, keys, args, noWrites, threshold));
    }

    /** FUNCTION's subcommands. */
    static Future<byte[]> function(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        int argc = argv.count();
        KvShard local = c.server.shards().local();
        switch (sub) {
            case "load" -> {
                if (argc < 3 || argc > 4) {
                    return error(Errors.wrongArity("function|load"));
                }
                boolean replace = false;
                if (argc == 4) {
                    if (!ConnectionCommands.lower(argv.bytes(2)).equals("replace")) {
                        return error("ERR Unknown option given: " + Errors.text(argv.bytes(2)));
                    }
                    replace = true;
                }
                byte[] code = argv.bytes(argc - 1);
                FunctionLibraries.Library lib;
                String header = header(code);
                if (header != null && !replace && local.functions.library(header) != null) {
                    return error("ERR Library '" + header + "' already exists"); // Redis checks before running the code
                }
                try {
                    lib = FunctionLibraries.compile(code);
                } catch (ScriptCache.BadScript e) {
                    return error(e.getMessage());
                }
                String conflict = local.functions.conflict(lib, replace);
                if (conflict != null) {
                    return error(conflict);
                }
                FunctionLibraries.Library loaded = lib;
                return everywhere(c, shard -> FunctionLog.load(shard, loaded)).map(v -> RespWriter.forReply(c.protocol).bulk(loaded.name()).toByteArray());
            }
            case "delete" -> {
                if (argc != 3) {
                    return error(Errors.wrongArity("function|delete"));
                }
                String name = new String(argv.bytes(2), StandardCharsets.UTF_8);
                if (local.functions.library(name) == null) {
                    return error("ERR Library not found");
                }
                return everywhere(c, shard -> FunctionLog.delete(shard, name)).map(v -> ok(c));
            }
            case "flush" -> {
                if (argc > 3 || (argc == 3 && !ConnectionCommands.lower(argv.bytes(2)).equals("sync")
                        && !ConnectionCommands.lower(argv.bytes(2)).equals("async"))) {
                    return error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                }
                return everywhere(c, FunctionLog::flush).map(v -> ok(c));
            }
            case "list" -> {
                return list(c, argv);
            }
            case "dump" -> {
                if (argc != 2) {
                    return error(Errors.wrongArity("function|dump"));
                }
                List<byte[]> codes = new java.util.ArrayList<>();
                for (FunctionLibraries.Library l : local.functions.all()) {
                    codes.add(l.code());
                }
                return Future.succeeded(RespWriter.forReply(c.protocol).bulk(FunctionPayload.dump(codes)).toByteArray());
            }
            case "restore" -> {
                return restore(c, argv);
            }
            case "stats" -> {
                if (argc != 2) {
                    return error(Errors.wrongArity("function|stats"));
                }
                return Future.succeeded(stats(c, local));
            }
            case "kill" -> {
                if (argc != 2) {
                    return error(Errors.wrongArity("function|kill"));
                }
                return local.scriptBusy.kill(c, true);
            }
            case "help" -> {
                return argc != 2 ? error(Errors.wrongArity("function|help")) : ScriptCommands.lines(c, HELP);
            }
            default -> {
                return error(Errors.unknownSubcommand("function", argv.bytes(1)));
            }
        }
    }

    /** FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]: all the payload's libraries or none. */
    private static Future<byte[]> restore(KvConnection c, Argv argv) {
        int argc = argv.count();
        if (argc < 3 || argc > 4) {
            return error(argc < 3 ? Errors.wrongArity("function|restore")
                    : "ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
        }
        String policy = argc == 4 ? ConnectionCommands.lower(argv.bytes(3)) : "append";
        if (!policy.equals("flush") && !policy.equals("append") && !policy.equals("replace")) {
            return error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        List<FunctionLibraries.Library> libs = new java.util.ArrayList<>();
        try {
            for (byte[] code : FunctionPayload.restore(argv.bytes(2))) {
                libs.add(FunctionLibraries.compile(code));
            }
        } catch (FunctionPayload.Refused e) {
            return error("ERR " + e.getMessage());
        } catch (ScriptCache.BadScript e) {
            return error(e.getMessage());
        }
        // Checked against the libraries as they will be (none left after FLUSH), before anything changes.
        FunctionLibraries check = new FunctionLibraries();
        KvShard local = c.server.shards().local();
        if (!policy.equals("flush")) {
            for (FunctionLibraries.Library l : local.functions.all()) {
                check.put(l);
            }
        }
        for (FunctionLibraries.Library l : libs) {
            String conflict = check.conflict(l, policy.equals("replace"));
            if (conflict != null) {
                return error(conflict.replace("Library '" + l.name() + "'", "Library " + l.name()));
            }
            check.put(l);
        }
        return everywhere(c, shard -> {
            if (policy.equals("flush")) {
                FunctionLog.flush(shard);
            }
            for (FunctionLibraries.Library l : libs) {
                FunctionLog.load(shard, l);
            }
        }).map(v -> ok(c));
    }

    /** The library name of a well-formed header, or null. */
    private static String header(byte[] code) {
        String text = new String(code, StandardCharsets.UTF_8);
        if (!text.startsWith("#!lua ")) {
            return null;
        }
        int nl = text.indexOf('\n');
        for (String p : (nl < 0 ? text : text.substring(0, nl)).split("\\s+")) {
            if (p.startsWith("name=")) {
                return p.substring(5);
            }
        }
        return null;
    }

    private static Future<byte[]> list(KvConnection c, Argv argv) {
        String pattern = null;
        boolean withCode = false;
        for (int i = 2; i < argv.count(); i++) {
            String opt = ConnectionCommands.lower(argv.bytes(i));
            if (opt.equals("withcode")) {
                withCode = true;
            } else if (opt.equals("libraryname")) {
                if (i + 1 >= argv.count()) {
                    return error("ERR library name argument was not given");
                }
                if (pattern != null) {
                    return error("ERR library name can be given only once");
                }
                pattern = new String(argv.bytes(++i), StandardCharsets.UTF_8);
            } else {
                return error("ERR Unknown argument " + Errors.text(argv.bytes(i)));
            }
        }
        List<FunctionLibraries.Library> libs = c.server.shards().local().functions.all();
        if (pattern != null) {
            byte[] p = pattern.getBytes(StandardCharsets.UTF_8);
            libs.removeIf(l -> !Glob.matches(p, l.name().getBytes(StandardCharsets.UTF_8)));
        }
        RespWriter out = RespWriter.forReply(c.protocol);
        out.arrayHeader(libs.size());
        for (FunctionLibraries.Library l : libs) {
            out.mapHeader(withCode ? 4 : 3);
            out.bulk("library_name").bulk(l.name());
            out.bulk("engine").bulk("LUA");
            out.bulk("functions").arrayHeader(l.functions().size());
            for (FunctionLibraries.Function f : l.functions().values()) {
                out.mapHeader(3);
                out.bulk("name").bulk(f.name());
                out.bulk("description");
                if (f.description() == null) {
                    out.nullBulk();
                } else {
                    out.bulk(f.description());
                }
                List<String> flags = FunctionLibraries.flagNames(f.flags());
                out.bulk("flags").setHeader(flags.size());
                for (String flag : flags) {
                    out.simple(flag);
                }
            }
            if (withCode) {
                out.bulk("library_code").bulk(l.code());
            }
        }
        return Future.succeeded(out.toByteArray());
    }

    private static byte[] stats(KvConnection c, KvShard local) {
        RespWriter out = RespWriter.forReply(c.protocol);
        out.mapHeader(2);
        out.bulk("running_script");
        ScriptRun run = local.scriptBusy.runningFunction();
        if (run == null) {
            out.nullBulk();
        } else {
            out.mapHeader(3);
            out.bulk("name").bulk(run.name);
            out.bulk("command").arrayHeader(3 + run.keys.length + run.args.length);
            out.bulk(run.readOnly ? "fcall_ro" : "fcall").bulk(run.name).bulk(Integer.toString(run.keys.length));
            for (byte[] k : run.keys) {
                out.bulk(k);
            }
            for (byte[] a : run.args) {
                out.bulk(a);
            }
            out.bulk("duration_ms").integer(run.elapsedMillis());
        }
        out.bulk("engines").mapHeader(1);
        out.bulk("LUA").mapHeader(2);
        out.bulk("libraries_count").integer(local.functions.all().size());
        out.bulk("functions_count").integer(local.functions.functionCount());
        return out.toByteArray();
    }

    /** Applies {@code change} to every shard's libraries (and logs it there); done once all have it. */
    private static Future<?> everywhere(KvConnection c, Consumer<KvShard> change) {
        return EveryShard.call(c.shard(), () -> {
            change.accept(c.server.shards().local());
            return null;
        });
    }

    private static byte[] ok(KvConnection c) {
        return RespWriter.forReply(c.protocol).simple("OK").toByteArray();
    }

    private static Future<byte[]> error(String text) {
        return Future.succeeded(RespWriter.errorBytes(text));
    }
}
