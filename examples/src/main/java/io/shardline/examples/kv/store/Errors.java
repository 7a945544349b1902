package io.shardline.examples.kv.store;

import java.nio.charset.StandardCharsets;

/** Redis 7's error lines, word for word (clients and tests match on them). Stateless. */
final class Errors {
    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    static final String SYNTAX = "ERR syntax error";
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String NOT_FLOAT = "ERR value is not a valid float";
    static final String OVERFLOW = "ERR increment or decrement would overflow";
    static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    static final String HASH_NOT_INTEGER = "ERR hash value is not an integer";
    static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    static final String ZADD_XX_NX = "ERR XX and NX options at the same time are not compatible";
    static final String ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    static final String ZADD_INCR_PAIRS = "ERR INCR option supports a single increment-element pair";
    static final String ZADD_NAN = "ERR resulting score is not a number (NaN)";
    static final String EXPIRE_NX_CONFLICT = "ERR NX and XX, GT or LT options at the same time are not compatible";
    static final String EXPIRE_GT_LT = "ERR GT and LT options at the same time are not compatible";
    static final String RANGE_NOT_FLOAT = "ERR min or max is not a float";
    static final String RANGE_NOT_LEX = "ERR min or max not valid string range item";
    static final String LIMIT_NEEDS_BY = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    static final String WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";

    private Errors() {
    }

    /** {@code name} is the lowercase command name, as Redis reports it. */
    static String arity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    static String invalidExpire(String name) {
        return "ERR invalid expire time in '" + name + "' command";
    }

    /** EXPIRE's unknown option, echoed as Redis' %s does (up to a NUL; line breaks become spaces). */
    static String unsupportedOption(byte[] option) {
        int n = 0;
        while (n < option.length && option[n] != 0) {
            n++;
        }
        String text = new String(option, 0, n, StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ');
        return "ERR Unsupported option " + text;
    }
}
