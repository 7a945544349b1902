package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.TreeMap;

/**
 * XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP) and XACK as Redis 7.2's
 * xgroupCommand and xackCommand run them. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: each is logged as sent when it changed something, XGROUP CREATE's {@code $} turned
 * into the id it stood for.
 */
public final class StreamGroupCommands {
    private static final String[] HELP = {
        "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CREATE <key> <groupname> <id|$> [option]",
        "    Create a new consumer group. Options are:",
        "    * MKSTREAM",
        "      Create the empty stream if it does not exist.",
        "    * ENTRIESREAD entries_read",
        "      Set the group's entries_read counter (internal use).",
        "CREATECONSUMER <key> <groupname> <consumer>",
        "    Create a new consumer in the specified group.",
        "DELCONSUMER <key> <groupname> <consumer>",
        "    Remove the specified consumer.",
        "DESTROY <key> <groupname>",
        "    Remove the specified group.",
        "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
        "    Set the current group ID and entries_read counter.",
        "HELP",
        "    Prints this help.",
    };

    private final Keyspace ks;
    private final StreamCommands streams;

    StreamGroupCommands(Keyspace ks, StreamCommands streams) {
        this.ks = ks;
        this.streams = streams;
    }

    /** Redis' per-subcommand arity (commands/xgroup-*.json), or 0 for an unknown subcommand. */
    private static int arity(byte[] sub) {
        return Args.is(sub, "create") || Args.is(sub, "setid") ? -5
                : Args.is(sub, "destroy") ? 4
                : Args.is(sub, "createconsumer") || Args.is(sub, "delconsumer") ? 5
                : Args.is(sub, "help") ? 2 : 0;
    }

