package io.shardline.examples.kv;

import io.shardline.core.Future;
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
import java.util.Map;

/**
 * CONFIG GET (the parameters common clients and tools ask for, and the collection encoding
 * thresholds), CONFIG SET of those thresholds, and CONFIG RESETSTAT. Stateless; called on the
 * connection's shard.
 *
 * <p>A CONFIG SET checks every pair first and changes nothing if one is bad (as config.c does), then
 * applies the pairs on every shard over the mesh ({@link EveryShard}), each on its own thread, and
 * replies once all did. Two clients setting the same threshold at once from different shards may
 * leave shards disagreeing on it until the next CONFIG SET; Redis, single-threaded, cannot.
 */
final class ConfigCommand {
    /** The keyspace-notification classes, a flag string (see {@link Notifier#parse}). */
    private static final String NOTIFY = "notify-keyspace-events";

    private ConfigCommand() {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        RespWriter out = RespWriter.forReply(c.protocol);
        switch (sub) {
            case "get" -> {
                if (argv.count() < 3) {
                    return Dispatcher.error(Errors.wrongArity("config|get"));
                }
                Map<String, String> params = parameters(c.server.config(), c.server.shards().local().limits());
                params.put(NOTIFY, Notifier.render(c.server.shards().local().events().flags()));
                Map<String, String> found = new LinkedHashMap<>();
                for (int i = 2; i < argv.count(); i++) {
                    byte[] pattern = ConnectionCommands.lower(argv.bytes(i)).getBytes(StandardCharsets.UTF_8);
                    for (var e : params.entrySet()) {
                        if (Glob.matches(pattern, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                            found.put(e.getKey(), e.getValue());
                        }
                    }
                }
                out.mapHeader(found.size());
                for (var e : found.entrySet()) {
                    out.bulk(e.getKey());
                    out.bulk(e.getValue());
                }
                return Future.succeeded(out.toByteArray());
            }
            case "resetstat" -> {
                return Future.succeeded(out.simple("OK").toByteArray());
            }
            case "set" -> {
                return set(c, argv);
            }
            default -> {
                return Dispatcher.error(Errors.unknownSubcommand("config", argv.bytes(1)));
            }
        }
    }

    private static Future<byte[]> set(KvConnection c, Argv argv) {
        if (argv.count() < 4) {
            return Dispatcher.error(Errors.wrongArity("config|set"));
        }
        if (argv.count() % 2 != 0) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        Map<String, String> known = parameters(c.server.config(), c.server.shards().local().limits());
        List<String> names = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (int i = 2; i < argv.count(); i += 2) { // names first, as config.c: unknown or repeated fails before any value
            String name = ConnectionCommands.lower(argv.bytes(i));
            if (name.equals("databases")) { // immutable in Redis: set only at startup (--databases)
                return Dispatcher.error(failed(argv.string(i), "can't set immutable config"));
            }
            if (EncodingLimits.bounds(name) == null && !name.equals(NOTIFY)) {
                return Dispatcher.error(known.containsKey(name)
                        ? "ERR CONFIG SET is not supported by this server; restart it with the option instead"
                        : "ERR Unknown option or number of arguments for CONFIG SET - '" + argv.string(i) + "'");
            }
            if (names.contains(name)) {
                return Dispatcher.error(failed(argv.string(i), "duplicate parameter"));
            }
            names.add(name);
        }
        for (int i = 2; i < argv.count(); i += 2) {
            String name = names.get(i / 2 - 1);
            if (name.equals(NOTIFY)) { // a flag string, not a number: Notifier parses it
                int flags = Notifier.parse(new String(argv.bytes(i + 1), StandardCharsets.ISO_8859_1));
                if (flags < 0) {
                    return Dispatcher.error(failed(name, "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
                }
                values.add((long) flags);
                continue;
            }
            long[] bounds = EncodingLimits.bounds(name);
            String text = new String(argv.bytes(i + 1), StandardCharsets.UTF_8);
            boolean memory = name.endsWith("-value");
            Long v = memory ? ConfigValues.memory(text) : ConfigValues.integer(text);
            if (v == null) {
                return Dispatcher.error(failed(name, memory ? "argument must be a memory value"
                        : "argument couldn't be parsed into an integer"));
            }
            if (v < bounds[0] || v > bounds[1]) {
                return Dispatcher.error(failed(name, "argument must be between " + bounds[0] + " and " + bounds[1] + " inclusive"));
            }
            values.add(v);
        }
        KvServer server = c.server;
        return EveryShard.call(c.shard(), () -> {
            EncodingLimits limits = server.shards().local().limits();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equals(NOTIFY)) {
                    server.shards().local().events().setFlags(values.get(i).intValue());
                    continue;
                }
                limits.set(names.get(i), values.get(i));
            }
            return null;
        }).map(done -> RespWriter.forReply(2).simple("OK").toByteArray());
    }

    private static String failed(String name, String why) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why;
    }

    static Map<String, String> parameters(KvConfig config, EncodingLimits limits) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bind", config.address().getAddress().getHostAddress());
        p.put("port", Integer.toString(config.address().getPort()));
        p.put("databases", Integer.toString(config.databases()));
        p.put("save", "");
        p.put("appendonly", config.dataDir() == null ? "no" : "yes");
        p.put("appendfsync", config.fsyncName());
        p.put("dir", config.dataDir() == null ? "" : config.dataDir().toAbsolutePath().toString());
        p.put("maxmemory", Long.toString(config.maxMemory()));
        p.put("maxmemory-policy", "noeviction");
        p.put("proto-max-bulk-len", Long.toString(config.maxBulkBytes()));
        p.put("timeout", "0");
        p.put("tcp-keepalive", "300");
        p.put("maxclients", "10000");
        p.put("cluster-enabled", "no");
        p.put("io-threads", Integer.toString(config.shards()));
        for (String name : EncodingLimits.NAMES) {
            p.put(name, Integer.toString(limits.get(name)));
        }
        return p;
    }
}
