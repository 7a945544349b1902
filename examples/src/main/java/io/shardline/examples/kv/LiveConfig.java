package io.shardline.examples.kv;

import java.util.HashMap;
import java.util.Map;

/**
 * One shard's copy of the CONFIG values, as CONFIG GET shows them, with the ones the shard reads on
 * its own paths kept typed (the idle timeout, the pub/sub output limits). CONFIG SET changes every
 * shard's copy through the mesh, so no shard reads another's. Owned by its shard: every method runs
 * on that shard's thread.
 */
final class LiveConfig {
    private final ConfigParams params;
    /** By canonical name. */
    private final Map<String, String> values = new HashMap<>();
    private OutputLimits outputLimits;
    private long timeoutSeconds;

    LiveConfig(ConfigParams params, KvConfig config) {
        this.params = params;
        for (ConfigParam p : params.names().values()) {
            values.put(p.name(), p.initial());
        }
        outputLimits = OutputLimits.defaults(config.pubsubLimits());
    }

    ConfigParams params() {
        return params;
    }

    /** The value of the parameter named canonically {@code name}. */
    String get(String name) {
        return values.get(name);
    }

    /** Sets a value {@link ConfigParam#check} (or {@link OutputLimits#with}) gave; the typed views follow. */
    void set(String name, String value) {
        values.put(name, value);
        switch (name) {
            case "timeout" -> timeoutSeconds = Long.parseLong(value);
            case "client-output-buffer-limit" -> outputLimits = outputLimits.with(value, new String[1]);
            default -> {
            }
        }
    }

    /** The idle time after which a client is closed (Redis' {@code timeout}); 0: never. */
    long timeoutSeconds() {
        return timeoutSeconds;
    }

    /** {@code client-output-buffer-limit}, every class. */
    OutputLimits outputLimits() {
        return outputLimits;
    }

    /** The limits a subscriber that does not read is held to now. */
    PubSubLimits pubsubLimits() {
        return outputLimits.pubsub();
    }
}
