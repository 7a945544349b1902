package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.ScanResult;
import io.shardline.shard.Shard;
import java.nio.charset.StandardCharsets;

/**
 * SCAN over all shards: the cursor walks shard 0's key space, then shard 1's, and so on. The global
 * cursor is {@code shardCursor * shards + shard} as an unsigned 64-bit decimal, so it stays opaque to
 * clients and 0 still starts and ends the iteration. Stateless; one shard answers each call.
 */
final class Scan {
    private Scan() {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(new String(argv.bytes(1), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return Dispatcher.error(Errors.INVALID_CURSOR);
        }
        byte[] pattern = null;
        String type = null;
        int count = 10;
        for (int i = 2; i < argv.count(); i++) {
            String opt = ConnectionCommands.lower(argv.bytes(i));
            boolean hasValue = i + 1 < argv.count();
            if (opt.equals("match") && hasValue) {
                pattern = argv.bytes(++i);
            } else if (opt.equals("count") && hasValue) {
                Long n = ConnectionCommands.parseLong(argv.bytes(++i));
                if (n == null || n > Integer.MAX_VALUE) {
                    return Dispatcher.error(Errors.NOT_INTEGER);
                }
                if (n < 1) {
                    return Dispatcher.error(Errors.SYNTAX);
                }
                count = n.intValue();
            } else if (opt.equals("type") && hasValue) {
                type = ConnectionCommands.lower(argv.bytes(++i));
            } else {
                return Dispatcher.error(Errors.SYNTAX);
            }
        }
        Shard here = c.shard();
        boolean oneNode = c.server.cluster() != null; // a cluster node scans its own keys: its shard's
        int shards = oneNode ? 1 : here.count();
        int shard = oneNode ? here.id() : (int) Long.remainderUnsigned(cursor, shards);
        long inner = Long.divideUnsigned(cursor, shards);
        byte[] match = pattern;
        String ofType = type;
        int batch = count;
        int protocol = c.protocol;
        int db = c.db;
        Future<ScanResult> part = shard == here.id()
                ? Future.succeeded(AllShards.local(c).keyspace(db).scan(inner, batch, match, ofType))
                : here.submitTo(shard, () -> AllShards.local(c).keyspace(db).scan(inner, batch, match, ofType));
        return part.map(r -> {
            long next;
            if (r.cursor() != 0) {
                next = oneNode ? r.cursor() : r.cursor() * shards + shard;
            } else {
                next = !oneNode && shard + 1 < shards ? shard + 1 : 0; // the next shard from its start, or the end
            }
            RespWriter out = RespWriter.forReply(protocol);
            out.arrayHeader(2);
            out.bulk(Long.toUnsignedString(next));
            out.arrayHeader(r.keys().size());
            for (byte[] k : r.keys()) {
                out.bulk(k);
            }
            return out.toByteArray();
        });
    }
}
