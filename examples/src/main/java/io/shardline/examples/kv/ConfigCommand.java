package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.Glob;
import java.util.LinkedHashMap;
import java.util.Map;

/** CONFIG GET (the parameters common clients and tools ask for) and CONFIG RESETSTAT. Stateless. */
final class ConfigCommand {
    private ConfigCommand() {
    }

    static void run(KvConfig config, Argv argv, RespWriter out) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        switch (sub) {
            case "get" -> {
                if (argv.count() < 3) {
                    out.error("ERR wrong number of arguments for 'config|get' command");
                    return;
                }
                Map<String, String> params = parameters(config);
                Map<String, String> found = new LinkedHashMap<>();
                for (int i = 2; i < argv.count(); i++) {
                    byte[] pattern = ConnectionCommands.lower(argv.bytes(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    for (var e : params.entrySet()) {
                        if (Glob.matches(pattern, e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
                            found.put(e.getKey(), e.getValue());
                        }
                    }
                }
                out.mapHeader(found.size());
                for (var e : found.entrySet()) {
                    out.bulk(e.getKey());
                    out.bulk(e.getValue());
                }
            }
            case "resetstat" -> out.simple("OK");
            case "set" -> out.error("ERR CONFIG SET is not supported by this server; restart it with the option instead");
            default -> out.error(Errors.unknownSubcommand("config", argv.bytes(1)));
        }
    }

    static Map<String, String> parameters(KvConfig config) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bind", config.address().getAddress().getHostAddress());
        p.put("port", Integer.toString(config.address().getPort()));
        p.put("databases", "1");
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
        return p;
    }
}
