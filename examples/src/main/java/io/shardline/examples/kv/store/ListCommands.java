package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;

/**
 * LPUSH, RPUSH, LPOP, RPOP, LRANGE and LLEN, as Redis 7 runs them (t_list.c). A list that becomes
 * empty is deleted. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: pushes as sent; a pop with a count as the same pop with the count it actually
 * took (so the entry stays right whatever the list holds at replay).
 */
public final class ListCommands {
    private final Keyspace ks;

    ListCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void lpush(byte[][] argv, ReplySink out, Journal journal) {
        push(argv, out, journal, true);
    }

    public void rpush(byte[][] argv, ReplySink out, Journal journal) {
        push(argv, out, journal, false);
    }

    private void push(byte[][] argv, ReplySink out, Journal journal, boolean head) {
        Entry e = ks.lookupOrAdd(new Bytes(argv[1]), ValueType.LIST, out);
        if (e == null) {
            return;
        }
        ListValue list = e.list();
        for (int i = 2; i < argv.length; i++) {
            if (head) {
                list.addFirst(argv[i]);
            } else {
                list.addLast(argv[i]);
            }
        }
        out.integer(list.size());
        journal.append(argv);
    }

    public void lpop(byte[][] argv, ReplySink out, Journal journal) {
        pop(argv, out, journal, true, "lpop");
    }

    public void rpop(byte[][] argv, ReplySink out, Journal journal) {
        pop(argv, out, journal, false, "rpop");
    }

    private void pop(byte[][] argv, ReplySink out, Journal journal, boolean head, String name) {
        if (argv.length > 3) {
            out.error(Errors.wrongArity(name));
            return;
        }
        boolean hasCount = argv.length == 3;
        long count = 0;
        if (hasCount && (count = Args.countOrReply(argv[2], out)) < 0) {
            return;
        }
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.LIST, out);
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
            journal.append(new byte[][] {argv[0], argv[1]});
        } else {
            int n = (int) Math.min(count, list.size());
            out.arrayHeader(n);
            for (int i = 0; i < n; i++) {
                out.bulk(head ? list.pollFirst() : list.pollLast());
            }
            journal.append(new byte[][] {argv[0], argv[1], Numbers.ascii(n)});
        }
        if (list.size() == 0) {
            ks.remove(e);
        }
    }

    public void lrange(byte[][] argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv[2]) || !Numbers.isLong(argv[3])) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long start = Numbers.toLong(argv[2]);
        long end = Numbers.toLong(argv[3]);
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.LIST, out);
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
        out.arrayHeader((int) (end - start + 1));
        for (long i = start; i <= end; i++) {
            out.bulk(list.get((int) i));
        }
    }

    public void llen(byte[][] argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.LIST, out);
        if (e == null) {
            out.integer(0);
        } else if (e != Keyspace.WRONG_TYPE) {
            out.integer(e.list().size());
        }
    }
}
