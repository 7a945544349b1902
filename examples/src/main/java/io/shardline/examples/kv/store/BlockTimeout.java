package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.math.BigInteger;

/**
 * The timeout argument of BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP,
 * read as Redis' getTimeoutFromObjectOrReply reads seconds: a long double (strtold's syntax), times
 * 1000, rounded up to whole milliseconds, 0 meaning forever. Stateless, any thread.
 */
public final class BlockTimeout {
    public static final String NOT_FLOAT = "ERR timeout is not a float or out of range";
    public static final String NEGATIVE = "ERR timeout is negative";
    public static final String OUT_OF_RANGE = "ERR timeout is out of range";
    private static final BigInteger LLONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private BlockTimeout() {
    }

    /**
     * The wait {@code arg} asks for in milliseconds (0: forever), given the time {@code nowMillis} the
     * deadline is counted from; -1 after replying Redis' error to {@code out}.
     */
    public static long parseSeconds(byte[] arg, long nowMillis, ReplySink out) {
        LongDouble v = LongDouble.parse(arg);
        if (v == null) {
            out.error(NOT_FLOAT);
            return -1;
        }
        BigInteger millis = v.ceilTimes(1000);
        if (millis.compareTo(LLONG_MAX) > 0) {
            out.error(OUT_OF_RANGE);
            return -1;
        }
        long t = millis.signum() < 0 ? -1 : millis.longValue();
        if (t < 0) {
            out.error(NEGATIVE);
            return -1;
        }
        if (t > 0 && t > Long.MAX_VALUE - nowMillis) {
            out.error(OUT_OF_RANGE); // the deadline, now + t, would overflow
            return -1;
        }
        return t;
    }
}
