package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.nio.charset.StandardCharsets;

/** Small helpers for reading command arguments and building journal entries. Stateless. */
final class Args {
    private Args() {
    }

    /** Whether {@code arg} is the lowercase ASCII {@code word} in any letter case (strcasecmp). */
    static boolean is(byte[] arg, String word) {
        if (arg.length != word.length()) {
            return false;
        }
        for (int i = 0; i < arg.length; i++) {
            if (NameIndex.lower(arg[i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A count by {@code getPositiveLongFromObjectOrReply} with Redis' default message, which it also
     * gives for a non-integer: the value, or -1 after replying the error.
     */
    static long countOrReply(Argv argv, int i, ReplySink out) {
        if (!Numbers.isLong(argv, i) || Numbers.toLong(argv, i) < 0) {
            out.error(Errors.MUST_BE_POSITIVE);
            return -1;
        }
        return Numbers.toLong(argv, i);
    }

    static long countOrReply(byte[] arg, ReplySink out) {
        if (!Numbers.isLong(arg) || Numbers.toLong(arg) < 0) {
            out.error(Errors.MUST_BE_POSITIVE);
            return -1;
        }
        return Numbers.toLong(arg);
    }

    /**
     * The most picks a negative SRANDMEMBER / HRANDFIELD count may ask for. Redis takes any count up to
     * LONG_MAX and streams the reply; this server builds a reply whole before sending it, so a count
     * such as -2147483648 would exhaust the shard's memory: above this, the count is refused with
     * Redis' out-of-range text instead. 2^24 picks is a reply of several hundred MiB already.
     */
    static final long MAX_RANDOM_PICKS = 1L << 24;

    /** HRANDFIELD's and ZRANDMEMBER's {@code count [WITHVALUES | WITHSCORES]}: the count, and whether the word came. */
    record RandomCount(long count, boolean with) {
    }

    /**
     * Reads {@code count [<with>]} from argument 2 as Redis checks it (an integer, not LONG_MIN, with
     * the word halving the range, negatives bounded by {@link #MAX_RANDOM_PICKS}): the result, or null
     * after replying the error.
     */
    static RandomCount randomCount(Argv argv, String with, ReplySink out) {
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return null;
        }
        long count = Numbers.toLong(argv, 2);
        if (count == Long.MIN_VALUE) {
            out.error(Errors.outOfRange(-Long.MAX_VALUE, Long.MAX_VALUE));
            return null;
        }
        if (argv.count() > 4 || (argv.count() == 4 && !argv.equalsIgnoreCase(3, with))) {
            out.error(Errors.SYNTAX);
            return null;
        }
        boolean withWord = argv.count() == 4;
        if ((withWord && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) || count < -MAX_RANDOM_PICKS) {
            out.error(Errors.OUT_OF_RANGE);
            return null;
        }
        return new RandomCount(count, withWord);
    }

    static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code name key} followed by {@code members}, for SREM / ZREM / DEL entries. */
    static byte[][] withKey(byte[] name, byte[] key, byte[][] members, int count) {
        byte[][] argv = new byte[2 + count][];
        argv[0] = name;
        argv[1] = key;
        System.arraycopy(members, 0, argv, 2, count);
        return argv;
    }
}
