package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.Arrays;

/**
 * The list commands that search a list or edit it in the middle, as Redis 7 runs them (t_list.c):
 * LINSERT, LREM, LTRIM and LPOS. A list that becomes empty is deleted. Owned by one shard; not
 * thread-safe.
 *
 * <p>Journal forms: as sent, when they changed something (each is deterministic on the same list).
 */
public final class ListEditCommands {
    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    ListEditCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** LINSERT key BEFORE|AFTER pivot element: the new length, 0 for a missing key, -1 without the pivot. */
    public void linsert(Argv argv, ReplySink out, Journal journal) {
        boolean after;
        if (argv.equalsIgnoreCase(2, "after")) {
            after = true;
        } else if (argv.equalsIgnoreCase(2, "before")) {
            after = false;
        } else {
            out.error(Errors.SYNTAX);
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ListValue list = e.list();
        list.prepareFor(argv, 4, 5); // before the pivot search, as linsertCommand converts
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), argv.bytes(3))) {
                list.insert(after ? i + 1 : i, argv.bytes(4));
                out.integer(list.size());
                journal.append(argv);
                ks.notifier().notify(Notifier.LIST, "linsert", argv, 1);
                return;
            }
        }
        out.integer(-1);
    }

    /** LREM key count element: removes up to |count| matches from the head (count > 0), the tail (< 0) or all (0). */
    public void lrem(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long count = Numbers.toLong(argv, 2);
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.integer(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ListValue list = e.list();
        int n = list.size();
        boolean[] keep = new boolean[n];
        Arrays.fill(keep, true);
        long limit = count == 0 ? Long.MAX_VALUE : count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        for (int j = 0; j < n && removed < limit; j++) {
            int i = count < 0 ? n - 1 - j : j;
            if (Arrays.equals(list.get(i), argv.bytes(3))) {
                keep[i] = false;
                removed++;
            }
        }
        if (removed > 0) {
            list.retain(keep);
            ks.notifier().notify(Notifier.LIST, "lrem", argv, 1);
            if (list.size() == 0) {
                ks.remove(e);
                ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
            }
            journal.append(argv);
        }
        out.integer(removed);
    }

    /** LTRIM key start stop: keeps the range, as LRANGE would read it; OK even for a missing key. */
    public void ltrim(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2) || !Numbers.isLong(argv, 3)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long start = Numbers.toLong(argv, 2);
        long end = Numbers.toLong(argv, 3);
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.simple("OK");
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ListValue list = e.list();
        long size = list.size();
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        if (start < 0) {
            start = 0;
        }
        boolean[] keep = new boolean[(int) size];
        if (start <= end && start < size) {
            Arrays.fill(keep, (int) start, (int) Math.min(end, size - 1) + 1, true);
        }
        list.retain(keep);
        ks.notifier().notify(Notifier.LIST, "ltrim", argv, 1); // even when nothing went, as ltrimCommand
        if (list.size() == 0) {
            ks.remove(e);
            ks.notifier().notify(Notifier.GENERIC, "del", argv, 1);
        }
        out.simple("OK");
        if (list.size() < size) {
            journal.append(argv);
        }
    }

    /**
     * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: the index of the rank-th match
     * (negative rank: from the tail), or with COUNT an array of up to that many (0: all), comparing at
     * most MAXLEN elements (0: all).
     */
    public void lpos(Argv argv, ReplySink out, Journal journal) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < argv.count(); j++) {
            boolean more = j + 1 < argv.count();
            if (argv.equalsIgnoreCase(j, "rank") && more) {
                j++;
                if (!Numbers.isLong(argv, j)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                rank = Numbers.toLong(argv, j);
                if (rank == Long.MIN_VALUE) {
                    out.error(Errors.outOfRange(-Long.MAX_VALUE, Long.MAX_VALUE));
                    return;
                }
                if (rank == 0) {
                    out.error(Errors.RANK_ZERO);
                    return;
                }
            } else if (argv.equalsIgnoreCase(j, "count") && more) {
                j++;
                if (!Numbers.isLong(argv, j) || (count = Numbers.toLong(argv, j)) < 0) {
                    out.error(Errors.COUNT_NEGATIVE);
                    return;
                }
            } else if (argv.equalsIgnoreCase(j, "maxlen") && more) {
                j++;
                if (!Numbers.isLong(argv, j) || (maxlen = Numbers.toLong(argv, j)) < 0) {
                    out.error(Errors.MAXLEN_NEGATIVE);
                    return;
                }
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            if (count != -1) {
                out.arrayHeader(0);
            } else {
                out.nullBulk();
            }
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ListValue list = e.list();
        int n = list.size();
        boolean fromTail = rank < 0;
        long skip = Math.abs(rank) - 1;
        long want = count == -1 ? 1 : count == 0 ? Long.MAX_VALUE : count;
        long examine = maxlen == 0 ? n : Math.min(maxlen, n);
        long[] found = new long[(int) Math.min(want, n)];
        int matches = 0;
        for (int j = 0; j < examine && matches < want; j++) {
            int i = fromTail ? n - 1 - j : j;
            if (Arrays.equals(list.get(i), argv.bytes(2))) {
                if (skip > 0) {
                    skip--;
                } else {
                    found[matches++] = i;
                }
            }
        }
        if (count == -1) {
            if (matches == 0) {
                out.nullBulk();
            } else {
                out.integer(found[0]);
            }
            return;
        }
        out.arrayHeader(matches);
        for (int i = 0; i < matches; i++) {
            out.integer(found[i]);
        }
    }
}
