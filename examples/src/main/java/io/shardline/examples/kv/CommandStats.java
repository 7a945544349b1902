package io.shardline.examples.kv;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One shard's INFO commandstats and errorstats: per command (subcommands as "client|list") its calls,
 * microseconds, rejected and failed calls, and per error prefix ("ERR", "WRONGTYPE") its count, for
 * the requests of the connections living on this shard. INFO sums every shard's on demand; CONFIG
 * RESETSTAT clears each. Owned by its shard: every method runs on that shard's thread.
 *
 * <p>A plain command's counters are found by identity of its table entry, so counting one allocates
 * nothing after its first call; a subcommand's name is built per call (CLIENT, CONFIG... are not hot).
 */
final class CommandStats {
    /** calls, usec, rejected_calls, failed_calls. */
    private final IdentityHashMap<CommandSpec, long[]> plain = new IdentityHashMap<>();
    private final HashMap<String, long[]> subcommands = new HashMap<>();
    private final HashMap<String, long[]> errors = new HashMap<>();
    private long errorReplies;
    /** Every call counted, never reset: the running total {@link InstantMetrics} samples. */
    private long calls;

    /** The commands whose first argument names a subcommand in Redis' command table. */
    static boolean container(CommandSpec spec) {
        return switch (spec.name()) {
            case "client", "config", "object", "command", "pubsub", "xgroup", "xinfo", "cluster", "memory", "acl",
                    "function", "script", "latency", "slowlog", "module" -> true;
            default -> false;
        };
    }

    /** The counters of {@code spec} as {@code sub} (its subcommand in lower case, or null) names it. */
    long[] of(CommandSpec spec, String sub) {
        if (sub == null) {
            return plain.computeIfAbsent(spec, s -> new long[4]);
        }
        return subcommands.computeIfAbsent(spec.name() + "|" + sub, s -> new long[4]);
    }

    void called(long[] counters, long nanos) {
        calls++;
        counters[0]++;
        counters[1] += nanos / 1000;
    }

    void rejected(long[] counters) {
        counters[2]++;
    }

    void failed(long[] counters) {
        counters[3]++;
    }

    /** An error reply whose text starts at {@code at} in {@code reply} (after the '-'): counted by its first word. */
    void error(byte[] reply, int at, int end) {
        int i = at;
        while (i < end && reply[i] != ' ' && reply[i] != '\r') {
            i++;
        }
        String prefix = new String(reply, at, i - at, java.nio.charset.StandardCharsets.ISO_8859_1);
        errors.computeIfAbsent(prefix, p -> new long[1])[0]++;
        errorReplies++;
    }

    /** The reply written at {@code mark} of {@code out}, if it is an error, counted by its prefix. */
    void errorIfAny(io.shardline.examples.kv.resp.RespWriter out, int mark, long[] counters) {
        if (out.size() <= mark || out.byteAt(mark) != '-') {
            return;
        }
        int end = Math.min(out.size(), mark + 1 + 64);
        byte[] head = new byte[end - mark];
        for (int i = 0; i < head.length; i++) {
            head[i] = out.byteAt(mark + i);
        }
        error(head, 1, head.length);
        if (counters != null) {
            failed(counters);
        }
    }

    /** Like {@link #errorIfAny(io.shardline.examples.kv.resp.RespWriter, int, long[])}, for a reply as bytes. */
    void errorIfAny(byte[] reply, long[] counters) {
        if (reply != null && reply.length > 0 && reply[0] == '-') {
            error(reply, 1, reply.length);
            if (counters != null) {
                failed(counters);
            }
        }
    }

    long calls() {
        return calls;
    }

    long errorReplies() {
        return errorReplies;
    }

    /**
     * CONFIG RESETSTAT: every count back to zero. The arrays are kept, not dropped: the command running
     * now (RESETSTAT itself) already holds its own and counts itself in it afterwards, as in Redis.
     */
    void reset() {
        plain.values().forEach(c -> java.util.Arrays.fill(c, 0));
        subcommands.values().forEach(c -> java.util.Arrays.fill(c, 0));
        errors.values().forEach(c -> c[0] = 0);
        errorReplies = 0;
    }

    /** A copy for INFO, which crosses to the asking shard: name to {calls, usec, rejected, failed}. */
    Map<String, long[]> commands() {
        Map<String, long[]> out = new TreeMap<>();
        plain.forEach((spec, c) -> out.put(spec.name(), c.clone()));
        subcommands.forEach((name, c) -> out.put(name, c.clone()));
        return out;
    }

    /** One command's calls and time as the metrics exporter copies them; immutable. */
    record Entry(String command, long calls, long nanos) {
    }

    /** A copy of every command's calls and time (microseconds, as INFO keeps them), for another thread. */
    java.util.List<Entry> copy() {
        java.util.List<Entry> out = new java.util.ArrayList<>();
        commands().forEach((name, c) -> out.add(new Entry(name, c[0], c[1] * 1000)));
        return out;
    }

    /** A copy for INFO: error prefix to count. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((p, c) -> {
            if (c[0] > 0) {
                out.put(p, c[0]);
            }
        });
        return out;
    }
}
