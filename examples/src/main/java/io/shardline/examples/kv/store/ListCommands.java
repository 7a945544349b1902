package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * The list commands that push, pop, read by index and move elements, as Redis 7 runs them (t_list.c):
 * LPUSH, RPUSH, LPUSHX, RPUSHX, LPOP, RPOP, LMPOP, LRANGE, LLEN, LINDEX, LSET, LMOVE and RPOPLPUSH
 * (LINSERT, LREM, LTRIM and LPOS are in {@link ListEditCommands}). A list that becomes empty is
 * deleted. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: pushes, LSET and LMOVE as sent (deterministic on the same list); a pop with a
 * count, LMPOP included, as LPOP/RPOP with the count it actually took, so the entry stays right
 * whatever the list holds at replay.
 */
public final class ListCommands {
    private static final byte[] LPOP = Args.bytes("LPOP");
    private static final byte[] RPOP = Args.bytes("RPOP");

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    ListCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void lpush(Argv argv, ReplySink out, Journal journal) {
        push(argv, out, journal, true, false);
    }

    public void rpush(Argv argv, ReplySink out, Journal journal) {
        push(argv, out, journal, false, false);
    }

    /** LPUSHX: pushes only onto a list that exists. */
    public void lpushx(Argv argv, ReplySink out, Journal journal) {
        push(argv, out, journal, true, true);
    }

    public void rpushx(Argv argv, ReplySink out, Journal journal) {
        push(argv, out, journal, false, true);
    }

    private void push(Argv argv, ReplySink out, Journal journal, boolean head, boolean onlyIfExists) {
        Entry e;
        if (onlyIfExists) {
            e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
            if (e == null) {
                out.integer(0);
                return;
            }
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
        } else if ((e = ks.lookupOrAdd(probe.point(argv, 1), ValueType.LIST, out)) == null) {
            return;
        }
        ListValue list = e.list();
        list.prepareFor(argv, 2, argv.count());
        for (int i = 2; i < argv.count(); i++) {
            if (head) {
                list.addFirst(argv.bytes(i));
            } else {
                list.addLast(argv.bytes(i));
            }
        }
        out.integer(list.size());
        journal.append(argv);
        ks.notifier().notify(Notifier.LIST, head ? "lpush" : "rpush", argv, 1);
    }

    public void lpop(Argv argv, ReplySink out, Journal journal) {
        pop(argv, out, journal, true, "lpop");
    }

    public void rpop(Argv argv, ReplySink out, Journal journal) {
        pop(argv, out, journal, false, "rpop");
    }

    private void pop(Argv argv, ReplySink out, Journal journal, boolean head, String name) {
        if (argv.count() > 3) {
            out.error(Errors.wrongArity(name));
            return;
        }
        boolean hasCount = argv.count() == 3;
        long count = 0;
        if (hasCount && (count = Args.countOrReply(argv, 2, out)) < 0) {
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            if (hasCount) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        ListValue list = e.list();
        if (hasCount && count == 0) {
            out.arrayHeader(0);
            return;
        }
        if (!hasCount) {
            out.bulk(head ? list.pollFirst() : list.pollLast());
            journal.append(new byte[][] {argv.bytes(0), argv.bytes(1)});
        } else {
            popCount(e, head, count, out, journal);
        }
        ks.notifier().notify(Notifier.LIST, head ? "lpop" : "rpop", argv, 1);
        removeIfEmpty(e);
    }

    /** Pops up to {@code count} elements as an array, logged as the pop of what it took. */
    private static void popCount(Entry e, boolean head, long count, ReplySink out, Journal journal) {
        ListValue list = e.list();
        int n = (int) Math.min(count, list.size());
        out.arrayHeader(n);
        for (int i = 0; i < n; i++) {
            out.bulk(head ? list.pollFirst() : list.pollLast());
        }
        journal.append(new byte[][] {head ? LPOP : RPOP, e.key(), Numbers.ascii(n)});
    }

    /**
     * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list of the
     * keys, in their order, and replies [key, elements], or a null array when all are empty.
     */
    public void lmpop(Argv argv, ReplySink out, Journal journal) {
        MpopArgs a = MpopArgs.parse(argv, out);
        if (a == null) {
            return;
        }
        for (int i = 0; i < a.keys(); i++) {
            Entry e = ks.lookup(probe.point(argv, 2 + i), ValueType.LIST, out);
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
            if (e != null) {
                out.arrayHeader(2);
                out.bulk(e.key());
                popCount(e, a.first(), a.count(), out, journal);
                ks.notifier().notify(Notifier.LIST, a.first() ? "lpop" : "rpop", argv, 2 + i);
                removeIfEmpty(e);
                return;
            }
        }
        out.nullArray();
    }

    public void lrange(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2) || !Numbers.isLong(argv, 3)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long start = Numbers.toLong(argv, 2);
        long end = Numbers.toLong(argv, 3);
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.arrayHeader(0);
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
        if (start > end || start >= size) {
            out.arrayHeader(0);
            return;
        }
        if (end >= size) {
            end = size - 1;
        }
        int n = (int) (end - start + 1);
        out.arrayHeader(n);
        if (Slices.worth(out, n)) {
            byte[][] items = new byte[n][];
            for (int i = 0; i < n; i++) {
                items[i] = list.get((int) start + i);
            }
            Slices.bulks(out, items);
            return;
        }
        for (long i = start; i <= end; i++) {
            out.bulk(list.get((int) i));
        }
    }

