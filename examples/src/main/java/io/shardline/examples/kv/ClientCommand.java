package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT and its subcommands as Redis 7.2 answers them: ID, SETNAME, GETNAME, SETINFO, INFO, LIST
 * (every shard's clients, gathered over the mesh), KILL ({@link ClientKill}), UNBLOCK
 * ({@link ClientUnblock}), REPLY, NO-EVICT, NO-TOUCH, PAUSE and UNPAUSE (on every shard), GETREDIR,
 * TRACKINGINFO and HELP. Stateless; called on the connection's shard.
 */
final class ClientCommand {
    static final String BAD_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";

    private ClientCommand() {
    }

    /** CLIENT as the table runs it: what involves other shards answers once they have, the rest at once. */
    static Future<byte[]> run(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        switch (sub) {
            case "unblock" -> {
                return ClientUnblock.run(c, argv);
            }
            case "kill" -> {
                return ClientKill.run(c, argv);
            }
            case "list" -> {
                return list(c, argv);
            }
            case "pause" -> {
                return pause(c, argv);
            }
            case "unpause" -> {
                if (argv.count() != 2) {
                    return Dispatcher.error(arity("unpause"));
                }
                KvServer server = c.server;
                return EveryShard.call(c.shard(), () -> {
                    server.shards().local().clients.pause().unpause();
                    return null;
                }).map(done -> ok());
            }
            default -> {
                RespWriter out = RespWriter.forReply(c.protocol);
                local(c, sub, argv, out);
                return Future.succeeded(out.toByteArray());
            }
        }
    }

    private static void local(KvConnection c, String sub, Argv argv, RespWriter out) {
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
                    setinfo(c, argv, out);
                }
            }
            case "info" -> {
                if (arity(argv, 2, "info", out)) {
                    out.bulk(ClientInfo.line(c, c.server.config().clock().getAsLong(), argvBytes(argv)) + "\n");
                }
            }
            case "reply" -> {
                if (arity(argv, 3, "reply", out)) {
                    String mode = ConnectionCommands.lower(argv.bytes(2));
                    switch (mode) {
                        case "on" -> {
                            c.replyOff = false;
                            c.skipNext = false;
                            out.simple("OK");
                        }
                        case "off" -> c.replyOff = true; // no reply, as Redis
                        case "skip" -> c.skipNext = !c.replyOff;
                        default -> out.error(Errors.SYNTAX);
                    }
                }
            }
            case "no-evict", "no-touch" -> {
                if (arity(argv, 3, sub, out)) {
                    String v = ConnectionCommands.lower(argv.bytes(2));
                    if (!v.equals("on") && !v.equals("off")) {
                        out.error(Errors.SYNTAX);
                    } else {
                        if (sub.equals("no-evict")) {
                            c.noEvict = v.equals("on");
                        } else {
                            c.noTouch = v.equals("on");
                        }
                        out.simple("OK");
                    }
                }
            }
            case "getredir" -> {
                if (arity(argv, 2, "getredir", out)) {
                    out.integer(-1); // tracking is off
                }
            }
            case "trackinginfo" -> {
                if (arity(argv, 2, "trackinginfo", out)) {
                    out.mapHeader(3);
                    out.bulk("flags");
                    out.arrayHeader(1);
                    out.bulk("off");
                    out.bulk("redirect");
                    out.integer(-1);
                    out.bulk("prefixes");
                    out.arrayHeader(0);
                }
            }
            case "help" -> {
                if (arity(argv, 2, "help", out)) {
                    out.arrayHeader(HELP.length);
                    for (String line : HELP) {
                        out.simple(line);
                    }
                }
            }
            default -> out.error(Errors.unknownSubcommand("client", argv.bytes(1)));
        }
    }

    /** CLIENT SETINFO LIB-NAME|LIB-VER value, with networking.c's checks and texts. */
    private static void setinfo(KvConnection c, Argv argv, RespWriter out) {
        String attr = argv.string(2);
        String lower = attr.toLowerCase(Locale.ROOT);
        if (!lower.equals("lib-name") && !lower.equals("lib-ver")) {
            out.error("ERR Unrecognized option '" + attr + "'");
            return;
        }
        String value = new String(argv.bytes(3), StandardCharsets.UTF_8);
        if (!validName(value)) {
            out.error("ERR " + attr + " cannot contain spaces, newlines or special characters.");
            return;
        }
        String v = value.isEmpty() ? null : value;
        if (lower.equals("lib-name")) {
            c.libName = v;
        } else {
            c.libVer = v;
        }
        out.simple("OK");
    }

    /** CLIENT LIST [TYPE type] [ID id ...]: every shard's matching clients, by id. */
    private static Future<byte[]> list(KvConnection c, Argv argv) {
        String type = null;
        List<Long> ids = null;
        if (argv.count() == 4 && argv.equalsIgnoreCase(2, "type")) {
            type = typeName(argv.string(3));
            if (type == null) {
                return Dispatcher.error("ERR Unknown client type '" + argv.string(3) + "'");
            }
        } else if (argv.count() > 3 && argv.equalsIgnoreCase(2, "id")) {
            ids = new ArrayList<>();
            for (int i = 3; i < argv.count(); i++) {
                Long id = ConnectionCommands.parseLong(argv.bytes(i));
                if (id == null) {
                    return Dispatcher.error("ERR Invalid client ID");
                }
                ids.add(id);
            }
        } else if (argv.count() != 2) {
            return Dispatcher.error(Errors.SYNTAX);
        }
        String onlyType = type;
        List<Long> onlyIds = ids;
        long self = c.id;
        long selfArgv = argvBytes(argv);
        KvServer server = c.server;
        return EveryShard.call(c.shard(), () -> {
            long now = server.config().clock().getAsLong();
            List<Object[]> lines = new ArrayList<>();
            for (KvConnection other : server.shards().local().clients.all()) {
                if ((onlyType == null || typeOf(other).equals(onlyType)) && (onlyIds == null || onlyIds.contains(other.id))) {
                    lines.add(new Object[] {other.id, ClientInfo.line(other, now, other.id == self ? selfArgv : 0)});
                }
            }
            return lines;
        }).map(parts -> {
            List<Object[]> all = new ArrayList<>();
            parts.forEach(all::addAll);
            if (onlyIds != null) { // in the order the ids were given, as Redis looks each up
                all.sort(Comparator.comparingInt(l -> onlyIds.indexOf((Long) l[0])));
            } else {
                all.sort(Comparator.comparingLong(l -> (Long) l[0]));
            }
            StringBuilder b = new StringBuilder();
            for (Object[] l : all) {
                b.append((String) l[1]).append('\n');
            }
            return RespWriter.forReply(2).bulk(b.toString()).toByteArray();
        });
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]: every shard holds the commands it covers until the timeout. */
    private static Future<byte[]> pause(KvConnection c, Argv argv) {
        if (argv.count() != 3 && argv.count() != 4) {
            return Dispatcher.error(arity("pause"));
        }
        boolean all = true;
        if (argv.count() == 4) {
            if (argv.equalsIgnoreCase(3, "write")) {
                all = false;
            } else if (!argv.equalsIgnoreCase(3, "all")) {
                return Dispatcher.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        Long millis = ConnectionCommands.parseLong(argv.bytes(2));
        if (millis == null) {
            return Dispatcher.error("ERR timeout is not an integer or out of range");
        }
        if (millis < 0) {
            return Dispatcher.error("ERR timeout is negative");
        }
        boolean everything = all;
        KvServer server = c.server;
        long now = System.currentTimeMillis();
        long end = millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
        return EveryShard.call(c.shard(), () -> {
            server.shards().local().clients.pause().pause(end, everything, System.currentTimeMillis());
            return null;
        }).map(done -> ok());
    }

    /** Redis' client type of a connection here: pubsub while subscribed, else normal. */
    static String typeOf(KvConnection c) {
        return c.subscriptionsIfAny() != null && c.subscriptionsIfAny().any() ? "pubsub" : "normal";
    }

    /** getClientTypeByName: the class named (replica is slave), or null. */
    static String typeName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "normal" -> "normal";
            case "slave", "replica" -> "slave";
            case "pubsub" -> "pubsub";
            case "master" -> "master";
            default -> null;
        };
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

    private static long argvBytes(Argv argv) {
        long n = 0;
        for (int i = 0; i < argv.count(); i++) {
            n += argv.length(i);
        }
        return n;
    }

    private static byte[] ok() {
        return RespWriter.forReply(2).simple("OK").toByteArray();
    }

    private static String arity(String sub) {
        return "ERR wrong number of arguments for 'client|" + sub + "' command";
    }

    private static boolean arity(Argv argv, int n, String sub, RespWriter out) {
        if (argv.count() != n) {
            out.error(arity(sub));
            return false;
        }
        return true;
    }

    /** networking.c's CLIENT HELP (7.2), replied as status strings. */
    private static final String[] HELP = {
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "    * ID <client-id>",
        "      Kill connections by client id.",
        "    * MAXAGE <maxage>",
        "      Kill connections older than the specified age.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        "HELP",
        "    Prints this help.",
    };
}
