package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import java.util.Arrays;

/**
 * The argument indexes of a request's keys, as Redis Cluster finds them to route a request: the command
 * table's first/last/step, and for the commands whose keys move with their arguments (Redis'
 * movablekeys: a numkeys count, STREAMS, SORT's STORE, the shard channels of SPUBLISH and SSUBSCRIBE)
 * the keys those arguments name. Stateless, any thread.
 *
 * <p>Arguments that do not parse give no keys, as Redis' key extraction gives none: the command then
 * runs and answers its own syntax error.
 */
final class ClusterKeys {
    private static final int[] NONE = {};

    private ClusterKeys() {
    }

    static int[] of(CommandSpec spec, Argv argv) {
        int argc = argv.count();
        return switch (spec.name()) {
            case "lmpop", "zmpop", "sintercard", "zintercard", "zunion", "zinter", "zdiff" -> counted(argv, 1, 2);
            case "blmpop", "bzmpop" -> counted(argv, 2, 3);
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro" -> counted(argv, 2, 3);
            case "zunionstore", "zinterstore", "zdiffstore" -> withDestination(counted(argv, 2, 3));
            case "xread", "xreadgroup" -> streams(argv);
            case "sort", "sort_ro" -> sort(argv);
            case "blpop", "brpop", "bzpopmin", "bzpopmax" -> range(1, argc - 2);
            case "blmove", "brpoplpush" -> argc >= 3 ? new int[] {1, 2} : NONE;
            case "spublish" -> argc >= 2 ? new int[] {1} : NONE;
            case "ssubscribe", "sunsubscribe" -> range(1, argc - 1);
            case "object" -> argc >= 3 ? new int[] {2} : NONE;
            default -> table(spec, argc);
        };
    }

    /**
     * Whether {@code spec}'s keys are all at its table positions, so a caller can walk them with
     * {@link #last} and the step instead of asking {@link #of} for an array (the hot path: GET, SET).
     */
    static boolean atTablePositions(CommandSpec spec) {
        return switch (spec.name()) {
            case "lmpop", "zmpop", "sintercard", "zintercard", "zunion", "zinter", "zdiff", "blmpop", "bzmpop", "eval",
                    "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "zunionstore", "zinterstore", "zdiffstore",
                    "xread", "xreadgroup", "sort", "sort_ro", "blpop", "brpop", "bzpopmin", "bzpopmax", "blmove",
                    "brpoplpush", "spublish", "ssubscribe", "sunsubscribe", "object" -> false;
            default -> true;
        };
    }

    /** The index of the last key at {@code spec}'s table positions in a request of {@code argc} arguments. */
    static int last(CommandSpec spec, int argc) {
        return spec.lastKey() < 0 ? argc + spec.lastKey() : Math.min(spec.lastKey(), argc - 1);
    }

    private static int[] table(CommandSpec spec, int argc) {
        if (spec.firstKey() <= 0 || argc <= spec.firstKey()) {
            return NONE;
        }
        int last = last(spec, argc);
        int step = Math.max(spec.keyStep(), 1);
        if (last < spec.firstKey()) {
            return NONE;
        }
        int[] keys = new int[(last - spec.firstKey()) / step + 1];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = spec.firstKey() + k * step;
        }
        return keys;
    }

    private static int[] range(int from, int to) {
        if (to < from) {
            return NONE;
        }
        int[] keys = new int[to - from + 1];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = from + k;
        }
        return keys;
    }

    /** {@code numkeys} at {@code countAt}, the keys from {@code firstKey}. */
    private static int[] counted(Argv argv, int countAt, int firstKey) {
        if (argv.count() <= countAt) {
            return NONE;
        }
        Long n = ConnectionCommands.parseLong(argv.bytes(countAt));
        if (n == null || n < 1 || n > argv.count() - firstKey) {
            return NONE;
        }
        return range(firstKey, firstKey + n.intValue() - 1);
    }

    /** The destination in argument 1 before the counted keys (ZUNIONSTORE and the like). */
    private static int[] withDestination(int[] sources) {
        if (sources.length == 0) {
            return NONE;
        }
        int[] keys = new int[sources.length + 1];
        keys[0] = 1;
        System.arraycopy(sources, 0, keys, 1, sources.length);
        return keys;
    }

    /** The stream keys: the first half of what follows STREAMS. */
    private static int[] streams(Argv argv) {
        for (int i = 1; i < argv.count(); i++) {
            if (ConnectionCommands.lower(argv.bytes(i)).equals("streams")) {
                int rest = argv.count() - i - 1;
                return rest > 0 && rest % 2 == 0 ? range(i + 1, i + rest / 2) : NONE;
            }
        }
        return NONE;
    }

    /** SORT's key, and the key it STOREs into. */
    private static int[] sort(Argv argv) {
        if (argv.count() < 2) {
            return NONE;
        }
        int[] keys = {1};
        for (int i = 2; i + 1 < argv.count(); i++) {
            if (ConnectionCommands.lower(argv.bytes(i)).equals("store")) {
                keys = Arrays.copyOf(keys, 2);
                keys[1] = i + 1;
            }
        }
        return keys;
    }
}