    public void llen(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.list().size());
        }
    }

    /** LINDEX key index: Redis looks the key up before it reads the index, so a missing key is nil whatever the index. */
    public void lindex(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.nullBulk();
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        int at = index(e.list(), Numbers.toLong(argv, 2));
        if (at < 0) {
            out.nullBulk();
        } else {
            out.bulk(e.list().get(at));
        }
    }

    public void lset(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (e == null) {
            out.error(Errors.NO_SUCH_KEY);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        e.list().prepareFor(argv, 3, 4); // before the range check, as lsetCommand converts
        int at = index(e.list(), Numbers.toLong(argv, 2));
        if (at < 0) {
            out.error(Errors.INDEX_OUT_OF_RANGE);
            return;
        }
        e.list().set(at, argv.bytes(3));
        out.simple("OK");
        journal.append(argv);
        ks.notifier().notify(Notifier.LIST, "lset", argv, 1);
    }

    /** The 0-based position of a Redis list index (negative counts from the tail), or -1 outside the list. */
    static int index(ListValue list, long index) {
        long at = index < 0 ? list.size() + index : index;
        return at < 0 || at >= list.size() ? -1 : (int) at;
    }

    /** LMOVE source destination LEFT|RIGHT LEFT|RIGHT. */
    public void lmove(Argv argv, ReplySink out, Journal journal) {
        int from = side(argv.bytes(3));
        int to = side(argv.bytes(4));
        if (from < 0 || to < 0) {
            out.error(Errors.SYNTAX);
            return;
        }
        move(argv, out, journal, from == 0, to == 0);
    }

    /** RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT. */
    public void rpoplpush(Argv argv, ReplySink out, Journal journal) {
        move(argv, out, journal, false, true);
    }

    private void move(Argv argv, ReplySink out, Journal journal, boolean fromHead, boolean toHead) {
        Entry src = ks.lookup(probe.point(argv, 1), ValueType.LIST, out);
        if (src == null) {
            out.nullBulk();
            return;
        }
        if (src == Keyspace.WRONG_TYPE) {
            return;
        }
        // Redis checks the destination's type before it pops anything.
        Entry dst = ks.lookup(probe.point(argv, 2), ValueType.LIST, out);
        if (dst == Keyspace.WRONG_TYPE) {
            return;
        }
        byte[] v = fromHead ? src.list().pollFirst() : src.list().pollLast();
        if (dst == null) {
            dst = ks.add(new Bytes(argv.bytes(2)), ValueType.LIST, new ListValue(ks.limits()));
        }
        dst.list().prepareFor(v);
        if (toHead) {
            dst.list().addFirst(v);
        } else {
            dst.list().addLast(v);
        }
        ks.notifier().notify(Notifier.LIST, toHead ? "lpush" : "rpush", argv, 2);
        ks.notifier().notify(Notifier.LIST, fromHead ? "lpop" : "rpop", argv, 1);
        removeIfEmpty(src);
        out.bulk(v);
        journal.append(argv);
    }

    /** Redis keeps no empty list: {@code e} goes, with the "del" event, once its last element has. */
    private void removeIfEmpty(Entry e) {
        if (e.list().size() == 0) {
            ks.remove(e);
            ks.notifier().notify(Notifier.GENERIC, "del", e);
        }
    }

    /** 0 for LEFT, 1 for RIGHT, -1 for anything else. */
    static int side(byte[] arg) {
        return Args.is(arg, "left") ? 0 : Args.is(arg, "right") ? 1 : -1;
    }
}
