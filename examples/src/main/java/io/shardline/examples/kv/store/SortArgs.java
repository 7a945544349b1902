package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of one SORT or SORT_RO, parsed as sortCommandGeneric parses them (later ASC/DESC and BY
 * win; a BY pattern without {@code *} means "do not sort"). Immutable once parsed; any thread.
 *
 * @param desc DESC was given last
 * @param alpha ALPHA
 * @param limitStart LIMIT's offset, 0 without LIMIT
 * @param limitCount LIMIT's count, -1 without LIMIT
 * @param by the last BY pattern, or null
 * @param dontSort some BY pattern had no {@code *}
 * @param gets the GET patterns in order
 * @param store the STORE destination, or null
 */
public record SortArgs(boolean desc, boolean alpha, long limitStart, long limitCount, byte[] by, boolean dontSort,
        List<byte[]> gets, byte[] store) {

    /** The options of {@code argv} (SORT key ...), or null after replying the error; SORT_RO has no STORE. */
    public static SortArgs parse(Argv argv, boolean readOnly, ReplySink out) {
        boolean desc = false;
        boolean alpha = false;
        long start = 0;
        long count = -1;
        byte[] by = null;
        boolean dontSort = false;
        List<byte[]> gets = new ArrayList<>();
        byte[] store = null;
        for (int j = 2; j < argv.count(); j++) {
            int left = argv.count() - j - 1;
            if (argv.equalsIgnoreCase(j, "asc")) {
                desc = false;
            } else if (argv.equalsIgnoreCase(j, "desc")) {
                desc = true;
            } else if (argv.equalsIgnoreCase(j, "alpha")) {
                alpha = true;
            } else if (argv.equalsIgnoreCase(j, "limit") && left >= 2) {
                if (!Numbers.isLong(argv, j + 1) || !Numbers.isLong(argv, j + 2)) {
                    out.error(Errors.NOT_INTEGER);
                    return null;
                }
                start = Numbers.toLong(argv, j + 1);
                count = Numbers.toLong(argv, j + 2);
                j += 2;
            } else if (!readOnly && argv.equalsIgnoreCase(j, "store") && left >= 1) {
                store = argv.bytes(++j);
            } else if (argv.equalsIgnoreCase(j, "by") && left >= 1) {
                by = argv.bytes(++j);
                dontSort |= indexOf(by, (byte) '*') < 0; // once set it stays, as in Redis
            } else if (argv.equalsIgnoreCase(j, "get") && left >= 1) {
                gets.add(argv.bytes(++j));
            } else {
                out.error(Errors.SYNTAX);
                return null;
            }
        }
        return new SortArgs(desc, alpha, start, count, by, dontSort, List.copyOf(gets), store);
    }

    static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
