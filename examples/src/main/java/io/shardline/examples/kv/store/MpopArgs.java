package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * The arguments after the name of LMPOP ({@code numkeys key... LEFT|RIGHT [COUNT count]}) and ZMPOP
 * ({@code numkeys key... MIN|MAX [COUNT count]}), checked in Redis' order: the connection's shard
 * parses them to route the command, the keys' shard to run it.
 *
 * @param keys how many keys follow numkeys
 * @param first whether the first of the two side words was given: LEFT (pop from the head) or MIN
 * @param count how many elements at most (1 without COUNT)
 */
public record MpopArgs(int keys, boolean first, long count) {
    /** LMPOP's arguments, or null after replying Redis' error to {@code out}. */
    public static MpopArgs parse(Argv argv, ReplySink out) {
        return parse(argv, "left", "right", out);
    }

    /** ZMPOP's arguments: {@link #first} is MIN. */
    public static MpopArgs parseZ(Argv argv, ReplySink out) {
        return parse(argv, "min", "max", out);
    }

    private static MpopArgs parse(Argv argv, String firstSide, String secondSide, ReplySink out) {
        long keys = Numbers.isLong(argv, 1) ? Numbers.toLong(argv, 1) : 0;
        if (keys <= 0) {
            out.error(Errors.NUMKEYS_POSITIVE);
            return null;
        }
        if (keys >= argv.count() - 2) {
            out.error(Errors.SYNTAX);
            return null;
        }
        int where = (int) keys + 2;
        boolean first = argv.equalsIgnoreCase(where, firstSide);
        if (!first && !argv.equalsIgnoreCase(where, secondSide)) {
            out.error(Errors.SYNTAX);
            return null;
        }
        long count = -1;
        for (int j = where + 1; j < argv.count(); j++) {
            if (count == -1 && argv.equalsIgnoreCase(j, "count") && j + 1 < argv.count()) {
                j++;
                count = Numbers.isLong(argv, j) ? Numbers.toLong(argv, j) : 0;
                if (count <= 0) {
                    out.error(Errors.COUNT_POSITIVE);
                    return null;
                }
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        return new MpopArgs((int) keys, first, count == -1 ? 1 : count);
    }
}
