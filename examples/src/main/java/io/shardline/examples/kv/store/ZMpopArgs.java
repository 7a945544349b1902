package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * ZMPOP's arguments after its name, {@code numkeys key... MIN|MAX [COUNT count]}, checked in Redis'
 * order with its error texts. Immutable, any thread: the connection's shard reads the keys from it to
 * route the command, the keys' shard to run it.
 *
 * @param keys how many keys, from argument 2
 * @param max whether it pops the highest scores
 * @param count how many members at most (1 without COUNT)
 */
public record ZMpopArgs(int keys, boolean max, long count) {
    /** The arguments, or null after replying Redis' error to {@code out}. */
    public static ZMpopArgs parse(Argv argv, ReplySink out) {
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
        boolean max = argv.equalsIgnoreCase(where, "max");
        if (!max && !argv.equalsIgnoreCase(where, "min")) {
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
        return new ZMpopArgs((int) keys, max, count == -1 ? 1 : count);
    }
}
