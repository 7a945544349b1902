package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The commands a connection answers itself: PING, ECHO, QUIT, SELECT, AUTH and HELLO (CLIENT, COMMAND
 * and CONFIG have classes of their own). Stateless; runs on the connection's shard and may change the
 * connection's state.
 */
final class ConnectionCommands {
    static final String VERSION = "7.2.4";

    private ConnectionCommands() {
    }

    static void ping(KvConnection c, Argv argv, RespWriter out) {
        if (argv.count() > 2) {
            out.error(Errors.wrongArity("ping"));
        } else if (c.subscribedResp2()) {
            out.arrayHeader(2); // as Redis answers PING in RESP2's subscribed mode
            out.bulk("pong");
            if (argv.count() == 2) {
                argv.writeBulk(1, out);
            } else {
                out.bulk("");
            }
        } else if (argv.count() == 2) {
            argv.writeBulk(1, out);
        } else {
            out.simple("PONG");
        }
    }

    static void echo(KvConnection c, Argv argv, RespWriter out) {
        argv.writeBulk(1, out);
    }

    static void quit(KvConnection c, Argv argv, RespWriter out) {
        out.simple("OK");
        c.quitAfterReply();
    }

    static void select(KvConnection c, Argv argv, RespWriter out) {
        Long db = parseLong(argv.bytes(1));
        if (db == null) {
            out.error(Errors.NOT_INTEGER);
        } else if (db > Integer.MAX_VALUE || db < Integer.MIN_VALUE) {
            out.error(Errors.INT_RANGE);
        } else if (db != 0 && c.server.cluster() != null) {
            out.error("ERR SELECT is not allowed in cluster mode");
        } else if (db < 0 || db >= c.server.config().databases()) {
            out.error(Errors.DB_RANGE);
        } else {
            c.db = db.intValue(); // the key commands after it carry it to their shards
            out.simple("OK");
        }
    }

    static void auth(KvConnection c, Argv argv, RespWriter out) {
        if (argv.count() > 3) {
            out.error(Errors.SYNTAX);
            return;
        }
        String pass = c.server.config().requirePass();
        if (pass == null && argv.count() == 2) {
            out.error(Errors.NO_PASSWORD);
            return;
        }
        byte[] user = argv.count() == 3 ? argv.bytes(1) : "default".getBytes(StandardCharsets.US_ASCII);
        if (checkPassword(c, user, argv.bytes(argv.count() - 1))) {
            out.simple("OK");
        } else {
            out.error(Errors.WRONGPASS);
        }
    }

    /** The default user is the only user; without a configured password it takes any (Redis' nopass). */
    private static boolean checkPassword(KvConnection c, byte[] user, byte[] given) {
        String pass = c.server.config().requirePass();
        boolean ok = new String(user, StandardCharsets.UTF_8).equals("default")
                && (pass == null || java.security.MessageDigest.isEqual(pass.getBytes(StandardCharsets.UTF_8), given));
        if (ok) {
            c.authenticated();
        }
        return ok;
    }

    static void hello(KvConnection c, Argv argv, RespWriter out) {
        int protocol = c.protocol;
        if (argv.count() >= 2) {
            Long v = parseLong(argv.bytes(1));
            if (v == null) {
                out.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (v < 2 || v > 3) {
                out.error(Errors.NOPROTO);
                return;
            }
            protocol = v.intValue();
        }
        String setName = null;
        for (int i = 2; i < argv.count(); i++) {
            String opt = new String(argv.bytes(i), StandardCharsets.UTF_8);
            int left = argv.count() - i - 1;
            if (opt.equalsIgnoreCase("AUTH") && left >= 2) {
                if (!checkPassword(c, argv.bytes(i + 1), argv.bytes(i + 2))) {
                    out.error(Errors.WRONGPASS);
                    return;
                }
                i += 2;
            } else if (opt.equalsIgnoreCase("SETNAME") && left >= 1) {
                setName = new String(argv.bytes(i + 1), StandardCharsets.UTF_8);
                if (!ClientCommand.validName(setName)) {
                    out.error(ClientCommand.BAD_NAME);
                    return;
                }
                i += 1;
            } else {
                out.error("ERR Syntax error in HELLO option '" + Errors.text(argv.bytes(i)) + "'");
                return;
            }
        }
        if (!c.authenticated) {
            out.error(Errors.HELLO_NOAUTH);
            return;
        }
        if (setName != null) {
            c.name = setName.isEmpty() ? null : setName;
        }
        c.protocol = protocol;
        out.protocol(protocol);
        out.mapHeader(7);
        out.bulk("server");
        out.bulk("redis");
        out.bulk("version");
        out.bulk(VERSION);
        out.bulk("proto");
        out.integer(protocol);
        out.bulk("id");
        out.integer(c.id);
        out.bulk("mode");
        out.bulk(c.server.cluster() == null ? "standalone" : "cluster");
        out.bulk("role");
        out.bulk("master");
        out.bulk("modules");
        out.arrayHeader(0);
    }

    /** A decimal long as Redis' string2ll accepts it, or null. */
    static Long parseLong(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return null;
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        if (s.startsWith("+") || (s.length() > 1 && s.charAt(0) == '0') || s.startsWith("-0")) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String lower(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }
}