    static boolean arityFits(int arity, int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    public void xgroup(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        byte[] sub = argv[1];
        int arity = arity(sub);
        if (arity == 0) {
            out.error(Errors.unknownSubcommand("xgroup", sub));
            return;
        }
        if (!arityFits(arity, argv.length)) {
            out.error(Errors.wrongArity("xgroup|" + Errors.text(sub).toLowerCase(java.util.Locale.ROOT)));
            return;
        }
        if (Args.is(sub, "help")) {
            out.arrayHeader(HELP.length);
            for (String line : HELP) {
                out.simple(line);
            }
            return;
        }
        boolean create = Args.is(sub, "create");
        boolean setid = Args.is(sub, "setid");
        boolean mkstream = false;
        long entriesRead = StreamValue.INVALID_READ;
        for (int i = 5; i < argv.length; ) {
            if (create && Args.is(argv[i], "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && Args.is(argv[i], "entriesread") && i + 1 < argv.length) {
                if (!Numbers.isLong(argv[i + 1])) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                entriesRead = Numbers.toLong(argv[i + 1]);
                if (entriesRead < 0 && entriesRead != StreamValue.INVALID_READ) {
                    out.error("ERR value for ENTRIESREAD must be positive or -1");
                    return;
                }
                i += 2;
            } else {
                out.error(subcommandSyntax(sub));
                return;
            }
        }
        Bytes key = new Bytes(argv[2]);
        Entry e = ks.lookup(key, ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        StreamValue s = e == null ? null : StreamCommands.stream(e);
        byte[] name = argv[3];
        StreamGroup g = null;
        if (!mkstream) {
            if (s == null) {
                out.error("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use "
                        + "the MKSTREAM option to create an empty stream automatically.");
                return;
            }
            g = s.group(name);
            if (g == null && !create && !Args.is(sub, "destroy")) {
                out.error("NOGROUP No such consumer group '" + Errors.text(name) + "' for key name '" + Errors.text(argv[2]) + "'");
                return;
            }
        }
        long now = ks.now();
        if (create && argv.length <= 8) {
            StreamId id;
            if (argv[4].length == 1 && argv[4][0] == '$') {
                id = s == null ? StreamId.MIN : s.lastId;
            } else if ((id = StreamId.parseStrict(argv[4], 0, null, out)) == null) {
                return;
            }
            if (s == null) {
                s = new StreamValue();
                ks.add(key, ValueType.STREAM, s);
            }
            if (s.groups == null) {
                s.groups = new TreeMap<>();
            }
            Bytes groupName = new Bytes(name);
            if (s.groups.containsKey(groupName)) {
                out.error("BUSYGROUP Consumer Group name already exists"); // never for a stream MKSTREAM just made
                return;
            }
            s.groups.put(groupName, new StreamGroup(id, entriesRead));
            out.simple("OK");
            byte[][] logged = argv.clone();
            logged[4] = id.bytes();
            journal.append(logged);
            ks.notifier().notify(Notifier.STREAM, "xgroup-create", argv[2]);
        } else if (setid && (argv.length == 5 || argv.length == 7)) {
            StreamId id;
            if (argv[4].length == 1 && argv[4][0] == '$') {
                id = s.lastId;
            } else if ((id = StreamId.parse(argv[4], 0, out)) == null) {
                return;
            }
            g.lastId = id;
            g.entriesRead = entriesRead;
            out.simple("OK");
            byte[][] logged = argv.clone();
            logged[4] = id.bytes();
            journal.append(logged);
            ks.notifier().notify(Notifier.STREAM, "xgroup-setid", argv[2]);
        } else if (Args.is(sub, "destroy") && argv.length == 4) {
            if (g != null) {
                s.groups.remove(new Bytes(name));
                out.integer(1);
                journal.append(argv);
                ks.notifier().notify(Notifier.STREAM, "xgroup-destroy", argv[2]);
                streams.signal(argv[2]); // blocked XREADGROUPs on it get their NOGROUP error now
            } else {
                out.integer(0);
            }
        } else if (Args.is(sub, "createconsumer") && argv.length == 5) {
            boolean created = g.consumer(argv[4]) == null;
            if (created) {
                g.consumerOrCreate(argv[4], now);
                journal.append(argv);
                ks.notifier().notify(Notifier.STREAM, "xgroup-createconsumer", argv[2]);
            }
            out.integer(created ? 1 : 0);
        } else if (Args.is(sub, "delconsumer") && argv.length == 5) {
            StreamConsumer c = g.consumer(argv[4]);
            long pending = 0;
            if (c != null) {
                pending = g.deleteConsumer(c);
                journal.append(argv);
                ks.notifier().notify(Notifier.STREAM, "xgroup-delconsumer", argv[2]);
            }
            out.integer(pending);
        } else {
            out.error(subcommandSyntax(sub));
        }
    }

    static String subcommandSyntax(byte[] sub) {
        String text = Errors.text(sub);
        return "ERR unknown subcommand or wrong number of arguments for '" + text.substring(0, Math.min(128, text.length()))
                + "'. Try XGROUP HELP.";
    }

    /** XACK key group id [id ...] */
    public void xack(Argv args, ReplySink out, Journal journal) {
        byte[][] argv = args.toArray(); // streams keep most arguments they read
        Entry e = ks.lookup(new Bytes(argv[1]), ValueType.STREAM, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        StreamGroup g = e == null ? null : StreamCommands.stream(e).group(argv[2]);
        if (g == null) {
            out.integer(0);
            return;
        }
        StreamId[] ids = new StreamId[argv.length - 3];
        for (int j = 3; j < argv.length; j++) {
            if ((ids[j - 3] = StreamId.parseStrict(argv[j], 0, null, out)) == null) {
                return;
            }
        }
        int acked = 0;
        for (StreamId id : ids) {
            StreamNack nack = g.pel.get(id);
            if (nack != null) {
                g.ack(id, nack);
                acked++;
            }
        }
        out.integer(acked);
        if (acked > 0) {
            journal.append(argv);
        }
    }
}
