package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.ListCommands;
import io.shardline.examples.kv.store.TypeProbe;
import io.shardline.examples.kv.store.ZSetEditCommands;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a blocking pop (BLPOP, BRPOP, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP) or move (BLMOVE, BRPOPLPUSH)
 * asks for, and how a shard tries it on the keys it holds: each key in argument order, as the plain
 * command Redis logs in its place (LPOP, LMPOP, ZPOPMIN, ZMPOP, LMOVE), its reply reshaped as the
 * blocking command's. Immutable; {@link #ready} and {@link #attempt} run on the keys' shard.
 *
 * @param kind which family it is
 * @param keys the keys it waits on, in argument order (BLMOVE: the source only)
 * @param first LEFT or MIN: the end it takes from
 * @param toLeft BLMOVE: whether the element goes to the destination's head
 * @param destination BLMOVE: the destination key, else null
 * @param count BLMPOP/BZMPOP: how many at most
 * @param protocol the client's RESP version
 * @param db the database of its keys (the client's when it blocked)
 */
record PopRequest(Kind kind, byte[][] keys, boolean first, boolean toLeft, byte[] destination, long count, int protocol, int db) {
    enum Kind {
        LIST, LMPOP, ZSET, ZMPOP, MOVE
    }

    private static final CommandSpec LMPOP = new CommandSpec("lmpop", -4, CommandSpec.WRITE, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::lists, ListCommands::lmpop)));
    private static final CommandSpec ZMPOP = new CommandSpec("zmpop", -4, CommandSpec.WRITE, 0, 0, 0,
            new OnKeys(DataCommands.of(DataCommands::zsetEdits, ZSetEditCommands::zmpop)));

    /** The type its keys must hold to serve it. */
    String type() {
        return kind == Kind.ZSET || kind == Kind.ZMPOP ? "zset" : "list";
    }

    /** Whether one of keys {@code idx} holds something it could take now (lists and sorted sets are never empty). */
    boolean ready(KvShard shard, int[] idx) {
        for (int k : idx) {
            if (TypeProbe.of(shard.keyspace(db), keys[k]).equals(type())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes from the first of keys {@code idx} that holds something, as Redis' blocking commands do:
     * its reply, or null when none does. With {@code strict} a key of another type ends it with WRONGTYPE
     * (Redis' order when it holds all the keys); without, such a key is passed over, as a blocked client
     * is not woken by a key of the wrong type. {@code moveHere} says BLMOVE's destination is on this shard.
     */
    Future<byte[]> attempt(KvShard shard, int[] idx, boolean strict, boolean moveHere) {
        for (int k : idx) {
            String t = TypeProbe.of(shard.keyspace(db), keys[k]);
            if (t.equals("none")) {
                continue;
            }
            if (!t.equals(type())) {
                if (strict) {
                    return Future.succeeded(RespWriter.errorBytes(Errors.WRONGTYPE));
                }
                continue;
            }
            return take(shard, keys[k], moveHere);
        }
        return null;
    }

    private Future<byte[]> take(KvShard shard, byte[] key, boolean moveHere) {
        String side = first ? (kind == Kind.ZMPOP ? "MIN" : "LEFT") : (kind == Kind.ZMPOP ? "MAX" : "RIGHT");
        return switch (kind) {
            case LIST -> shard.execute(CommandTable.lookup(first ? "lpop" : "rpop"), new byte[][] {bytes(first ? "LPOP" : "RPOP"), key},
                    protocol, db).map(r -> r[0] == '-' ? r : withKey(2, key, r, 0));
            case ZSET -> shard.execute(CommandTable.lookup(first ? "zpopmin" : "zpopmax"),
                    new byte[][] {bytes(first ? "ZPOPMIN" : "ZPOPMAX"), key}, protocol, db).map(r -> r[0] == '-' ? r : withKey(3, key, r, bodyStart(r)));
            case LMPOP -> shard.execute(LMPOP, new byte[][] {bytes("LMPOP"), bytes("1"), key, bytes(side), bytes("COUNT"),
                    bytes(Long.toString(count))}, protocol, db);
            case ZMPOP -> shard.execute(ZMPOP, new byte[][] {bytes("ZMPOP"), bytes("1"), key, bytes(side), bytes("COUNT"),
                    bytes(Long.toString(count))}, protocol, db);
            case MOVE -> moveHere
                    ? shard.execute(CommandTable.lookup("lmove"), new byte[][] {bytes("LMOVE"), key, destination,
                            bytes(first ? "LEFT" : "RIGHT"), bytes(toLeft ? "LEFT" : "RIGHT")}, protocol, db)
                    // the push is the caller's, on the destination's shard
                    : shard.execute(CommandTable.lookup(first ? "lpop" : "rpop"), new byte[][] {bytes(first ? "LPOP" : "RPOP"), key}, 2, db);
        };
    }

    /** An array of {@code n}: the key, then {@code reply} from {@code from} (a bulk, or the elements after a header). */
    private static byte[] withKey(int n, byte[] key, byte[] reply, int from) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(reply.length + key.length + 16);
        out.writeBytes(bytes("*" + n + "\r\n$" + key.length + "\r\n"));
        out.writeBytes(key);
        out.writeBytes(bytes("\r\n"));
        out.write(reply, from, reply.length - from);
        return out.toByteArray();
    }

    /** Where the elements of an array reply start, past its header line. */
    private static int bodyStart(byte[] reply) {
        int i = 0;
        while (reply[i] != '\n') {
            i++;
        }
        return i + 1;
    }

    /** The reply when nothing was there and it may not block (inside MULTI/EXEC): LMOVE's null for a move, else the null array. */
    byte[] emptyReply() {
        return kind == Kind.MOVE ? RespWriter.forReply(protocol).nullBulk().toByteArray() : KeyWaiters.nullReply(protocol);
    }

    static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
