package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * LMPOP's arguments after its name, {@code numkeys key... LEFT|RIGHT [COUNT count]}, checked in Redis'
 * order with its error texts. Immutable, any thread: the connection's shard reads the keys from it to
 * route the command, the key's shard to run it.
 *
 * @param keys how many keys, from argument 2
 * @param left whether it pops from the head
 * @param count how many elements at most (1 without COUNT)
 */
public record MpopArgs(int keys, boolean left, long count) {
    /** The arguments, or null after replying Redis' error to {@code out}. */
    public static MpopArgs parse(Argv argv, ReplySink out) {
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
        int side = ListCommands.side(argv.bytes(where));
        if (side < 0) {
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
        return new MpopArgs((int) keys, side == 0, count == -1 ? 1 : count);
    }
}
