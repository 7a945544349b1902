package io.shardline.examples.router;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads {@code router.yaml} into {@link RouterSettings}; stateless, any thread. Unknown keys are errors,
 * so a typo never silently falls back to a default.
 *
 * <pre>{@code
 * listen: 127.0.0.1:8080
 * shards: 4
 * balance: round-robin            # the default for routes that name none
 * access_log: /var/log/shardline/access.log
 * timeouts: { connect: 5s, response: 60s, pool_idle: 60s }
 * pool: { max_idle: 32 }          # per upstream, per shard
 * health: { max_fails: 3, fail_timeout: 10s, interval: 5s, path: /health }
 * routes:
 *   - host: api.example.com       # optional: any host when absent
 *     prefix: /
 *     balance: hash:header:X-User
 *     upstreams: [127.0.0.1:9001, 127.0.0.1:9002]
 *   - prefix: /
 *     upstreams: [127.0.0.1:9000]
 * }</pre>
 */
public final class ConfigFile {
    private static final Set<String> TOP = Set.of("listen", "shards", "balance", "access_log", "timeouts", "pool",
            "health", "routes");

    private ConfigFile() {
    }

    /** The settings {@code file} gives; an {@link IllegalArgumentException} names what is wrong with it. */
    public static RouterSettings read(Path file) {
        Object doc;
        try (Reader r = Files.newBufferedReader(file)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage());
        } catch (YAMLException e) {
            throw new IllegalArgumentException("config " + file + " is not valid YAML: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("config " + file + " must be a YAML mapping");
        }
        RouterSettings s = new RouterSettings();
        keys(top, TOP, "the config file");
        s.listen = string(top, "listen");
        s.shards = integer(top, "shards");
        s.balance = string(top, "balance");
        String log = string(top, "access_log");
        s.accessLog = log == null ? null : Path.of(log);
        Map<?, ?> t = map(top, "timeouts");
        keys(t, Set.of("connect", "response", "pool_idle"), "timeouts");
        s.connectTimeout = duration(t, "connect");
        s.responseTimeout = duration(t, "response");
        s.poolIdleTimeout = duration(t, "pool_idle");
        Map<?, ?> pool = map(top, "pool");
        keys(pool, Set.of("max_idle"), "pool");
        s.maxIdle = integer(pool, "max_idle");
        Map<?, ?> h = map(top, "health");
        keys(h, Set.of("max_fails", "fail_timeout", "interval", "path"), "health");
        s.maxFails = integer(h, "max_fails");
        s.failTimeout = duration(h, "fail_timeout");
        s.healthInterval = duration(h, "interval");
        s.healthPath = string(h, "path");
        Object routes = top.get("routes");
        if (routes != null) {
            if (!(routes instanceof List<?> list)) {
                throw new IllegalArgumentException("routes must be a list");
            }
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> r)) {
                    throw new IllegalArgumentException("each route must be a mapping with prefix and upstreams");
                }
                keys(r, Set.of("host", "prefix", "upstreams", "balance"), "a route");
                String prefix = string(r, "prefix");
                Object ups = r.get("upstreams");
                List<String> names;
                if (ups instanceof List<?> l && !l.isEmpty()) {
                    names = l.stream().map(String::valueOf).toList();
                } else if (ups instanceof String one) {
                    names = List.of(one.split(","));
                } else {
                    throw new IllegalArgumentException("route " + prefix + " needs upstreams: a list of host:port");
                }
                s.routes.add(new RouterSettings.Route(string(r, "host"), prefix == null ? "/" : prefix, names,
                        string(r, "balance")));
            }
        }
        return s;
    }

    private static void keys(Map<?, ?> m, Set<String> allowed, String where) {
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw new IllegalArgumentException("unknown key '" + k + "' in " + where + "; known: "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private static Map<?, ?> map(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map<?, ?> mm) {
            return mm;
        }
        throw new IllegalArgumentException(key + " must be a mapping");
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof List) {
            throw new IllegalArgumentException(key + " must be a single value");
        }
        return String.valueOf(v);
    }

    private static Integer integer(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'");
    }

    private static Duration duration(Map<?, ?> m, String key) {
        String v = string(m, key);
        return v == null ? null : Durations.parse(v);
    }
}
