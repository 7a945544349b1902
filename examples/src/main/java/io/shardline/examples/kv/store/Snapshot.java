package io.shardline.examples.kv.store;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Predicate;

/**
 * The snapshot format of a {@link Keyspace}, stateless (runs on the keyspace's thread).
 *
 * <pre>
 * int magic "SHKV", int version 1
 * per key: byte type (1 string, 2 list, 3 set, 4 zset, 5 hash, 6 stream), long expireAt (-1 none), bytes key,
 *          then the value: string = bytes; list / set = int n, n × bytes;
 *          zset = int n, n × (bytes member, long score bits) in score order; hash = int n, n × (field, value);
 *          stream = see {@link StreamSnapshot} (a stream may be empty)
 * byte 0
 * bytes = int length, then the bytes
 * </pre>
 *
 * Keys already past their time are skipped on write and on read. Reading into a keyspace that has
 * keys adds to them (a key both have is corrupt input), which is how data written by several shards
 * is placed again on one. A corrupt or truncated input fails
 * with an {@link IOException} naming what was wrong rather than building a half-valid keyspace.
 */
final class Snapshot {
    private static final int MAGIC = 0x53484B56;
    private static final int VERSION = 1;
    private static final int END = 0;
    private static final int STRING = 1;
    private static final int LIST = 2;
    private static final int SET = 3;
    private static final int ZSET = 4;
    private static final int HASH = 5;
    private static final int STREAM = 6;
    /** Redis' largest string (proto-max-bulk-len); a longer length means corrupt input. */
    private static final int MAX_BYTES = 512 * 1024 * 1024;

    private Snapshot() {
    }

    static void write(Keyspace ks, DataOutput out, Predicate<byte[]> keep) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        long now = ks.now();
        for (Entry e : ks.entries()) {
            byte[] key = e.key();
            if (ks.isExpired(e, now) || !keep.test(key)) {
                continue;
            }
            long expireAt = ks.expireAt(e);
            switch (e.type()) {
                case STRING -> {
                    header(out, STRING, expireAt, key);
                    out.writeInt(e.stringLength());
                    out.write(e.stringBytes(), e.stringOffset(), e.stringLength());
                }
                case LIST -> {
                    header(out, LIST, expireAt, key);
                    ListValue list = e.list();
                    out.writeInt(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        writeBytes(out, list.get(i));
                    }
                }
                case SET -> {
                    header(out, SET, expireAt, key);
                    SetValue set = e.set();
                    out.writeInt(set.size());
                    for (int i = 0; i < set.size(); i++) {
                        writeBytes(out, set.get(i).bytes);
                    }
                }
                case ZSET -> {
                    header(out, ZSET, expireAt, key);
                    ZSetValue zset = e.zset();
                    out.writeInt(zset.size());
                    for (int i = 0; i < zset.size(); i++) {
                        writeBytes(out, zset.memberAt(i));
                        out.writeLong(Double.doubleToRawLongBits(zset.scoreAt(i)));
                    }
                }
                case HASH -> {
                    header(out, HASH, expireAt, key);
                    HashValue hash = e.hash();
                    out.writeInt(hash.size());
                    for (byte[][] f : hash.pairList()) {
                        writeBytes(out, f[0]);
                        writeBytes(out, f[1]);
                    }
                }
                case STREAM -> {
                    header(out, STREAM, expireAt, key);
                    StreamSnapshot.write(out, StreamCommands.stream(e));
                }
            }
        }
        out.writeByte(END);
    }

    static void read(DataInput in, Keyspace ks) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a keyspace snapshot (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported keyspace snapshot version " + version);
        }
        long now = ks.now();
        for (int code = in.readUnsignedByte(); code != END; code = in.readUnsignedByte()) {
            long expireAt = in.readLong();
            if (expireAt != Entry.NO_EXPIRY && expireAt <= 0) {
                throw new IOException("snapshot has a bad expiry " + expireAt);
            }
            Bytes key = new Bytes(readBytes(in));
            ValueType type;
            Object value;
            switch (code) {
                case STRING -> {
                    type = ValueType.STRING;
                    value = readBytes(in);
                }
                case LIST -> {
                    type = ValueType.LIST;
                    ListValue list = new ListValue(ks.limits());
                    for (int i = count(in, key); i > 0; i--) {
                        list.append(readBytes(in));
                    }
                    value = list;
                }
                case SET -> {
                    type = ValueType.SET;
                    SetValue set = new SetValue(ks.limits());
                    for (int i = count(in, key); i > 0; i--) {
                        if (!set.add(new Bytes(readBytes(in)))) {
                            throw new IOException("snapshot set " + key + " repeats a member");
                        }
                    }
                    value = set;
                }
                case ZSET -> {
                    type = ValueType.ZSET;
                    ZSetValue zset = new ZSetValue(ks.limits());
                    for (int i = count(in, key); i > 0; i--) {
                        Bytes member = new Bytes(readBytes(in));
                        double score = Double.longBitsToDouble(in.readLong());
                        if (Double.isNaN(score) || !Double.isNaN(zset.scoreOf(member))) {
                            throw new IOException("snapshot zset " + key + " has a NaN score or a repeated member");
                        }
                        zset.add(member, score);
                    }
                    value = zset;
                }
                case HASH -> {
                    type = ValueType.HASH;
                    HashValue hash = new HashValue(ks.limits());
                    for (int i = count(in, key); i > 0; i--) {
                        if (!hash.put(new Bytes(readBytes(in)), readBytes(in))) {
                            throw new IOException("snapshot hash " + key + " repeats a field");
                        }
                    }
                    value = hash;
                }
                case STREAM -> {
                    type = ValueType.STREAM;
                    value = StreamSnapshot.read(in, key);
                }
                default -> throw new IOException("snapshot has an unknown value type " + code);
            }
            if (expireAt != Entry.NO_EXPIRY && now > expireAt) {
                continue; // expired while the snapshot sat on disk
            }
            if (ks.lookup(key) != null) {
                throw new IOException("snapshot repeats the key " + key);
            }
            Entry e = ks.add(key, type, value);
            if (expireAt != Entry.NO_EXPIRY) {
                ks.setExpire(e, expireAt);
            }
        }
    }

    private static void header(DataOutput out, int code, long expireAt, byte[] key) throws IOException {
        out.writeByte(code);
        out.writeLong(expireAt);
        writeBytes(out, key);
    }

    private static void writeBytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_BYTES) {
            throw new IOException("snapshot has a bad length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    /** An element count; empty collections are never stored (Redis deletes them). */
    private static int count(DataInput in, Bytes key) throws IOException {
        int n = in.readInt();
        if (n <= 0) {
            throw new IOException("snapshot value of " + key + " has a bad element count " + n);
        }
        return n;
    }
}
