package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.util.List;
import java.util.Locale;

/**
 * CLIENT KILL, both forms as Redis 7 takes them: {@code CLIENT KILL addr:port} (+OK or "No such
 * client"; it may kill the caller) and the filters ID, ADDR, LADDR, TYPE, USER, SKIPME and MAXAGE
 * (the number killed; the caller is skipped unless SKIPME no). Every shard kills its own matching
 * clients, gathered over the mesh. Stateless; called on the connection's shard.
 */
final class ClientKill {
    /** What a client must match; null or -1 fields match any. */
    record Filter(long id, String addr, String laddr, String type, long maxAgeSeconds, boolean skipMe, long self) {
        boolean matches(KvConnection c, long nowMillis) {
            if (skipMe && c.id == self) {
                return false;
            }
            if (id > 0 && c.id != id) {
                return false;
            }
            if (addr != null && !addr.equals(ClientInfo.address(c.connection().remoteAddress()))) {
                return false;
            }
            if (laddr != null && !laddr.equals(ClientInfo.address(c.connection().localAddress()))) {
                return false;
            }
            if (type != null && !ClientCommand.typeOf(c).equals(type)) {
                return false;
            }
            return maxAgeSeconds <= 0 || (nowMillis - c.createdMillis) / 1000 >= maxAgeSeconds;
        }
    }

    private ClientKill() {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        if (argv.count() < 3) {
            return Dispatcher.error("ERR wrong number of arguments for 'client|kill' command");
        }
        if (argv.count() == 3) { // the old form: one address, and the caller may be it
            Filter f = new Filter(-1, argv.string(2), null, null, 0, false, c.id);
            return kill(c, f).map(n -> n == 0 ? RespWriter.errorBytes("ERR No such client")
                    : RespWriter.forReply(2).simple("OK").toByteArray());
        }
        long id = -1;
        String addr = null;
        String laddr = null;
        String type = null;
        long maxAge = 0;
        boolean skipMe = true;
        for (int i = 2; i < argv.count(); i += 2) {
            String opt = argv.string(i).toLowerCase(Locale.ROOT);
            if (i + 1 >= argv.count()) {
                return Dispatcher.error(Errors.SYNTAX);
            }
            String value = argv.string(i + 1);
            switch (opt) {
                case "id" -> {
                    Long v = ConnectionCommands.parseLong(argv.bytes(i + 1));
                    if (v == null || v < 1) {
                        return Dispatcher.error("ERR client-id should be greater than 0");
                    }
                    id = v;
                }
                case "type" -> {
                    type = ClientCommand.typeName(value);
                    if (type == null) {
                        return Dispatcher.error("ERR Unknown client type '" + value + "'");
                    }
                }
                case "addr" -> addr = value;
                case "laddr" -> laddr = value;
                case "user" -> {
                    if (!value.equals("default")) { // the one user there is
                        return Dispatcher.error("ERR No such user '" + value + "'");
                    }
                }
                case "skipme" -> {
                    if (value.equalsIgnoreCase("yes")) {
                        skipMe = true;
                    } else if (value.equalsIgnoreCase("no")) {
                        skipMe = false;
                    } else {
                        return Dispatcher.error(Errors.SYNTAX);
                    }
                }
                case "maxage" -> {
                    Long v = ConnectionCommands.parseLong(argv.bytes(i + 1));
                    if (v == null) {
                        return Dispatcher.error("ERR maxage is not an integer or out of range");
                    }
                    maxAge = v;
                }
                default -> {
                    return Dispatcher.error(Errors.SYNTAX);
                }
            }
        }
        Filter f = new Filter(id, addr, laddr, type, maxAge, skipMe, c.id);
        return kill(c, f).map(n -> RespWriter.forReply(2).integer(n).toByteArray());
    }

    /** Kills the clients {@code f} matches on every shard; how many. */
    private static Future<Long> kill(KvConnection c, Filter f) {
        KvServer server = c.server;
        return EveryShard.call(c.shard(), () -> {
            long now = server.config().clock().getAsLong();
            long n = 0;
            for (KvConnection other : server.shards().local().clients.all()) {
                if (other.connection() != null && f.matches(other, now)) {
                    other.kill(other.id == f.self());
                    n++;
                }
            }
            return n;
        }).map(ClientKill::sum);
    }

    private static long sum(List<Long> counts) {
        long n = 0;
        for (long k : counts) {
            n += k;
        }
        return n;
    }
}
