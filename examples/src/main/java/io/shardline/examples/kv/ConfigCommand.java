package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.ConfigParam.Checked;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.EncodingLimits;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.Glob;
import io.shardline.examples.kv.store.Notifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET (glob patterns, several at once), CONFIG SET (several pairs, all or nothing) and CONFIG
 * RESETSTAT over the parameters of {@link ConfigParams}. Stateless; called on the connection's shard.
 *
 * <p>A CONFIG SET checks every pair first and changes nothing if one is bad (as config.c, which
 * restores what it set), then applies the pairs on every shard over the mesh ({@link EveryShard}),
 * each on its own thread, and replies once all did. Two clients setting the same parameter at once
 * from different shards may leave shards disagreeing on it until the next CONFIG SET; Redis,
 * single-threaded, cannot.
 */
final class ConfigCommand {
    private static final String OUTPUT_LIMITS = "client-output-buffer-limit";

    private ConfigCommand() {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        return switch (sub) {
            case "get" -> argv.count() < 3 ? Dispatcher.error(Errors.wrongArity("config|get")) : get(c, argv);
            case "set" -> set(c, argv);
            case "resetstat" -> argv.count() != 2 ? Dispatcher.error(Errors.wrongArity("config|resetstat")) : resetStat(c);
            case "rewrite" -> argv.count() != 2 ? Dispatcher.error(Errors.wrongArity("config|rewrite"))
                    : Dispatcher.error("ERR The server is running without a config file");
            case "help" -> help(c);
            default -> Dispatcher.error(Errors.unknownSubcommand("config", argv.bytes(1)));
        };
    }

    private static Future<byte[]> get(KvConnection c, Argv argv) {
        KvShard local = c.server.shards().local();
        ConfigParams params = local.live.params();
        Map<String, String> found = new LinkedHashMap<>(); // lower-case name to the name replied
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 2; i < argv.count(); i++) {
            String given = new String(argv.bytes(i), StandardCharsets.UTF_8);
            String lower = given.toLowerCase(Locale.ROOT);
            if (given.indexOf('*') < 0 && given.indexOf('?') < 0 && given.indexOf('[') < 0) {
                ConfigParam p = params.find(lower); // an exact name is replied as given, as Redis'
                if (p != null && !found.containsKey(lower)) {
                    found.put(lower, given);
                    values.put(lower, value(local, p));
                }
                continue;
            }
            byte[] pattern = lower.getBytes(StandardCharsets.UTF_8);
            for (var e : params.names().entrySet()) {
                if (!found.containsKey(e.getKey()) && Glob.matches(pattern, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                    found.put(e.getKey(), e.getKey());
                    values.put(e.getKey(), value(local, e.getValue()));
                }
            }
        }
        RespWriter out = RespWriter.forReply(c.protocol);
        out.mapHeader(found.size());
        for (var e : found.entrySet()) {
            out.bulk(e.getValue());
            out.bulk(values.get(e.getKey()));
        }
        return Future.succeeded(out.toByteArray());
    }

    /** What CONFIG GET shows for {@code p} on this shard. */
    private static String value(KvShard shard, ConfigParam p) {
        if (p.kind() == ConfigParam.Kind.EVENTS) {
            return Notifier.render(shard.events().flags());
        }
        if (p.kind() == ConfigParam.Kind.OUTPUT_LIMITS) {
            return shard.live.outputLimits().render();
        }
        Integer limit = shard.limits().get(p.name());
        return limit != null ? Integer.toString(limit) : shard.live.get(p.name());
    }

