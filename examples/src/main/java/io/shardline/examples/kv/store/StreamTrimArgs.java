package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/**
 * The options XADD and XTRIM share (streamParseAddOrTrimArgsOrReply): MAXLEN or MINID with {@code =}
 * or {@code ~}, LIMIT, and for XADD NOMKSTREAM and the id. Built by {@link #parse}; owned by the
 * running command.
 */
final class StreamTrimArgs {
    static final int NONE = 0;
    static final int MAXLEN = 1;
    static final int MINID = 2;
    /** What an approximate trim may remove without LIMIT: 100 nodes' worth. */
    static final long DEFAULT_LIMIT = 100L * StreamNode.MAX_ENTRIES;

    int strategy = NONE;
    boolean approx;
    long limit;
    long maxLen;
    StreamId minId;
    boolean noMkStream;
    /** XADD: the id given, null for {@code *}; with {@link #seqGiven} false for {@code <ms>-*}. */
    StreamId id;
    final StreamId.SeqGiven seqGiven = new StreamId.SeqGiven();
    /** Where the id is (XADD): the fields follow it. */
    int idIndex;

    /**
     * Parses from argv[2]; null after replying the error. While loading (journal replay) LIMIT is
     * ignored, as Redis ignores it for commands from its AOF: the logged form trims exactly.
     */
    static StreamTrimArgs parse(byte[][] argv, boolean xadd, boolean loading, ReplySink out) {
        StreamTrimArgs a = new StreamTrimArgs();
        boolean limitGiven = false;
        int i = 2;
        for (; i < argv.length; i++) {
            int more = argv.length - 1 - i;
            byte[] opt = argv[i];
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if ((Args.is(opt, "maxlen") || Args.is(opt, "minid")) && more > 0) {
                boolean byLen = Args.is(opt, "maxlen");
                if (a.strategy != NONE) {
                    out.error("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
                    return null;
                }
                a.approx = false;
                byte[] next = argv[i + 1];
                if (more >= 2 && next.length == 1 && (next[0] == '~' || next[0] == '=')) {
                    a.approx = next[0] == '~';
                    i++;
                }
                if (byLen) {
                    if (!Numbers.isLong(argv[i + 1])) {
                        out.error(Errors.NOT_INTEGER);
                        return null;
                    }
                    a.maxLen = Numbers.toLong(argv[i + 1]);
                    if (a.maxLen < 0) {
                        out.error("ERR The MAXLEN argument must be >= 0.");
                        return null;
                    }
                } else {
                    a.minId = StreamId.parseStrict(argv[i + 1], 0, null, out);
                    if (a.minId == null) {
                        return null;
                    }
                }
                i++;
                a.strategy = byLen ? MAXLEN : MINID;
            } else if (Args.is(opt, "limit") && more > 0) {
                if (!Numbers.isLong(argv[i + 1])) {
                    out.error(Errors.NOT_INTEGER);
                    return null;
                }
                a.limit = Numbers.toLong(argv[i + 1]);
                if (a.limit < 0) {
                    out.error("ERR The LIMIT argument must be >= 0.");
                    return null;
                }
                limitGiven = true;
                i++;
            } else if (xadd && Args.is(opt, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                a.id = StreamId.parseStrict(opt, 0, a.seqGiven, out);
                if (a.id == null) {
                    return null;
                }
                break;
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        a.idIndex = i;
        if (a.limit != 0 && a.strategy == NONE) {
            out.error("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
            return null;
        }
        if (!xadd && a.strategy == NONE) {
            out.error("ERR syntax error, XTRIM must be called with a trimming strategy");
            return null;
        }
        if (loading) {
            a.limit = 0;
        } else if (limitGiven) {
            if (!a.approx) {
                out.error("ERR syntax error, LIMIT cannot be used without the special ~ option");
                return null;
            }
        } else {
            a.limit = a.approx ? DEFAULT_LIMIT : 0;
        }
        return a;
    }

    /** Trims {@code s} as asked; returns the entries removed. */
    long trim(StreamValue s) {
        return strategy == NONE ? 0 : s.trim(strategy == MAXLEN ? maxLen : 0, strategy == MINID ? minId : null, approx, limit);
    }

    /**
     * The exact trim option the journal logs ({@code MAXLEN = n} or {@code MINID = id}): as given for
     * an exact trim, else rewritten to what the approximate trim left, so replay removes the same.
     */
    byte[][] journalForm(StreamValue s) {
        byte[] value;
        if (strategy == MAXLEN) {
            value = Numbers.ascii(approx ? s.length : maxLen);
        } else {
            value = (approx ? s.firstSlotId() : minId).bytes();
        }
        return new byte[][] {Args.bytes(strategy == MAXLEN ? "MAXLEN" : "MINID"), Args.bytes("="), value};
    }
}
