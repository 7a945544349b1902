package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * XPENDING, XCLAIM and XAUTOCLAIM as Redis 7.2 runs them. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: every pending entry they change is logged as the XCLAIM that sets it (see
 * {@link StreamJournal#claim}), one whose stream entry is gone as the XCLAIM that drops it, and a moved
 * last-delivered id as {@code XGROUP SETID}, as Redis propagates them.
 */
public final class StreamClaimCommands {
    private final Keyspace ks;

    StreamClaimCommands(Keyspace ks) {
        this.ks = ks;
    }

    private static String noGroup(byte[] key, byte[] group) {
        return "NOGROUP No such key '" + Errors.text(key) + "' or consumer group '" + Errors.text(group) + "'";
    }

    /** XPENDING key group [[IDLE min-idle-time] start end count [consumer]] */
    public void xpending(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        int argc = argv.length;
        if (argc != 3 && (argc < 6 || argc > 9)) {
            out.error(Errors.SYNTAX);
            return;
        }
        long minIdle = 0;
        long count = 0;
        StreamId start = null;
        StreamId end = null;
        byte[] consumerName = null;
        if (argc >= 6) {
            int at = 3;
            if (Args.is(argv[3], "idle")) {
                if (!Numbers.isLong(argv[4])) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                minIdle = Numbers.toLong(argv[4]);
                if (argc < 8) {
                    out.error(Errors.SYNTAX);
                    return;
                }
                at += 2;
            }
            if (!Numbers.isLong(argv[at + 2])) {
                out.error(Errors.NOT_INTEGER);
                return;
            }
            count = Math.max(0, Numbers.toLong(argv[at + 2]));
            if ((start = StreamId.parseBound(argv[at], 0, true, out)) == null
                    || (end = StreamId.parseBound(argv[at + 1], -1L, false, out)) == null) {
                return;
            }
            if (at + 3 < argc) {
                consumerName = argv[at + 3];
            }
        }
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        StreamGroup g = e == null ? null : StreamCommands.stream(e).group(argv[2]);
        if (g == null) {
            out.error(noGroup(argv[1], argv[2]));
            return;
        }
        if (argc == 3) {
            out.arrayHeader(4);
            out.integer(g.pel.size());
            if (g.pel.isEmpty()) {
                out.nullBulk();
                out.nullBulk();
                out.nullArray();
                return;
            }
            out.bulk(g.pel.firstKey().bytes());
            out.bulk(g.pel.lastKey().bytes());
            int owners = 0;
            for (StreamConsumer c : g.consumers.values()) {
                owners += c.pel.isEmpty() ? 0 : 1;
            }
            out.arrayHeader(owners);
            for (StreamConsumer c : g.consumers.values()) {
                if (!c.pel.isEmpty()) {
                    out.arrayHeader(2);
                    out.bulk(c.name.bytes);
                    out.bulk(Numbers.ascii(c.pel.size()));
                }
            }
            return;
        }
        java.util.TreeMap<StreamId, StreamNack> pel = g.pel;
        if (consumerName != null) {
            StreamConsumer c = g.consumer(consumerName);
            if (c == null) {
                out.arrayHeader(0);
                return;
            }
            pel = c.pel;
        }
        long now = ks.now();
        List<Map.Entry<StreamId, StreamNack>> shown = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, StreamNack> p : pel.subMap(start, true, end, true).entrySet()) {
                if (shown.size() == count) {
                    break;
                }
                if (minIdle != 0 && now - p.getValue().deliveryTime < minIdle) {
                    continue;
                }
                shown.add(p);
            }
        }
        out.arrayHeader(shown.size());
        for (Map.Entry<StreamId, StreamNack> p : shown) {
            StreamNack n = p.getValue();
            out.arrayHeader(4);
            out.bulk(p.getKey().bytes());
            out.bulk(n.consumer.name.bytes);
            out.integer(Math.max(0, now - n.deliveryTime));
            out.integer(n.deliveryCount);
        }
    }

    /** XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms] [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id] */
    public void xclaim(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        StreamValue s = e == null ? null : StreamCommands.stream(e);
        StreamGroup g = s == null ? null : s.group(argv[2]);
        if (g == null) {
            out.error(noGroup(argv[1], argv[2]));
            return;
        }
        if (!Numbers.isLong(argv[4])) {
            out.error("ERR Invalid min-idle-time argument for XCLAIM");
            return;
        }
        long minIdle = Math.max(0, Numbers.toLong(argv[4]));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < argv.length; j++) {
            StreamId id = StreamId.tryParseStrict(argv[j]);
            if (id == null) {
                break;
            }
            ids.add(id);
        }
        long now = ks.now();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            byte[] opt = argv[j];
            if (Args.is(opt, "force")) {
                force = true;
            } else if (Args.is(opt, "justid")) {
                justId = true;
            } else if (Args.is(opt, "idle") && more) {
                if (!Numbers.isLong(argv[++j])) {
                    out.error("ERR Invalid IDLE option argument for XCLAIM");
                    return;
                }
                deliveryTime = now - Numbers.toLong(argv[j]);
            } else if (Args.is(opt, "time") && more) {
                if (!Numbers.isLong(argv[++j])) {
                    out.error("ERR Invalid TIME option argument for XCLAIM");
                    return;
                }
                deliveryTime = Numbers.toLong(argv[j]);
            } else if (Args.is(opt, "retrycount") && more) {
                if (!Numbers.isLong(argv[++j])) {
                    out.error("ERR Invalid RETRYCOUNT option argument for XCLAIM");
                    return;
                }
                retryCount = Numbers.toLong(argv[j]);
            } else if (Args.is(opt, "lastid") && more) {
                if ((lastId = StreamId.parseStrict(argv[++j], 0, null, out)) == null) {
                    return;
                }
            } else {
                out.error("ERR Unrecognized XCLAIM option '" + Errors.text(opt) + "'");
                return;
            }
        }
        boolean propagateLastId = false;
        if (lastId.compareTo(g.lastId) > 0) {
            g.lastId = lastId;
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now; // a client clock a little ahead is no reason to fail
            }
        } else {
            deliveryTime = now;
        }
        StreamConsumer consumer = g.consumer(argv[3]);
        if (consumer == null) {
            consumer = g.consumerOrCreate(argv[3], now);
            journal.append(StreamJournal.createConsumer(argv[1], argv[2], argv[3]));
            ks.notifier().notify(Notifier.STREAM, "xgroup-createconsumer", argv[1]);
        }
        consumer.seenTime = now;
        DeferredReply reply = new DeferredReply(out.protocol());
        int claimed = 0;
        for (StreamId id : ids) {
            StreamNack nack = g.pel.get(id);
            byte[][] fields = s.get(id);
            if (fields == null) {
                if (nack != null) {
                    journal.append(StreamJournal.claim(argv[1], argv[2], id, nack, g));
                    propagateLastId = false;
                    g.ack(id, nack);
                }
                continue;
            }
            if (force && nack == null) {
                nack = new StreamNack(null, now, 1); // streamCreateNACK counts one delivery
                g.pel.put(id, nack);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer != null && minIdle != 0 && now - nack.deliveryTime < minIdle) {
                continue;
            }
            if (nack.consumer != consumer && nack.consumer != null) {
                nack.consumer.pel.remove(id);
            }
            nack.deliveryTime = deliveryTime;
            if (retryCount >= 0) {
                nack.deliveryCount = retryCount;
            } else if (!justId) {
                nack.deliveryCount++;
            }
            if (nack.consumer != consumer) {
                consumer.pel.put(id, nack);
                nack.consumer = consumer;
            }
            if (justId) {
                reply.bulk(id.bytes());
            } else {
                StreamReplies.entry(reply, id, fields);
            }
            claimed++;
            consumer.activeTime = now;
            journal.append(StreamJournal.claim(argv[1], argv[2], id, nack, g));
            propagateLastId = false;
        }
        if (propagateLastId) {
            journal.append(StreamJournal.setId(argv[1], argv[2], g));
        }
        out.arrayHeader(claimed);
        reply.writeTo(out);
    }

    /** XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] */
    public void xautoclaim(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        if (!Numbers.isLong(argv[4])) {
            out.error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
            return;
        }
        long minIdle = Math.max(0, Numbers.toLong(argv[4]));
        StreamId start = StreamId.parseBound(argv[5], 0, true, out);
        if (start == null) {
            return;
        }
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < argv.length; j++) {
            boolean more = j < argv.length - 1;
            if (Args.is(argv[j], "count") && more) {
                long max = Long.MAX_VALUE / 16; // LONG_MAX / max(sizeof(streamID), attempts factor 10)
                if (!Numbers.isLong(argv[j + 1])) {
                    out.error("ERR COUNT must be > 0");
                    return;
                }
                count = Numbers.toLong(argv[j + 1]);
                if (count < 1 || count > max) {
                    out.error("ERR COUNT must be > 0");
                    return;
                }
                j++;
            } else if (Args.is(argv[j], "justid")) {
                justId = true;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        StreamValue s = e == null ? null : StreamCommands.stream(e);
        StreamGroup g = s == null ? null : s.group(argv[2]);
        if (g == null) {
            out.error(noGroup(argv[1], argv[2]));
            return;
        }
        long now = ks.now();
        StreamConsumer consumer = g.consumer(argv[3]);
        if (consumer == null) {
            consumer = g.consumerOrCreate(argv[3], now);
            journal.append(StreamJournal.createConsumer(argv[1], argv[2], argv[3]));
            ks.notifier().notify(Notifier.STREAM, "xgroup-createconsumer", argv[1]);
        }
        consumer.seenTime = now;
        long attempts = count * 10;
        DeferredReply claimed = new DeferredReply(out.protocol());
        int claimedCount = 0;
        List<StreamId> deleted = new ArrayList<>();
        StreamId cursor = start;
        StreamId next = StreamId.MIN;
        while (true) {
            Map.Entry<StreamId, StreamNack> p = g.pel.ceilingEntry(cursor);
            if (p == null) {
                next = StreamId.MIN;
                break;
            }
            if (attempts-- == 0 || count == 0) {
                next = p.getKey();
                break;
            }
            StreamId id = p.getKey();
            StreamNack nack = p.getValue();
            StreamId after = id.next();
            byte[][] fields = s.get(id);
            if (fields == null) {
                journal.append(StreamJournal.claim(argv[1], argv[2], id, nack, g));
                g.ack(id, nack);
                deleted.add(id);
                count--;
            } else if (minIdle == 0 || now - nack.deliveryTime >= minIdle) {
                if (nack.consumer != consumer) {
                    nack.consumer.pel.remove(id);
                    consumer.pel.put(id, nack);
                    nack.consumer = consumer;
                }
                nack.deliveryTime = now;
                if (!justId) {
                    nack.deliveryCount++;
                }
                if (justId) {
                    claimed.bulk(id.bytes());
                } else {
                    StreamReplies.entry(claimed, id, fields);
                }
                claimedCount++;
                count--;
                consumer.activeTime = now;
                journal.append(StreamJournal.claim(argv[1], argv[2], id, nack, g));
            }
            if (after == null) {
                next = StreamId.MIN;
                break;
            }
            cursor = after;
        }
        out.arrayHeader(3);
        out.bulk(next.bytes());
        out.arrayHeader(claimedCount);
        claimed.writeTo(out);
        out.arrayHeader(deleted.size());
        for (StreamId id : deleted) {
            out.bulk(id.bytes());
        }
    }
}
