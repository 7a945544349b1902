package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;

/**
 * XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM and XSETID as Redis 7.2 runs them (t_stream.c). Owned by
 * one shard; not thread-safe.
 *
 * <p>Journal forms: XADD with the id it generated and an approximate trim rewritten as the exact one
 * it came to ({@code MAXLEN = <length>} / {@code MINID = <first id>}, LIMIT dropped); XTRIM the same;
 * XDEL and XSETID as sent. Each replays to the same stream, node boundaries included.
 */
public final class StreamCommands {
    private static final byte[] XADD = Args.bytes("XADD");
    private static final byte[] XTRIM = Args.bytes("XTRIM");

    private final Keyspace ks;
    /** Keys looked up where the request holds them (never stored). */
    private final Bytes probe = Bytes.probe();
    /** Told the key of each XADD, so blocked readers of that key may be served. */
    private java.util.function.Consumer<byte[]> onAppend = key -> {
    };

    StreamCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** Where XADD (and XGROUP DESTROY, which ends XREADGROUP waits) reports a key readers may wait on. */
    public void onAppend(java.util.function.Consumer<byte[]> listener) {
        this.onAppend = java.util.Objects.requireNonNull(listener, "listener");
    }

    void signal(byte[] key) {
        onAppend.accept(key);
    }

    static StreamValue stream(Entry e) {
        return (StreamValue) e.value();
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] id|* field value [field value ...] */
    public void xadd(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        StreamTrimArgs a = StreamTrimArgs.parse(argv, true, ks.isLoading(), out);
        if (a == null) {
            return;
        }
        int fieldPos = a.idIndex + 1;
        int pairs = argv.length - fieldPos;
        if (pairs < 2 || pairs % 2 == 1) {
            out.error(Errors.wrongArity("xadd"));
            return;
        }
        if (a.id != null && a.seqGiven.given && a.id.isZero()) {
            out.error("ERR The ID specified in XADD must be greater than 0-0");
            return;
        }
        Bytes key = new Bytes(argv[1]);
        Entry e = ks.lookup(key, ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null && a.noMkStream) {
            out.nullBulk();
            return;
        }
        StreamValue s = e == null ? new StreamValue() : stream(e);
        if (s.lastId.equals(StreamId.MAX)) {
            out.error("ERR The stream has exhausted the last possible ID, unable to add more items");
            return;
        }
        StreamId id = nextId(s, a);
        if (id == null) {
            out.error("ERR The ID specified in XADD is equal or smaller than the target stream top item");
            return;
        }
        if (e == null) {
            e = ks.add(key, ValueType.STREAM, s);
        }
        byte[][] fieldValues = new byte[pairs][];
        System.arraycopy(argv, fieldPos, fieldValues, 0, pairs);
        s.append(id, fieldValues);
        byte[] idText = id.bytes();
        out.bulk(idText);
        ks.notifier().notify(Notifier.STREAM, "xadd", argv[1]);
        if (a.trim(s) > 0) {
            ks.notifier().notify(Notifier.STREAM, "xtrim", argv[1]);
        }
        List<byte[]> logged = new ArrayList<>(4 + pairs);
        logged.add(XADD);
        logged.add(argv[1]);
        if (a.strategy != StreamTrimArgs.NONE) {
            logged.addAll(List.of(a.journalForm(s)));
        }
        logged.add(idText);
        logged.addAll(List.of(fieldValues));
        journal.append(logged.toArray(new byte[0][]));
        onAppend.accept(argv[1]);
    }

    /** The id an XADD adds, or null if it is not above the stream's last id (streamAppendItem's EDOM). */
    private StreamId nextId(StreamValue s, StreamTrimArgs a) {
        StreamId last = s.lastId;
        if (a.id == null) {
            long now = ks.now();
            return Long.compareUnsigned(now, last.ms()) > 0 ? new StreamId(now, 0) : last.next();
        }
        StreamId id = a.id;
        if (!a.seqGiven.given) {
            if (last.ms() == id.ms()) {
                if (last.seq() == -1L) {
                    return null;
                }
                id = new StreamId(last.ms(), last.seq() + 1);
            }
        }
        return id.compareTo(last) <= 0 ? null : id;
    }

