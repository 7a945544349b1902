package io.shardline.examples.kv;

import java.util.Locale;

/**
 * Redis' {@code client-output-buffer-limit}: a hard limit, a soft limit and its seconds for each class
 * of client (normal, replica, pubsub). Only the pubsub class has clients here; the others are kept so
 * CONFIG GET shows what was set. Immutable, any thread.
 */
record OutputLimits(PubSubLimits normal, PubSubLimits replica, PubSubLimits pubsub) {
    /** Redis' defaults: {@code normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60}. */
    static OutputLimits defaults(PubSubLimits pubsub) {
        return new OutputLimits(new PubSubLimits(0, 0, 0), new PubSubLimits(256L << 20, 64L << 20, 60), pubsub);
    }

    /** As CONFIG GET shows it (bytes, "slave" for the replica class). */
    String render() {
        return "normal " + text(normal) + " slave " + text(replica) + " pubsub " + text(pubsub);
    }

    private static String text(PubSubLimits l) {
        return l.hardBytes() + " " + l.softBytes() + " " + l.softSeconds();
    }

    /**
     * These limits with the classes {@code spec} names ("class hard soft seconds ...") replaced, as
     * config.c's setConfigClientOutputBufferLimitOption; Redis' error text in {@code error[0]} otherwise.
     */
    OutputLimits with(String spec, String[] error) {
        String[] t = spec.trim().isEmpty() ? new String[0] : spec.trim().split("\\s+");
        if (t.length % 4 != 0) {
            error[0] = "Wrong number of arguments in buffer limit configuration.";
            return null;
        }
        OutputLimits out = this;
        for (int i = 0; i < t.length; i += 4) {
            String cls = t[i].toLowerCase(Locale.ROOT);
            if (!cls.equals("normal") && !cls.equals("slave") && !cls.equals("replica") && !cls.equals("pubsub")) {
                error[0] = "Invalid client class specified in buffer limit configuration.";
                return null;
            }
            Long hard = ConfigValues.memory(t[i + 1]);
            Long soft = ConfigValues.memory(t[i + 2]);
            Long seconds = ConfigValues.lenient(t[i + 3]);
            if (hard == null || soft == null || seconds == null || hard < 0 || soft < 0 || seconds < 0) {
                error[0] = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
                return null;
            }
            PubSubLimits l = new PubSubLimits(hard, soft, seconds);
            out = switch (cls) {
                case "normal" -> new OutputLimits(l, out.replica, out.pubsub);
                case "pubsub" -> new OutputLimits(out.normal, out.replica, l);
                default -> new OutputLimits(out.normal, l, out.pubsub);
            };
        }
        return out;
    }
}
