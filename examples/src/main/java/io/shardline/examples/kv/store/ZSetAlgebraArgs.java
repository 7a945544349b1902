package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.Arrays;

/**
 * The arguments of ZUNION, ZINTER, ZDIFF, their STOREs and ZINTERCARD, checked in two steps as
 * t_zset.c's zunionInterDiffGenericCommand checks them: the key count before the keys are read, the
 * options (WEIGHTS, AGGREGATE, WITHSCORES, LIMIT) after, so a wrong-typed key wins over a bad option.
 * Immutable, any thread: the connection's shard uses it to route and combine gathered inputs.
 *
 * @param op which combination
 * @param weights one per key
 * @param aggregate {@link #SUM}, {@link #MIN} or {@link #MAX}
 * @param withScores whether the reply carries scores
 * @param limit ZINTERCARD's LIMIT, 0 for none
 */
public record ZSetAlgebraArgs(ZSetAlgebraArgs.Op op, double[] weights, int aggregate, boolean withScores, long limit) {
    /** Which combination; CARD is ZINTERCARD's counted intersection. */
    public enum Op { UNION, INTER, DIFF, CARD }

    public static final int SUM = 0;
    public static final int MIN = 1;
    public static final int MAX = 2;

    /**
     * The key count at {@code at} (keys follow it), or -1 after replying Redis' error; {@code name} is
     * the command's name as its error text spells it.
     */
    public static int keyCount(Argv argv, int at, String name, ReplySink out) {
        if (!Numbers.isLong(argv, at)) {
            out.error(Errors.NOT_INTEGER);
            return -1;
        }
        long n = Numbers.toLong(argv, at);
        if (n < 1) {
            out.error("ERR at least 1 input key is needed for '" + name + "' command");
            return -1;
        }
        if (n > argv.count() - (at + 1)) {
            out.error(Errors.SYNTAX);
            return -1;
        }
        return (int) n;
    }

    /** The options after the {@code keys} keys that follow argument {@code at}, or null after replying the error. */
    public static ZSetAlgebraArgs options(Argv argv, int at, int keys, Op op, boolean store, ReplySink out) {
        double[] weights = new double[keys];
        Arrays.fill(weights, 1.0);
        int aggregate = SUM;
        boolean withScores = false;
        long limit = 0;
        boolean card = op == Op.CARD;
        int j = at + 1 + keys;
        while (j < argv.count()) {
            int remaining = argv.count() - j;
            if (op != Op.DIFF && !card && remaining >= keys + 1 && argv.equalsIgnoreCase(j, "weights")) {
                j++;
                for (int i = 0; i < keys; i++, j++) {
                    weights[i] = Numbers.toDouble(argv, j);
                    if (Double.isNaN(weights[i])) {
                        out.error("ERR weight value is not a float");
                        return null;
                    }
                }
            } else if (op != Op.DIFF && !card && remaining >= 2 && argv.equalsIgnoreCase(j, "aggregate")) {
                if (argv.equalsIgnoreCase(j + 1, "sum")) {
                    aggregate = SUM;
                } else if (argv.equalsIgnoreCase(j + 1, "min")) {
                    aggregate = MIN;
                } else if (argv.equalsIgnoreCase(j + 1, "max")) {
                    aggregate = MAX;
                } else {
                    out.error(Errors.SYNTAX);
                    return null;
                }
                j += 2;
            } else if (!store && !card && argv.equalsIgnoreCase(j, "withscores")) {
                withScores = true;
                j++;
            } else if (card && remaining >= 2 && argv.equalsIgnoreCase(j, "limit")) {
                if (!Numbers.isLong(argv, j + 1) || (limit = Numbers.toLong(argv, j + 1)) < 0) {
                    out.error(Errors.LIMIT_NEGATIVE);
                    return null;
                }
                j += 2;
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        return new ZSetAlgebraArgs(op, weights, aggregate, withScores, limit);
    }
}