    public void xlen(Argv args, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(args, 1), ValueType.STREAM, out);
        if (e != Keyspace.WRONG_TYPE) {
            out.integer(e == null ? 0 : stream(e).length);
        }
    }

    public void xrange(Argv args, ReplySink out, Journal journal) {
        range(args, false, out);
    }

    public void xrevrange(Argv args, ReplySink out, Journal journal) {
        range(args, true, out);
    }

    /** Reads its arguments in place but for the two bounds: the read commands copy no more than that. */
    private void range(Argv argv, boolean rev, ReplySink out) {
        StreamId start = StreamId.parseBound(argv.bytes(rev ? 3 : 2), 0, true, out);
        if (start == null) {
            return;
        }
        StreamId end = StreamId.parseBound(argv.bytes(rev ? 2 : 3), -1L, false, out);
        if (end == null) {
            return;
        }
        long count = -1;
        for (int j = 4; j < argv.count(); j++) {
            if (argv.equalsIgnoreCase(j, "count") && j + 1 < argv.count()) {
                byte[] n = argv.bytes(++j);
                if (!Numbers.isLong(n)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                count = Math.max(0, Numbers.toLong(n));
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (count == 0) {
            out.nullArray();
            return;
        }
        StreamReplies.range(out, stream(e), start, end, count < 0 ? 0 : count, rev, true);
    }

    public void xdel(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.integer(0);
            return;
        }
        StreamId[] ids = new StreamId[argv.length - 2];
        for (int j = 2; j < argv.length; j++) {
            ids[j - 2] = StreamId.parseStrict(argv[j], 0, null, out);
            if (ids[j - 2] == null) {
                return;
            }
        }
        StreamValue s = stream(e);
        int deleted = 0;
        for (StreamId id : ids) {
            if (s.delete(id)) {
                deleted++;
            }
        }
        out.integer(deleted);
        if (deleted > 0) {
            journal.append(argv);
            ks.notifier().notify(Notifier.STREAM, "xdel", argv[1]);
        }
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    public void xtrim(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        StreamTrimArgs a = StreamTrimArgs.parse(argv, false, ks.isLoading(), out);
        if (a == null) {
            return;
        }
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.integer(0);
            return;
        }
        StreamValue s = stream(e);
        long deleted = a.trim(s);
        out.integer(deleted);
        if (deleted > 0) {
            byte[][] form = a.journalForm(s);
            journal.append(new byte[][] {XTRIM, argv[1], form[0], form[1], form[2]});
            ks.notifier().notify(Notifier.STREAM, "xtrim", argv[1]);
        }
    }

    /** XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id] */
    public void xsetid(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        StreamId id = StreamId.parseStrict(argv[2], 0, null, out);
        if (id == null) {
            return;
        }
        long entriesAdded = -1;
        StreamId maxDeleted = StreamId.MIN;
        for (int i = 3; i < argv.length; i++) {
            boolean more = i < argv.length - 1;
            if (Args.is(argv[i], "entriesadded") && more) {
                if (!Numbers.isLong(argv[i + 1])) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                entriesAdded = Numbers.toLong(argv[i + 1]);
                if (entriesAdded < 0) {
                    out.error("ERR entries_added must be positive");
                    return;
                }
                i++;
            } else if (Args.is(argv[i], "maxdeletedid") && more) {
                maxDeleted = StreamId.parseStrict(argv[i + 1], 0, null, out);
                if (maxDeleted == null) {
                    return;
                }
                if (id.compareTo(maxDeleted) < 0) {
                    out.error("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                    return;
                }
                i++;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.error(Errors.NO_SUCH_KEY);
            return;
        }
        StreamValue s = stream(e);
        if (id.compareTo(s.maxDeletedId) < 0) {
            out.error("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
            return;
        }
        if (s.length > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                out.error("ERR The ID specified in XSETID is smaller than the target stream top item");
                return;
            }
            if (entriesAdded != -1 && s.length > entriesAdded) {
                out.error("ERR The entries_added specified in XSETID is smaller than the target stream length");
                return;
            }
        }
        s.lastId = id;
        if (entriesAdded != -1) {
            s.entriesAdded = entriesAdded;
        }
        if (!maxDeleted.isZero()) {
            s.maxDeletedId = maxDeleted;
        }
        out.simple("OK");
        journal.append(argv);
        ks.notifier().notify(Notifier.STREAM, "xsetid", argv[1]);
    }
}
