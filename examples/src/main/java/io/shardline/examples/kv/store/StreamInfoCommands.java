package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.Map;

/**
 * XINFO STREAM [FULL [COUNT n]], GROUPS, CONSUMERS and HELP with Redis 7.2's fields. Owned by one shard;
 * not thread-safe.
 *
 * <p>One difference on purpose: {@code radix-tree-keys} is the number of nodes here (as in Redis, where
 * each node is a key of the tree) but {@code radix-tree-nodes} is that plus one, a plausible count of
 * a radix tree this server does not have.
 */
public final class StreamInfoCommands {
    private static final String[] HELP = {
        "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CONSUMERS <key> <groupname>",
        "    Show consumers of <groupname>.",
        "GROUPS <key>",
        "    Show the stream consumer groups.",
        "STREAM <key> [FULL [COUNT <count>]",
        "    Show information about the stream.",
        "HELP",
        "    Prints this help.",
    };

    private final Keyspace ks;

    StreamInfoCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void xinfo(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        byte[] sub = argv[1];
        int arity = Args.is(sub, "stream") ? -3 : Args.is(sub, "groups") ? 3 : Args.is(sub, "consumers") ? 4
                : Args.is(sub, "help") ? 2 : 0;
        if (arity == 0) {
            out.error(Errors.unknownSubcommand("xinfo", sub));
            return;
        }
        if (!StreamGroupCommands.arityFits(arity, argv.length)) {
            out.error(Errors.wrongArity("xinfo|" + Errors.text(sub).toLowerCase(java.util.Locale.ROOT)));
            return;
        }
        if (arity == 2) {
            out.arrayHeader(HELP.length);
            for (String line : HELP) {
                out.simple(line);
            }
            return;
        }
        Entry e = ks.lookup(new Bytes(argv[2]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.error(Errors.NO_SUCH_KEY);
            return;
        }
        StreamValue s = StreamCommands.stream(e);
        long now = ks.now();
        if (arity == 4) {
            StreamGroup g = s.group(argv[3]);
            if (g == null) {
                out.error("NOGROUP No such consumer group '" + Errors.text(argv[3]) + "' for key name '" + Errors.text(argv[2]) + "'");
                return;
            }
            out.arrayHeader(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                out.mapHeader(4);
                out.bulk("name").bulk(c.name.bytes);
                out.bulk("pending").integer(c.pel.size());
                out.bulk("idle").integer(Math.max(0, now - c.seenTime));
                out.bulk("inactive").integer(c.activeTime != -1 ? now - c.activeTime : -1);
            }
        } else if (arity == 3) {
            out.arrayHeader(s.groupCount());
            if (s.groups != null) {
                for (Map.Entry<Bytes, StreamGroup> ge : s.groups.entrySet()) {
                    StreamGroup g = ge.getValue();
                    out.mapHeader(6);
                    out.bulk("name").bulk(ge.getKey().bytes);
                    out.bulk("consumers").integer(g.consumers.size());
                    out.bulk("pending").integer(g.pel.size());
                    out.bulk("last-delivered-id").bulk(g.lastId.bytes());
                    entriesRead(out.bulk("entries-read"), g);
                    lag(out.bulk("lag"), s, g);
                }
            }
        } else {
            stream(argv, s, out);
        }
    }

    private static void entriesRead(ReplySink out, StreamGroup g) {
        if (g.entriesRead != StreamValue.INVALID_READ) {
            out.integer(g.entriesRead);
        } else {
            out.nullBulk();
        }
    }

    private static void lag(ReplySink out, StreamValue s, StreamGroup g) {
        Long lag = s.lag(g);
        if (lag != null) {
            out.integer(lag);
        } else {
            out.nullBulk();
        }
    }

    private void stream(byte[][] argv, StreamValue s, ReplySink out) {
        int optc = argv.length - 3;
        long count = 10;
        if (optc != 0) {
            if ((optc != 1 && optc != 3) || !Args.is(argv[3], "full") || (optc == 3 && !Args.is(argv[4], "count"))) {
                out.error("ERR unknown subcommand or wrong number of arguments for '" + Errors.text(argv[1]) + "'. Try XINFO HELP.");
                return;
            }
            if (optc == 3) {
                if (!Numbers.isLong(argv[5])) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                count = Numbers.toLong(argv[5]);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        boolean full = optc != 0;
        out.mapHeader(full ? 9 : 10);
        out.bulk("length").integer(s.length);
        out.bulk("radix-tree-keys").integer(s.nodes.size());
        out.bulk("radix-tree-nodes").integer(s.nodes.size() + 1);
        out.bulk("last-generated-id").bulk(s.lastId.bytes());
        out.bulk("max-deleted-entry-id").bulk(s.maxDeletedId.bytes());
        out.bulk("entries-added").integer(s.entriesAdded);
        out.bulk("recorded-first-entry-id").bulk(s.firstId.bytes());
        if (!full) {
            out.bulk("groups").integer(s.groupCount());
            edge(out.bulk("first-entry"), s, false);
            edge(out.bulk("last-entry"), s, true);
            return;
        }
        out.bulk("entries");
        StreamReplies.range(out, s, StreamId.MIN, StreamId.MAX, count, false);
        out.bulk("groups");
        out.arrayHeader(s.groupCount());
        if (s.groups == null) {
            return;
        }
        for (Map.Entry<Bytes, StreamGroup> ge : s.groups.entrySet()) {
            StreamGroup g = ge.getValue();
            out.mapHeader(7);
            out.bulk("name").bulk(ge.getKey().bytes);
            out.bulk("last-delivered-id").bulk(g.lastId.bytes());
            entriesRead(out.bulk("entries-read"), g);
            lag(out.bulk("lag"), s, g);
            out.bulk("pel-count").integer(g.pel.size());
            out.bulk("pending");
            int n = (int) (count == 0 ? g.pel.size() : Math.min(count, g.pel.size()));
            out.arrayHeader(n);
            int i = 0;
            for (Map.Entry<StreamId, StreamNack> p : g.pel.entrySet()) {
                if (i++ == n) {
                    break;
                }
                out.arrayHeader(4);
                out.bulk(p.getKey().bytes());
                out.bulk(p.getValue().consumer.name.bytes);
                out.integer(p.getValue().deliveryTime);
                out.integer(p.getValue().deliveryCount);
            }
            out.bulk("consumers");
            out.arrayHeader(g.consumers.size());
            for (StreamConsumer c : g.consumers.values()) {
                out.mapHeader(5);
                out.bulk("name").bulk(c.name.bytes);
                out.bulk("seen-time").integer(c.seenTime);
                out.bulk("active-time").integer(c.activeTime);
                out.bulk("pel-count").integer(c.pel.size());
                out.bulk("pending");
                int m = (int) (count == 0 ? c.pel.size() : Math.min(count, c.pel.size()));
                out.arrayHeader(m);
                int k = 0;
                for (Map.Entry<StreamId, StreamNack> p : c.pel.entrySet()) {
                    if (k++ == m) {
                        break;
                    }
                    out.arrayHeader(3);
                    out.bulk(p.getKey().bytes());
                    out.integer(p.getValue().deliveryTime);
                    out.integer(p.getValue().deliveryCount);
                }
            }
        }
    }

    private static void edge(ReplySink out, StreamValue s, boolean last) {
        boolean[] found = {false};
        s.range(StreamId.MIN, StreamId.MAX, last, (id, f) -> {
            StreamReplies.entry(out, id, f);
            found[0] = true;
            return false;
        });
        if (!found[0]) {
            out.nullBulk();
        }
    }
}
