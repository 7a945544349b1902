package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * XREAD and XREADGROUP as Redis 7.2's xreadCommand runs them, without waiting: what can be served is
 * served; with BLOCK and nothing to serve the reply is the null array (Redis' answer when blocking is
 * not allowed) and {@link #takeBlock()} tells a caller that can wait what to wait for. Owned by one
 * shard; not thread-safe.
 *
 * <p>Also {@code +} as an XREAD id (the last entry), which Redis added in 7.4; 7.2 rejects it as an
 * invalid id. Journal forms: each entry a group delivers as {@code XCLAIM key group consumer 0 id TIME t
 * RETRYCOUNT n FORCE JUSTID LASTID last}, then {@code XGROUP SETID key group last ENTRIESREAD n}, and a
 * consumer it creates as {@code XGROUP CREATECONSUMER}, as Redis propagates them; history re-deliveries
 * are logged as XCLAIMs too (Redis does not log them, so their counts did not survive its restarts).
 */
public final class StreamReadCommands {
    private final Keyspace ks;
    private BlockRequest block;

    StreamReadCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** The wait the last command asked for, or null; cleared by the call. */
    public BlockRequest takeBlock() {
        BlockRequest b = block;
        block = null;
        return b;
    }

    public void xread(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        read(argv, false, out, journal);
    }

    public void xreadgroup(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        read(argv, true, out, journal);
    }

    private void read(byte[][] argv, boolean grouped, ReplySink out, Journal journal) {
        block = null;
        long timeout = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        boolean noack = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        for (int i = 1; i < argv.length; i++) {
            int more = argv.length - i - 1;
            byte[] o = argv[i];
            if (Args.is(o, "block") && more > 0) {
                i++;
                if (!Numbers.isLong(argv[i])) {
                    out.error("ERR timeout is not an integer or out of range");
                    return;
                }
                timeout = Numbers.toLong(argv[i]);
                if (timeout < 0) {
                    out.error("ERR timeout is negative");
                    return;
                }
                if (timeout > 0 && timeout > Long.MAX_VALUE - ks.now()) {
                    out.error("ERR timeout is out of range");
                    return;
                }
            } else if (Args.is(o, "count") && more > 0) {
                i++;
                if (!Numbers.isLong(argv[i])) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                count = Math.max(0, Numbers.toLong(argv[i]));
            } else if (Args.is(o, "streams") && more > 0) {
                streamsArg = i + 1;
                streams = argv.length - streamsArg;
                if (streams % 2 != 0) {
                    out.error("ERR Unbalanced '" + (grouped ? "xreadgroup" : "xread")
                            + "' list of streams: for each stream key an ID or '" + (grouped ? '>' : '$') + "' must be specified.");
                    return;
                }
                streams /= 2;
                break;
            } else if (Args.is(o, "group") && more >= 2) {
                if (!grouped) {
                    out.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                    return;
                }
                groupName = argv[i + 1];
                consumerName = argv[i + 2];
                i += 2;
            } else if (Args.is(o, "noack")) {
                if (!grouped) {
                    out.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                    return;
                }
                noack = true;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        if (streamsArg == 0) {
            out.error(Errors.SYNTAX);
            return;
        }
        if (grouped && groupName == null) {
            out.error("ERR Missing GROUP option for XREADGROUP");
            return;
        }
        StreamId[] ids = new StreamId[streams];
        boolean[] newOnly = new boolean[streams];
        StreamGroup[] groups = new StreamGroup[streams];
        byte[][] retry = null;
        for (int k = 0; k < streams; k++) {
            byte[] key = argv[streamsArg + k];
            byte[] idArg = argv[streamsArg + streams + k];
            Entry e = ks.lookup(new Bytes(key), ValueType.STREAM, out);
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
            StreamValue s = e == null ? null : StreamCommands.stream(e);
            if (groupName != null) {
                groups[k] = s == null ? null : s.group(groupName);
                if (groups[k] == null) {
                    out.error("NOGROUP No such key '" + Errors.text(key) + "' or consumer group '" + Errors.text(groupName)
                            + "' in XREADGROUP with GROUP option");
                    return;
                }
            }
            if (idArg.length == 1 && (idArg[0] == '$' || idArg[0] == '+')) {
                if (grouped) {
                    char c = (char) idArg[0];
                    out.error("ERR The " + c + " ID is meaningless in the context of XREADGROUP: you want to read the history of "
                            + "this consumer by specifying a proper ID, or use the > ID to get new messages. The " + c
                            + " ID would just return an empty result set.");
                    return;
                }
                if (idArg[0] == '$') {
                    ids[k] = s == null ? StreamId.MIN : s.lastId;
                    if (retry == null) {
                        retry = argv.clone();
                    }
                    retry[streamsArg + streams + k] = ids[k].bytes();
                } else {
                    ids[k] = s == null || s.length == 0 ? StreamId.MIN : s.lastValidId().previous();
                }
                continue;
            }
            if (idArg.length == 1 && idArg[0] == '>') {
                if (!grouped) {
                    out.error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
                    return;
                }
                newOnly[k] = true;
                ids[k] = StreamId.MAX;
                continue;
            }
            ids[k] = StreamId.parseStrict(idArg, 0, null, out);
            if (ids[k] == null) {
                return;
            }
        }
        long served = 0;
        long now = ks.now();
        ReplySink top = out;
        DeferredReply deferred = streams > 1 ? new DeferredReply(out.protocol()) : null;
        if (deferred != null) {
            out = deferred;
        }
        for (int k = 0; k < streams; k++) {
            byte[] key = argv[streamsArg + k];
            Entry e = ks.lookup(new Bytes(key));
            if (e == null) {
                continue;
            }
            StreamValue s = StreamCommands.stream(e);
            StreamId gt = ids[k];
            boolean serve = false;
            boolean history = false;
            StreamConsumer consumer = null;
            if (groupName != null) {
                if (!newOnly[k]) {
                    serve = true;
                    history = true;
                } else if (s.length > 0 && s.lastValidId().compareTo(groups[k].lastId) > 0) {
                    serve = true;
                    gt = groups[k].lastId;
                }
                consumer = groups[k].consumer(consumerName);
                if (consumer == null) {
                    consumer = groups[k].consumerOrCreate(consumerName, now);
                    journal.append(StreamJournal.createConsumer(key, groupName, consumerName));
                    ks.notifier().notify(Notifier.STREAM, "xgroup-createconsumer", key);
                }
                consumer.seenTime = now;
            } else if (s.length > 0 && s.lastValidId().compareTo(gt) > 0) {
                serve = true;
            }
            if (!serve) {
                continue;
            }
            if (served++ == 0 && deferred == null) {
                startReply(out, 1);
            }
            if (out.protocol() == 2) {
                out.arrayHeader(2);
            }
            out.bulk(key);
            StreamId start = gt.next();
            if (start == null) {
                out.arrayHeader(0);
            } else if (groupName == null) {
                StreamReplies.range(out, s, start, StreamId.MAX, count, false);
            } else if (history) {
                StreamGroupReads.history(out, s, groups[k], consumer, start, count, now, key, groupName, journal);
            } else {
                StreamGroupReads.deliver(out, s, groups[k], consumer, start, count, noack, now, key, groupName, journal);
            }
        }
        out = top;
        if (served > 0) {
            if (deferred != null) {
                startReply(out, (int) served);
                deferred.writeTo(out);
            }
            return;
        }
        if (timeout != -1) {
            byte[][] keys = new byte[streams][];
            System.arraycopy(argv, streamsArg, keys, 0, streams);
            block = new BlockRequest(keys, timeout, retry == null ? argv : retry, grouped);
        }
        out.nullArray();
    }

    private static void startReply(ReplySink out, int n) {
        if (out.protocol() == 2) {
            out.arrayHeader(n);
        } else {
            out.mapHeader(n);
        }
    }
}
