package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;

/**
 * RESET: puts the connection back as it was when it connected, as Redis' clearClientConnectionState
 * does for what this server has (transaction and WATCHes, subscriptions, protocol, name, database, authentication, CLIENT
 * REPLY, NO-EVICT and NO-TOUCH). Stateless; runs on the
 * connection's shard.
 */
final class ResetCommand {
    private ResetCommand() {
    }

    static void run(KvConnection c, Argv argv, RespWriter out) {
        PubSubCommands.leaveAll(c);
        TransactionCommands.discard(c); // MULTI state and WATCHes end, as Redis' discardTransaction and unwatchAllKeys
        c.protocol = 2;
        out.protocol(2);
        c.name = null;
        c.replyOff = false; // and the CLIENT flags Redis' RESET clears
        c.skipNext = false;
        c.noEvict = false;
        c.noTouch = false;
        c.db = 0; // back to db 0, as Redis' RESET
        if (c.server.config().requirePass() != null) {
            c.deauthenticate(); // the default user has a password: RESET logs out, as in Redis
        }
        out.simple("RESET");
    }
}
