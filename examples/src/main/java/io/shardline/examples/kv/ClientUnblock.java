package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.store.Errors;
import java.nio.charset.StandardCharsets;

/**
 * CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends the wait of a client blocked in BLPOP and friends or in
 * XREAD/XREADGROUP BLOCK, on whichever shard it lives (a client id names its shard: see
 * {@link KvShard#nextClientId}); ":1" if it was blocked, ":0" otherwise. The TIMEOUT form gives the
 * client its timeout reply, the ERROR form Redis' UNBLOCKED error. Stateless; called on the
 * connection's shard.
 */
final class ClientUnblock {
    static final String BAD_REASON = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";

    private ClientUnblock() {
    }

    /** CLIENT UNBLOCK id [TIMEOUT|ERROR]: its reply, once the client's shard has answered. */
    static Future<byte[]> run(KvConnection c, Argv argv) {
        if (argv.count() < 3) {
            return Dispatcher.error("ERR wrong number of arguments for 'client|unblock' command");
        }
        if (argv.count() > 4) {
            return Dispatcher.error("ERR unknown subcommand or wrong number of arguments for '" + Errors.text(argv.bytes(1))
                    + "'. Try CLIENT HELP.");
        }
        boolean error = false;
        if (argv.count() == 4) {
            error = argv.equalsIgnoreCase(3, "error");
            if (!error && !argv.equalsIgnoreCase(3, "timeout")) {
                return Dispatcher.error(BAD_REASON);
            }
        }
        String text = new String(argv.bytes(2), StandardCharsets.ISO_8859_1);
        long id;
        try {
            if (!text.matches("0|-?[1-9][0-9]*")) {
                throw new NumberFormatException();
            }
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Dispatcher.error(Errors.NOT_INTEGER);
        }
        return unblock(c, id, error);
    }

    /** Unblocks client {@code id}, on its shard: the reply for CLIENT UNBLOCK. */
    static Future<byte[]> unblock(KvConnection c, long id, boolean error) {
        int shards = c.shard().count();
        if (id < 1) {
            return Future.succeeded(ZERO.clone());
        }
        int target = (int) ((id - 1) % shards);
        Future<Boolean> done = target == c.shard().id() ? c.server.shards().local().waiters().unblock(id, error)
                : c.shard().submitToAsync(target, () -> c.server.shards().local().waiters().unblock(id, error));
        return done.map(was -> was ? ONE.clone() : ZERO.clone());
    }

    private static final byte[] ONE = {':', '1', '\r', '\n'};
    private static final byte[] ZERO = {':', '0', '\r', '\n'};
}
