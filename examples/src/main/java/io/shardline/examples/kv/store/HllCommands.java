package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PFADD, PFCOUNT, PFMERGE, PFDEBUG and PFSELFTEST, as Redis 7 runs them (hyperloglog.c), over
 * {@link Hll} string values. Owned by one shard; not thread-safe.
 *
 * <p>Journal forms: PFADD as sent when it changed the value; PFCOUNT as sent when it refreshed the
 * cached cardinality (the cache is part of the value's bytes, which GET shows); PFMERGE and a PFDEBUG
 * that turned a value dense as the SET of the resulting bytes, keeping the TTL.
 */
public final class HllCommands {
    /** Redis's {@code hll-sparse-max-bytes} default. */
    public static final int SPARSE_MAX_BYTES = 3000;
    public static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    public static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";
    private static final byte[] SET = ascii("SET");
    private static final byte[] KEEPTTL = ascii("KEEPTTL");

    private final Keyspace ks;
    private int sparseMaxBytes = SPARSE_MAX_BYTES;

    HllCommands(Keyspace ks) {
        this.ks = ks;
    }

    public void sparseMaxBytes(int bytes) {
        this.sparseMaxBytes = bytes;
    }

    /** PFADD key [element ...]: 1 if the key was created or a register grew. */
    public void pfadd(Argv argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        Hll h;
        boolean updated = false;
        if (e == null) {
            h = Hll.empty();
            updated = true;
        } else {
            h = Hll.of(e.string());
            if (h == null) {
                out.error(NOT_HLL);
                return;
            }
        }
        for (int i = 2; i < argv.count(); i++) {
            int r = h.add(argv.array(i), argv.offset(i), argv.length(i), sparseMaxBytes);
            if (r < 0) {
                out.error(CORRUPT); // Redis leaves the registers changed so far in place; so do we
                write(key, e, h);
                return;
            }
            updated |= r == 1;
        }
        if (updated) {
            h.invalidateCache();
            write(key, e, h);
            journal.append(argv);
            ks.notifier().notify(Notifier.STRING, "pfadd", key.bytes);
        }
        out.integer(updated ? 1 : 0);
    }

    /** PFCOUNT key [key ...]: one key answers from (and refreshes) its cache; several count their union. */
    public void pfcount(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() > 2) {
            byte[] max = new byte[Hll.REGISTERS];
            String error = merge(values(argv, 1), max, null);
            if (error != null) {
                out.error(error);
            } else {
                out.integer(HllEstimator.ofRegisters(max));
            }
            return;
        }
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.integer(0);
            return;
        }
        Hll h = Hll.of(e.string());
        if (h == null) {
            out.error(NOT_HLL);
            return;
        }
        long card = h.cached();
        if (card < 0) {
            card = h.count();
            if (card < 0) {
                out.error(CORRUPT);
                return;
            }
            h.cache(card);
            e.setString(h.bytes());
            journal.append(argv);
        }
        out.integer(card);
    }

    /** PFMERGE destkey [sourcekey ...], every key on this shard: the destination counts as a source. */
    public void pfmerge(Argv argv, ReplySink out, Journal journal) {
        List<byte[]> values = values(argv, 1);
        byte[] max = new byte[Hll.REGISTERS];
        boolean[] dense = new boolean[1];
        String error = merge(values, max, dense);
        if (error != null) {
            out.error(error);
            return;
        }
        Hll target = merged(values.get(0), max, dense[0], sparseMaxBytes);
        if (target == null) {
            out.error(CORRUPT);
            return;
        }
        Bytes key = new Bytes(argv.bytes(1));
        Entry e = ks.lookup(key);
        byte[] bytes = target.bytes();
        if (e == null) {
            ks.add(key, ValueType.STRING, bytes);
        } else {
            e.setString(bytes);
        }
        journal.append(SET, key.bytes, bytes, KEEPTTL);
        ks.notifier().notify(Notifier.STRING, "pfadd", key.bytes);
        out.simple("OK");
    }

    /**
     * The values of keys {@code from..} on this shard as {@link Keyspace#readString} gives them (the
     * cross-shard forms gather the same from each key's shard), without copying.
     */
    private List<byte[]> values(Argv argv, int from) {
        List<byte[]> values = new ArrayList<>(argv.count() - from);
        for (int i = from; i < argv.count(); i++) {
            Entry e = ks.lookup(new Bytes(argv.bytes(i)));
            values.add(e == null ? null : e.type() != ValueType.STRING ? Keyspace.NOT_A_STRING : e.string());
        }
        return values;
    }

    /**
     * Raises {@code max} (a byte per register) to every value's registers, in key order, as PFCOUNT of
     * several keys and PFMERGE read them: null, or the error of the first key that is not a
     * HyperLogLog (a missing key counts as empty). Sets {@code dense[0]} when a value is dense.
     */
    public static String merge(List<byte[]> values, byte[] max, boolean[] dense) {
        for (byte[] v : values) {
            if (v == null) {
                continue;
            }
            if (v == Keyspace.NOT_A_STRING) {
                return Errors.WRONGTYPE;
            }
            Hll h = Hll.of(v);
            if (h == null) {
                return NOT_HLL;
            }
            if (dense != null && !h.isSparse()) {
                dense[0] = true;
            }
            if (!h.mergeInto(max)) {
                return CORRUPT;
            }
        }
        return null;
    }

    /**
     * PFMERGE's new destination: its current value ({@code dest}, null if missing) raised to
     * {@code max}, turned dense first when a source was dense, so the bytes are the ones Redis writes.
     * Null if the destination is corrupt.
     */
    public static Hll merged(byte[] dest, byte[] max, boolean dense, int sparseMaxBytes) {
        Hll h = dest == null ? Hll.empty() : Hll.of(dest);
        if ((dense && !h.toDense()) || h.setAll(max, sparseMaxBytes) < 0) {
            return null;
        }
        return h;
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. */
    public void pfdebug(Argv argv, ReplySink out, Journal journal) {
        String sub = argv.string(1);
        Bytes key = new Bytes(argv.bytes(2));
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.error("ERR The specified key does not exist");
            return;
        }
        Hll h = Hll.of(e.string());
        if (h == null) {
            out.error(NOT_HLL);
            return;
        }
        String lower = sub.toLowerCase(java.util.Locale.ROOT);
        boolean known = lower.equals("getreg") || lower.equals("decode") || lower.equals("encoding")
                || lower.equals("todense");
        if (!known) {
            out.error("ERR Unknown PFDEBUG subcommand '" + sub + "'");
            return;
        }
        if (argv.count() != 3) {
            out.error("ERR Wrong number of arguments for the '" + sub + "' subcommand");
            return;
        }
        switch (lower) {
            case "getreg" -> {
                if (h.isSparse()) {
                    if (!h.toDense()) {
                        out.error(CORRUPT);
                        return;
                    }
                    Entry written = write(key, e, h);
                    journal.append(SET, argv.bytes(2), written.string(), KEEPTTL);
                }
                out.arrayHeader(Hll.REGISTERS);
                for (int i = 0; i < Hll.REGISTERS; i++) {
                    out.integer(h.register(i));
                }
            }
            case "decode" -> {
                if (!h.isSparse()) {
                    out.error("ERR HLL encoding is not sparse");
                    return;
                }
                out.bulk(h.decode().getBytes(StandardCharsets.US_ASCII));
            }
            case "encoding" -> out.simple(h.isSparse() ? "sparse" : "dense");
            default -> { // todense
                boolean converted = h.isSparse();
                if (converted) {
                    if (!h.toDense()) {
                        out.error(CORRUPT);
                        return;
                    }
                    Entry written = write(key, e, h);
                    journal.append(SET, argv.bytes(2), written.string(), KEEPTTL);
                }
                out.integer(converted ? 1 : 0);
            }
        }
    }

    /**
     * PFSELFTEST: registers keep what is set in them without touching their neighbours, and a sparse
     * and a dense sketch fed the same elements agree on their estimate while the sparse one stays
     * sparse, within a few standard errors of the truth.
     */
    public static void pfselftest(ReplySink out) {
        int sparseMaxBytes = SPARSE_MAX_BYTES;
        SplittableRandom random = new SplittableRandom();
        Hll dense = Hll.empty();
        dense.toDense();
        int[] want = new int[Hll.REGISTERS];
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < Hll.REGISTERS; i++) {
                want[i] = random.nextInt(64);
            }
            Hll fresh = Hll.empty();
            fresh.toDense();
            byte[] raw = new byte[Hll.REGISTERS];
            for (int i = 0; i < Hll.REGISTERS; i++) {
                raw[i] = (byte) want[i];
            }
            fresh.setAll(raw, sparseMaxBytes);
            for (int i = 0; i < Hll.REGISTERS; i++) {
                if (fresh.register(i) != want[i]) {
                    out.error("TESTFAILED Register " + i + " should be " + want[i] + " but is " + fresh.register(i));
                    return;
                }
            }
        }
        Hll sparse = Hll.empty();
        double relErr = 1.04 / Math.sqrt(Hll.REGISTERS);
        long seed = random.nextLong();
        byte[] ele = new byte[8];
        long checkpoint = 1;
        for (long j = 1; j <= 1_000_000; j++) {
            long v = j ^ seed;
            for (int b = 0; b < 8; b++) {
                ele[b] = (byte) (v >>> (8 * b));
            }
            dense.add(ele, 0, 8, sparseMaxBytes);
            sparse.add(ele, 0, 8, sparseMaxBytes);
            if (j == checkpoint) {
                if (j < sparseMaxBytes / 2 && !sparse.isSparse()) {
                    out.error("TESTFAILED sparse encoding not used");
                    return;
                }
                long d = dense.count();
                if (d != sparse.count()) {
                    out.error("TESTFAILED dense/sparse disagree");
                    return;
                }
                long maxErr = j == 10 ? 1 : (long) Math.ceil(relErr * 6 * j);
                if (Math.abs(j - d) > maxErr) {
                    out.error("TESTFAILED Too big error. card:" + j + " abserr:" + Math.abs(j - d));
                    return;
                }
                checkpoint *= 10;
            }
        }
        out.simple("OK");
    }

    private Entry write(Bytes key, Entry e, Hll h) {
        byte[] bytes = h.bytes();
        if (e == null) {
            return ks.add(key, ValueType.STRING, bytes);
        }
        e.setString(bytes);
        return e;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
