package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The cross-shard forms of the commands {@link SameShard} runs whole when their keys share a shard:
 * the set algebra is {@link SetAlgebra}'s; BITOP, LCS, MSETNX, RENAME, RENAMENX and COPY are
 * {@link GatherThenWrite}'s; the moves (LMOVE, RPOPLPUSH, SMOVE) are here, each a chain of single-key
 * commands, each on its key's shard and logged there as the plain command it is (LPOP then RPUSH...),
 * in Redis' order of checks. Stateless; runs on the connection's shard.
 *
 * <p>Atomicity: {@link SameShard#run} runs each chain under intent locks on all its keys
 * ({@link TxExec#locked}), so no other client's command on those keys runs between its steps and none
 * sees the element in neither place (nor a destination change type between the check and the push).
 */
final class CrossShard {
    private static final byte[] TYPE = bytes("TYPE");
    private static final byte[] NONE = bytes("+none\r\n");

    private CrossShard() {
    }

    /** The cross-shard form of the command named {@code name}, or null if it has none. */
    static SameShard.Across of(String name) {
        return switch (name) {
            case "lmove" -> (c, argv, owner) -> {
                boolean fromLeft = argv.equalsIgnoreCase(3, "left");
                boolean toLeft = argv.equalsIgnoreCase(4, "left");
                if ((!fromLeft && !argv.equalsIgnoreCase(3, "right")) || (!toLeft && !argv.equalsIgnoreCase(4, "right"))) {
                    return Dispatcher.error(Errors.SYNTAX);
                }
                return lmove(c, argv, owner, fromLeft, toLeft);
            };
            case "rpoplpush" -> (c, argv, owner) -> lmove(c, argv, owner, false, true);
            case "smove" -> CrossShard::smove;
            case "lcs" -> GatherThenWrite::lcs;
            case "bitop" -> GatherThenWrite::bitop;
            case "msetnx" -> GatherThenWrite::msetnx;
            case "rename" -> GatherThenWrite::rename;
            case "renamenx" -> GatherThenWrite::renamenx;
            case "copy" -> GatherThenWrite::copy;
            case "pfcount" -> HllAcross::pfcount;
            case "pfmerge" -> HllAcross::pfmerge;
            case "zrangestore" -> ZSetAlgebra::zrangestore;
            case "geosearchstore" -> GeoAcross::geosearchstore;
            default -> SetAlgebra.across(name);
        };
    }

    private static Future<byte[]> lmove(KvConnection c, Argv argv, int[] owner, boolean fromLeft, boolean toLeft) {
        int protocol = c.protocol;
        byte[] src = argv.bytes(1);
        byte[] dst = argv.bytes(2);
        return typeOf(c, owner[0], src).flatMap(srcType -> {
            if (Arrays.equals(srcType, NONE)) {
                return Future.succeeded(RespWriter.forReply(protocol).nullBulk().toByteArray());
            }
            if (!isType(srcType, "list")) {
                return Dispatcher.error(Errors.WRONGTYPE);
            }
            return typeOf(c, owner[1], dst).flatMap(dstType -> {
                if (!Arrays.equals(dstType, NONE) && !isType(dstType, "list")) {
                    return Dispatcher.error(Errors.WRONGTYPE);
                }
                return run(c, owner[0], fromLeft ? "lpop" : "rpop", src).flatMap(popped -> {
                    byte[] v = bulkValue(popped);
                    if (v == null) {
                        return Future.succeeded(RespWriter.forReply(protocol).nullBulk().toByteArray());
                    }
                    return run(c, owner[1], toLeft ? "lpush" : "rpush", dst, v).flatMap(pushed -> {
                        if (pushed[0] != '-') {
                            return Future.succeeded(RespWriter.forReply(protocol).bulk(v).toByteArray());
                        }
                        // The destination changed type meanwhile: the element goes back where it was.
                        return run(c, owner[0], fromLeft ? "lpush" : "rpush", src, v).map(back -> pushed);
                    });
                });
            });
        });
    }

    private static Future<byte[]> smove(KvConnection c, Argv argv, int[] owner) {
        int protocol = c.protocol;
        byte[] src = argv.bytes(1);
        byte[] dst = argv.bytes(2);
        byte[] member = argv.bytes(3);
        return typeOf(c, owner[0], src).flatMap(srcType -> typeOf(c, owner[1], dst).flatMap(dstType -> {
            if (Arrays.equals(srcType, NONE)) {
                return Future.succeeded(RespWriter.forReply(protocol).integer(0).toByteArray());
            }
            if (!isType(srcType, "set") || (!Arrays.equals(dstType, NONE) && !isType(dstType, "set"))) {
                return Dispatcher.error(Errors.WRONGTYPE);
            }
            return run(c, owner[0], "srem", src, member).flatMap(removed -> {
                if (!Arrays.equals(removed, bytes(":1\r\n"))) {
                    return Future.succeeded(RespWriter.forReply(protocol).integer(0).toByteArray());
                }
                return run(c, owner[1], "sadd", dst, member).flatMap(added -> {
                    if (added[0] != '-') {
                        return Future.succeeded(RespWriter.forReply(protocol).integer(1).toByteArray());
                    }
                    return run(c, owner[0], "sadd", src, member).map(back -> added);
                });
            });
        }));
    }

    /** TYPE of {@code key} on {@code shard}, as its RESP2 simple-string reply. */
    static Future<byte[]> typeOf(KvConnection c, int shard, byte[] key) {
        return SameShard.on(c, shard, CommandTable.lookup("type"), new byte[][] {TYPE, key}, 2);
    }

    /** The single-key command {@code name} with {@code args} on {@code shard}, answered in RESP2. */
    static Future<byte[]> run(KvConnection c, int shard, String name, byte[]... args) {
        byte[][] argv = new byte[args.length + 1][];
        argv[0] = bytes(name.toUpperCase(java.util.Locale.ROOT));
        System.arraycopy(args, 0, argv, 1, args.length);
        return SameShard.on(c, shard, CommandTable.lookup(name), argv, 2);
    }

    static boolean isType(byte[] typeReply, String name) {
        return Arrays.equals(typeReply, bytes("+" + name + "\r\n"));
    }

    /** The value of a RESP2 bulk reply, or null for a null bulk (or anything else). */
    static byte[] bulkValue(byte[] reply) {
        if (reply.length < 4 || reply[0] != '$' || reply[1] == '-') {
            return null;
        }
        int eol = 1;
        while (reply[eol] != '\r') {
            eol++;
        }
        int len = Integer.parseInt(new String(reply, 1, eol - 1, StandardCharsets.US_ASCII));
        return Arrays.copyOfRange(reply, eol + 2, eol + 2 + len);
    }

    static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }

    /** Redis' strcasecmp on an ASCII keyword. */
    static final class Args {
        private Args() {
        }

        static boolean is(byte[] arg, String word) {
            return new String(arg, StandardCharsets.ISO_8859_1).equalsIgnoreCase(word);
        }
    }
}
