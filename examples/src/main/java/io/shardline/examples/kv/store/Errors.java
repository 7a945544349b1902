package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import java.nio.charset.StandardCharsets;

/**
 * Redis 7's error lines, word for word (clients and tests match on them): the one place the server's
 * error texts live, for the data commands and the server side alike. Stateless, any thread.
 */
public final class Errors {
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OVERFLOW = "ERR increment or decrement would overflow";
    public static final String DECREMENT_OVERFLOW = "ERR decrement would overflow";
    public static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";
    public static final String MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
    public static final String HASH_NOT_INTEGER = "ERR hash value is not an integer";
    public static final String STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    public static final String ZADD_XX_NX = "ERR XX and NX options at the same time are not compatible";
    public static final String ZADD_GT_LT_NX = "ERR GT, LT, and/or NX options at the same time are not compatible";
    public static final String ZADD_INCR_PAIRS = "ERR INCR option supports a single increment-element pair";
    public static final String ZADD_NAN = "ERR resulting score is not a number (NaN)";
    public static final String EXPIRE_NX_CONFLICT = "ERR NX and XX, GT or LT options at the same time are not compatible";
    public static final String EXPIRE_GT_LT = "ERR GT and LT options at the same time are not compatible";
    public static final String RANGE_NOT_FLOAT = "ERR min or max is not a float";
    public static final String RANGE_NOT_LEX = "ERR min or max not valid string range item";
    public static final String LIMIT_NEEDS_BY = "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
    public static final String WITHSCORES_BYLEX = "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
    // strings, bitmaps and key moves (issue 17 points 1 and 2)
    public static final String OFFSET_RANGE = "ERR offset is out of range";
    public static final String BIT_OFFSET = "ERR bit offset is not an integer or out of range";
    public static final String BIT_VALUE = "ERR bit is not an integer or out of range";
    public static final String BITPOS_BIT = "ERR The bit argument must be 1 or 0.";
    public static final String BITOP_NOT = "ERR BITOP NOT must be called with a single source key.";
    public static final String BITFIELD_TYPE = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
    public static final String BITFIELD_RO = "ERR BITFIELD_RO only supports the GET subcommand";
    public static final String BITFIELD_OVERFLOW = "ERR Invalid OVERFLOW type specified";
    public static final String LCS_TYPES = "ERR The specified keys must contain string values";
    public static final String LCS_IDX_AND_LEN = "ERR If you want both the length and indexes, please just use IDX.";
    public static final String LCS_MEMORY = "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String SAME_OBJECT = "ERR source and destination objects are the same";
    // lists, hashes and sets
    public static final String INDEX_OUT_OF_RANGE = "ERR index out of range";
    public static final String NUMKEYS_POSITIVE = "ERR numkeys should be greater than 0";
    public static final String COUNT_POSITIVE = "ERR count should be greater than 0";
    public static final String RANK_ZERO = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            + "or use negative to start from the end of the list";
    public static final String COUNT_NEGATIVE = "ERR COUNT can't be negative";
    public static final String MAXLEN_NEGATIVE = "ERR MAXLEN can't be negative";
    public static final String HASH_NOT_FLOAT = "ERR hash value is not a float";
    public static final String NAN_OR_INFINITY_VALUE = "ERR value is NaN or Infinity";
    public static final String OUT_OF_RANGE = "ERR value is out of range";
    public static final String NUMKEYS_OVER_ARGS = "ERR Number of keys can't be greater than number of args";
    public static final String LIMIT_NEGATIVE = "ERR LIMIT can't be negative";
    public static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String NO_PASSWORD = "ERR AUTH <password> called without any password configured for the default user. "
            + "Are you sure your configuration is correct?";
    public static final String DB_RANGE = "ERR DB index is out of range";
    /** Redis' getIntFromObjectOrReply for a long outside int (SELECT, MOVE, COPY ... DB). */
    public static final String INT_RANGE = "ERR value is out of range, value must between -2147483648 and 2147483647";
    public static final String INVALID_CURSOR = "ERR invalid cursor";
    public static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
            + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
            + "protocol version at the same time";
    public static final String NOPROTO = "NOPROTO unsupported protocol version";

    private Errors() {
    }

    /** {@code ERR wrong number of arguments for '<name>' command}; {@code name} lowercase, as Redis reports it. */
    public static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    /** Redis' unknown-command error: the name, then up to about 128 bytes of its arguments, each quoted. */
    public static String unknownCommand(Argv argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.count() && args.length() < 128; i++) {
            String a = text(argv.bytes(i));
            int room = 128 - args.length();
            args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
        }
        String name = text(argv.bytes(0));
        return "ERR unknown command '" + name.substring(0, Math.min(name.length(), 128)) + "', with args beginning with: " + args;
    }

    /** {@code ERR unknown subcommand '<sub>'. Try <CMD> HELP.} */
    public static String unknownSubcommand(String command, byte[] sub) {
        return "ERR unknown subcommand '" + text(sub) + "'. Try " + command.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** Bytes as Redis prints them inside an error: one line, newlines replaced by spaces. */
    public static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ');
    }

    /** getRangeLongFromObjectOrReply's text for a number outside {@code [min, max]}. */
    public static String outOfRange(long min, long max) {
        return "ERR value is out of range, value must between " + min + " and " + max;
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
