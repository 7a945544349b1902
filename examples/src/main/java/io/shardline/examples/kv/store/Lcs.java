package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/**
 * The longest common subsequence of two strings and the reply LCS gives for it, computed as Redis'
 * lcsCommand does (the same table and the same walk back, so ties pick the same subsequence and the
 * same match ranges). Stateless, any thread.
 *
 * <p>Cost: O(|a|·|b|) time and 4·(|a|+1)·(|b|+1) bytes of table, refused like Redis beyond
 * proto-max-bulk-len (512 MiB): the table is transient but it is the bound Redis applies.
 */
final class Lcs {
    private Lcs() {
    }

    static void reply(byte[] a, byte[] b, boolean idx, boolean len, boolean withMatchLen, long minMatchLen, ReplySink out) {
        int alen = a.length;
        int blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > StringRangeCommands.MAX_STRING) {
            out.error(Errors.LCS_MEMORY);
            return;
        }
        int w = blen + 1;
        int[] t = new int[(int) cells];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                if (a[i - 1] == b[j - 1]) {
                    t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
                } else {
                    t[i * w + j] = Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
                }
            }
        }
        int total = t[alen * w + blen];
        if (len && !idx) {
            out.integer(total);
            return;
        }
        byte[] result = new byte[total];
        // Matches are emitted while walking back, so the count is known only at the end: collect first.
        long[] ranges = new long[16];
        int found = 0;
        int k = total;
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[k - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                k--;
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                long matchLen = aEnd - aStart + 1;
                if (idx && (minMatchLen == 0 || matchLen >= minMatchLen)) {
                    if (found * 4 + 4 > ranges.length) {
                        ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
                    }
                    ranges[found * 4] = aStart;
                    ranges[found * 4 + 1] = aEnd;
                    ranges[found * 4 + 2] = bStart;
                    ranges[found * 4 + 3] = bEnd;
                    found++;
                }
                aStart = alen;
            }
        }
        if (!idx) {
            out.bulk(result);
            return;
        }
        out.mapHeader(2);
        out.bulk("matches");
        out.arrayHeader(found);
        for (int m = 0; m < found; m++) {
            long as = ranges[m * 4];
            long ae = ranges[m * 4 + 1];
            out.arrayHeader(withMatchLen ? 3 : 2);
            out.arrayHeader(2).integer(as).integer(ae);
            out.arrayHeader(2).integer(ranges[m * 4 + 2]).integer(ranges[m * 4 + 3]);
            if (withMatchLen) {
                out.integer(ae - as + 1);
            }
        }
        out.bulk("len");
        out.integer(total);
    }
}
