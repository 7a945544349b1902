package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * GETRANGE, SUBSTR, SETRANGE and LCS, as Redis 7.2 runs them (t_string.c). Owned by one shard; not
 * thread-safe.
 *
 * <p>Journal form: SETRANGE is logged as sent when it changed the string (it replays to the same
 * bytes); the others only read.
 */
public final class StringRangeCommands {
    /** Redis' proto-max-bulk-len default: SETRANGE may not grow a string past it. */
    static final long MAX_STRING = 512L * 1024 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    StringRangeCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** GETRANGE key start end (SUBSTR is the same command under its old name). */
    public void getrange(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2) || !Numbers.isLong(argv, 3)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long start = Numbers.toLong(argv, 2);
        long end = Numbers.toLong(argv, 3);
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        byte[] s = e == null ? EMPTY : e.string();
        long len = s.length;
        if (start < 0 && end < 0 && start > end) {
            out.bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            out.bulk(EMPTY);
        } else {
            byte[] part = new byte[(int) (end - start + 1)];
            System.arraycopy(s, (int) start, part, 0, part.length);
            out.bulk(part);
        }
    }

    /** SETRANGE key offset value: the new length; a missing key grows from empty, zero-padded. */
    public void setrange(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long offset = Numbers.toLong(argv, 2);
        if (offset < 0) {
            out.error(Errors.OFFSET_RANGE);
            return;
        }
        byte[] value = argv.bytes(3);
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        long old = e == null ? 0 : e.stringLength();
        if (value.length == 0) {
            out.integer(old); // nothing to write, and a missing key is not created
            return;
        }
        if (offset > MAX_STRING - value.length) {
            out.error(Errors.STRING_TOO_LONG);
            return;
        }
        byte[] s = e == null ? EMPTY : e.string();
        int length = (int) Math.max(s.length, offset + value.length);
        byte[] grown = length == s.length ? s : java.util.Arrays.copyOf(s, length);
        System.arraycopy(value, 0, grown, (int) offset, value.length);
        if (e == null) {
            e = ks.add(key, ValueType.STRING, grown);
        } else {
            e.setString(grown);
        }
        e.markRaw();
        out.integer(length);
        journal.append(argv);
        ks.notifier().notify(Notifier.STRING, "setrange", key.bytes);
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]. */
    public void lcs(Argv argv, ReplySink out, Journal journal) {
        Entry a = ks.lookup(probe.point(argv, 1));
        Entry b = ks.lookup(probe.point(argv, 2));
        if ((a != null && a.type() != ValueType.STRING) || (b != null && b.type() != ValueType.STRING)) {
            out.error(Errors.LCS_TYPES);
            return;
        }
        lcs(a == null ? EMPTY : a.string(), b == null ? EMPTY : b.string(), argv, out);
    }

    /** LCS over two strings already read (the cross-shard path gathers them), its options from argument 3 on. */
    public static void lcs(byte[] a, byte[] b, Argv argv, ReplySink out) {
        boolean idx = false;
        boolean len = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < argv.count(); j++) {
            byte[] opt = argv.bytes(j);
            if (Args.is(opt, "idx")) {
                idx = true;
            } else if (Args.is(opt, "len")) {
                len = true;
            } else if (Args.is(opt, "withmatchlen")) {
                withMatchLen = true;
            } else if (Args.is(opt, "minmatchlen") && j < argv.count() - 1) {
                if (!Numbers.isLong(argv, j + 1)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                minMatchLen = Math.max(Numbers.toLong(argv, ++j), 0);
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        if (idx && len) {
            out.error(Errors.LCS_IDX_AND_LEN);
            return;
        }
        Lcs.reply(a, b, idx, len, withMatchLen, minMatchLen, out);
    }
}