    private static Future<byte[]> set(KvConnection c, Argv argv) {
        if (argv.count() < 4) {
            return Dispatcher.error(Errors.wrongArity("config|set"));
        }
        if (argv.count() % 2 != 0) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        KvShard local = c.server.shards().local();
        ConfigParams params = local.live.params();
        List<ConfigParam> chosen = new ArrayList<>();
        List<String> given = new ArrayList<>();
        for (int i = 2; i < argv.count(); i += 2) { // names first, as config.c: unknown or repeated fails before any value
            String name = argv.string(i);
            String lower = name.toLowerCase(Locale.ROOT);
            ConfigParam p = params.find(lower);
            if (p == null) {
                return Dispatcher.error("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            }
            if (p.set() == ConfigParam.IMMUTABLE) {
                return Dispatcher.error(failed(name, "can't set immutable config"));
            }
            if (p.set() == ConfigParam.PROTECTED) {
                return Dispatcher.error(failed(name, "can't set protected config"));
            }
            if (given.contains(lower)) {
                return Dispatcher.error(failed(name, "duplicate parameter"));
            }
            chosen.add(p);
            given.add(lower);
        }
        List<String> values = new ArrayList<>();
        OutputLimits limits = local.live.outputLimits();
        for (int i = 0; i < chosen.size(); i++) {
            ConfigParam p = chosen.get(i);
            String text = new String(argv.bytes(3 + 2 * i), StandardCharsets.UTF_8);
            String error;
            String value;
            if (p.kind() == ConfigParam.Kind.OUTPUT_LIMITS) {
                String[] why = new String[1];
                limits = limits.with(text, why);
                error = why[0];
                value = limits == null ? null : limits.render();
            } else {
                Checked checked = p.check(text);
                error = checked.error() != null ? checked.error() : refusedLive(c, p, checked.value());
                value = checked.value();
            }
            if (error != null) {
                return Dispatcher.error(failed(given.get(i), error));
            }
            values.add(p.name().equals("hz") ? Long.toString(Math.clamp(Long.parseLong(value), 1, 500)) : value);
        }
        KvServer server = c.server;
        return EveryShard.call(c.shard(), () -> {
            KvShard s = server.shards().local();
            for (int i = 0; i < chosen.size(); i++) {
                apply(s, server.config().shards(), chosen.get(i).name(), values.get(i));
            }
            return null;
        }).map(done -> RespWriter.forReply(2).simple("OK").toByteArray());
    }

    /**
     * Why this server cannot take {@code value} for {@code p} while it runs, in the words Redis uses when
     * it cannot either (a port or address it fails to listen on, AOF it fails to turn on), or null.
     */
    private static String refusedLive(KvConnection c, ConfigParam p, String value) {
        String now = c.server.shards().local().live.get(p.name());
        if (value.equals(now)) {
            return null;
        }
        return switch (p.name()) {
            case "port" -> "Unable to listen on this port";
            case "bind" -> "Failed to bind to specified addresses.";
            case "appendonly" -> c.server.config().dataDir() == null ? "Unable to turn on AOF. Check server logs."
                    : "can't set immutable config"; // the shards' logs are the data directory: they stay while it runs
            // The shards' logs take their fsync policy when they open: with a log, another one needs a restart.
            case "appendfsync" -> c.server.config().dataDir() != null ? "can't set immutable config" : null;
            default -> null;
        };
    }

    /** Sets {@code name} (canonical) to a checked {@code value} on shard {@code s}, where it takes effect. */
    private static void apply(KvShard s, int shards, String name, String value) {
        s.live.set(name, value);
        switch (name) {
            case "notify-keyspace-events" -> s.events().setFlags(Notifier.parse(value));
            case "maxmemory" -> s.databases().setMemoryLimit(MemoryLimit.perShard(Long.parseLong(value), shards));
            case "hz" -> s.expireHz(Integer.parseInt(value));
            case "proto-max-bulk-len" -> {
                for (KvConnection open : s.clients.all()) {
                    open.bulkLimit(Long.parseLong(value));
                }
            }
            default -> {
                if (EncodingLimits.bounds(name) != null) {
                    s.limits().set(name, Long.parseLong(value));
                }
            }
        }
    }

    /** CONFIG RESETSTAT: every shard's statistics start again, as Redis' resetServerStats. */
    private static Future<byte[]> resetStat(KvConnection c) {
        KvServer server = c.server;
        return EveryShard.call(c.shard(), () -> {
            KvShard s = server.shards().local();
            s.stats.reset();
            s.databases().resetLookupStats();
            s.commandsRun = 0;
            s.totalConnections = 0;
            s.rejectedCommands = 0;
            s.expiredKeys = 0;
            s.oomRejected = 0;
            s.rejectedConnections = 0;
            s.resetNetBytes();
            return null;
        }).map(done -> RespWriter.forReply(2).simple("OK").toByteArray());
    }

    private static final String[] HELP = {
        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        "HELP",
        "    Prints this help.",
    };

    private static Future<byte[]> help(KvConnection c) {
        RespWriter out = RespWriter.forReply(c.protocol);
        out.arrayHeader(HELP.length);
        for (String line : HELP) {
            out.simple(line);
        }
        return Future.succeeded(out.toByteArray());
    }

    private static String failed(String name, String why) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why;
    }
}
