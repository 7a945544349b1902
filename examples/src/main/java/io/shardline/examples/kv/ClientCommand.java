package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.nio.charset.StandardCharsets;

/** CLIENT ID, SETNAME, GETNAME, SETINFO, INFO, LIST, HELP. Stateless; on the connection's shard. */
final class ClientCommand {
    static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

    private ClientCommand() {
    }

    /**
     * CLIENT as the table runs it: UNBLOCK answers once the blocked client's shard has, every other
     * subcommand at once, on this connection.
     */
    static Future<byte[]> run(KvConnection c, Argv argv) {
        if (argv.equalsIgnoreCase(1, "unblock")) {
            return ClientUnblock.run(c, argv);
        }
        RespWriter out = RespWriter.forReply(c.protocol);
        run(c, argv, out);
        return Future.succeeded(out.toByteArray());
    }

    private static void run(KvConnection c, Argv argv, RespWriter out) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        switch (sub) {
            case "id" -> {
                if (arity(argv, 2, "id", out)) {
                    out.integer(c.id);
                }
            }
            case "setname" -> {
                if (arity(argv, 3, "setname", out)) {
                    String name = new String(argv.bytes(2), StandardCharsets.UTF_8);
                    if (!validName(name)) {
                        out.error(BAD_NAME);
                    } else {
                        c.name = name.isEmpty() ? null : name;
                        out.simple("OK");
                    }
                }
            }
            case "getname" -> {
                if (arity(argv, 2, "getname", out)) {
                    if (c.name == null) {
                        out.nullBulk();
                    } else {
                        out.bulk(c.name);
                    }
                }
            }
            case "setinfo" -> {
                if (arity(argv, 4, "setinfo", out)) {
                    String attr = ConnectionCommands.lower(argv.bytes(2));
                    if (!attr.equals("lib-name") && !attr.equals("lib-ver")) {
                        out.error("ERR Unrecognized option '" + Errors.text(argv.bytes(2)) + "'");
                    } else {
                        out.simple("OK");
                    }
                }
            }
            case "info" -> {
                if (arity(argv, 2, "info", out)) {
                    out.bulk(describe(c) + "\n");
                }
            }
            case "list" -> out.bulk(describe(c) + "\n");
            case "help" -> {
                out.arrayHeader(5);
                out.simple("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
                out.simple("ID, GETNAME, SETNAME <name>, SETINFO <LIB-NAME|LIB-VER> <value>, INFO, LIST");
                out.simple("    As Redis, for this connection.");
                out.simple("HELP");
                out.simple("    Print this help.");
            }
            default -> out.error(Errors.unknownSubcommand("client", argv.bytes(1)));
        }
    }

    static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }

    private static String describe(KvConnection c) {
        // multi= and watch= as Redis 7.2: commands queued (-1 outside MULTI) and keys WATCHed
        return "id=" + c.id + " name=" + (c.name == null ? "" : c.name) + " db=" + c.db
                + " multi=" + (TransactionCommands.open(c) ? c.tx.queued.size() : -1)
                + " watch=" + (c.tx == null ? 0 : c.tx.watched.size()) + " resp=" + c.protocol + " shard=" + c.shard().id();
    }

    private static boolean arity(Argv argv, int n, String sub, RespWriter out) {
        if (argv.count() != n) {
            out.error("ERR wrong number of arguments for 'client|" + sub + "' command");
            return false;
        }
        return true;
    }
}
