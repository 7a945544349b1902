package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Decodes a DUMP payload (rdb.c's rdbLoadObjectType and rdbLoadObject) into an {@link RdbValue}, after
 * checking its footer: RDB version and CRC-64. Reads every form Redis 7.0 and 7.2 write, and the older
 * ones they still load: strings (raw, integer, LZF), lists (plain, ziplist, quicklist of ziplists,
 * quicklist 2 of plain or listpack nodes), sets (plain, intset, listpack), hashes (plain, ziplist,
 * listpack), sorted sets (ASCII or binary scores, ziplist, listpack) and streams (types 15, 19 and 21,
 * by {@link StreamRdb}). Not read: zipmap hashes (Redis before 2.6) and modules. Stateless, any thread.
 */
final class RdbReader {
    static final int TYPE_STRING = 0;
    static final int TYPE_LIST = 1;
    static final int TYPE_SET = 2;
    static final int TYPE_ZSET = 3;
    static final int TYPE_HASH = 4;
    static final int TYPE_ZSET_2 = 5;
    static final int TYPE_LIST_ZIPLIST = 10;
    static final int TYPE_SET_INTSET = 11;
    static final int TYPE_ZSET_ZIPLIST = 12;
    static final int TYPE_HASH_ZIPLIST = 13;
    static final int TYPE_LIST_QUICKLIST = 14;
    static final int TYPE_HASH_LISTPACK = 16;
    static final int TYPE_ZSET_LISTPACK = 17;
    static final int TYPE_LIST_QUICKLIST_2 = 18;
    static final int TYPE_STREAM_LISTPACKS = 15;
    static final int TYPE_STREAM_LISTPACKS_2 = 19;
    static final int TYPE_SET_LISTPACK = 20;
    static final int TYPE_STREAM_LISTPACKS_3 = 21;
    /** Redis 7.2's RDB version, the highest read here and the one {@link RdbWriter} writes. */
    static final int RDB_VERSION = 11;
    /** 2 bytes of version and 8 of CRC. */
    static final int FOOTER = 10;

    private static final int QUICKLIST_NODE_PLAIN = 1;
    private static final int QUICKLIST_NODE_PACKED = 2;

    private RdbReader() {
    }

    /** verifyDumpPayload: whether {@code p} ends in an RDB version this server reads and the right CRC-64. */
    static boolean footerValid(byte[] p) {
        if (p.length < FOOTER) {
            return false;
        }
        int footer = p.length - FOOTER;
        int version = (p[footer] & 0xFF) | (p[footer + 1] & 0xFF) << 8;
        if (version > RDB_VERSION) {
            return false;
        }
        long crc = Crc64.update(0, p, 0, p.length - 8);
        return crc == ListpackReader.le(p, p.length - 8, 8);
    }

    /** The value in a payload whose footer {@link #footerValid is valid}; throws {@link RdbInput.Corrupt}. */
    static RdbValue read(byte[] p) {
        RdbInput in = new RdbInput(p, 0, p.length - FOOTER);
        int type = in.readByte();
        RdbValue v = switch (type) {
            case TYPE_STRING -> RdbValue.ofString(in.readString());
            case TYPE_LIST -> RdbValue.of(ValueType.LIST, strings(in, in.readCount()));
            case TYPE_SET -> RdbValue.of(ValueType.SET, strings(in, in.readCount()));
            case TYPE_HASH -> RdbValue.of(ValueType.HASH, strings(in, 2L * in.readCount()));
            case TYPE_ZSET, TYPE_ZSET_2 -> {
                int n = in.readCount();
                List<byte[]> members = new ArrayList<>(n);
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    members.add(in.readString());
                    scores[i] = type == TYPE_ZSET ? in.readAsciiDouble() : in.readBinaryDouble();
                }
                yield RdbValue.ofZset(members, scores);
            }
            case TYPE_LIST_ZIPLIST -> RdbValue.of(ValueType.LIST, ZiplistReader.entries(in.readString()));
            case TYPE_SET_INTSET -> RdbValue.of(ValueType.SET, IntsetReader.members(in.readString()));
            case TYPE_SET_LISTPACK -> RdbValue.of(ValueType.SET, ListpackReader.entries(in.readString()));
            case TYPE_HASH_ZIPLIST -> RdbValue.of(ValueType.HASH, pairs(ZiplistReader.entries(in.readString())));
            case TYPE_HASH_LISTPACK -> RdbValue.of(ValueType.HASH, pairs(ListpackReader.entries(in.readString())));
            case TYPE_ZSET_ZIPLIST -> zsetOfPairs(ZiplistReader.entries(in.readString()));
            case TYPE_ZSET_LISTPACK -> zsetOfPairs(ListpackReader.entries(in.readString()));
            case TYPE_LIST_QUICKLIST, TYPE_LIST_QUICKLIST_2 -> RdbValue.of(ValueType.LIST, quicklist(in, type));
            case TYPE_STREAM_LISTPACKS, TYPE_STREAM_LISTPACKS_2, TYPE_STREAM_LISTPACKS_3 ->
                    RdbValue.ofStream(StreamRdb.read(in, type));
            default -> throw new RdbInput.Corrupt("unsupported object type " + type);
        };
        check(v);
        return v;
    }

    private static List<byte[]> strings(RdbInput in, long n) {
        if (n > in.remaining()) {
            throw new RdbInput.Corrupt("count larger than the payload");
        }
        List<byte[]> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }

    private static List<byte[]> pairs(List<byte[]> entries) {
        if (entries.size() % 2 != 0) {
            throw new RdbInput.Corrupt("odd number of hash entries");
        }
        return entries;
    }

    private static RdbValue zsetOfPairs(List<byte[]> entries) {
        pairs(entries);
        int n = entries.size() / 2;
        List<byte[]> members = new ArrayList<>(n);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            members.add(entries.get(2 * i));
            scores[i] = RdbInput.parseDouble(entries.get(2 * i + 1));
        }
        return RdbValue.ofZset(members, scores);
    }

    /** Quicklist nodes: ziplists (type 14), or a container kind then a plain element or a listpack (type 18). */
    private static List<byte[]> quicklist(RdbInput in, int type) {
        int nodes = in.readCount();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            long container = type == TYPE_LIST_QUICKLIST_2 ? in.readLength() : QUICKLIST_NODE_PACKED;
            byte[] blob = in.readString();
            if (container == QUICKLIST_NODE_PLAIN) {
                out.add(blob);
            } else if (container == QUICKLIST_NODE_PACKED) {
                out.addAll(type == TYPE_LIST_QUICKLIST_2 ? ListpackReader.entries(blob) : ZiplistReader.entries(blob));
            } else {
                throw new RdbInput.Corrupt("quicklist container " + container);
            }
        }
        return out;
    }

    /** Refuses what Redis refuses to load: empty collections, duplicate members or fields, NaN scores. */
    private static void check(RdbValue v) {
        if (v.type() == ValueType.STRING || v.type() == ValueType.STREAM) {
            return; // an empty stream is a valid key (XGROUP CREATE ... MKSTREAM; XDEL of every entry)
        }
        if (v.items().isEmpty()) {
            throw new RdbInput.Corrupt("empty key");
        }
        if (v.type() == ValueType.LIST) {
            return;
        }
        HashSet<Bytes> seen = new HashSet<>();
        int step = v.type() == ValueType.HASH ? 2 : 1;
        for (int i = 0; i < v.items().size(); i += step) {
            if (!seen.add(new Bytes(v.items().get(i)))) {
                throw new RdbInput.Corrupt("duplicate member");
            }
        }
        if (v.scores() != null) {
            for (double s : v.scores()) {
                if (Double.isNaN(s)) {
                    throw new RdbInput.Corrupt("NaN score");
                }
            }
        }
    }
}
