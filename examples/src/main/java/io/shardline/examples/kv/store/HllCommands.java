package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.nio.charset.StandardCharsets;
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
    public void pfadd(byte[][] argv, ReplySink out, Journal journal) {
        Bytes key = new Bytes(argv[1]);
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
        for (int i = 2; i < argv.length; i++) {
            int r = h.add(argv[i], 0, argv[i].length, sparseMaxBytes);
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
        }
        out.integer(updated ? 1 : 0);
    }

    /** PFCOUNT key [key ...]: one key answers from (and refreshes) its cache; several count their union. */
    public void pfcount(byte[][] argv, ReplySink out, Journal journal) {
        if (argv.length > 2) {
            byte[] max = new byte[Hll.REGISTERS];
            for (int i = 1; i < argv.length; i++) {
                if (!mergeKey(argv[i], max, out)) {
                    return;
                }
            }
            out.integer(Hll.countRaw(max));
            return;
        }
        Bytes key = new Bytes(argv[1]);
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
            e.value = h.bytes();
            journal.append(argv);
        }
        out.integer(card);
    }

    /** PFMERGE destkey [sourcekey ...], every key on this shard: the destination counts as a source. */
    public void pfmerge(byte[][] argv, ReplySink out, Journal journal) {
        byte[] max = new byte[Hll.REGISTERS];
        boolean dense = false;
        for (int i = 1; i < argv.length; i++) {
            Entry e = ks.lookup(new Bytes(argv[i]), ValueType.STRING, out);
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
            if (e == null) {
                continue;
            }
            Hll h = Hll.of(e.string());
            if (h == null) {
                out.error(NOT_HLL);
                return;
            }
            dense |= !h.isSparse();
            if (!h.mergeInto(max)) {
                out.error(CORRUPT);
                return;
            }
        }
        mergeStore(argv[1], max, dense, out, journal);
    }

    /**
     * PFMERGE's write: raises {@code dest}'s registers to {@code max} (which already holds its own),
     * dense when a source was. The cross-shard form gathers the sources and calls this on the
     * destination's shard, after merging each source's registers on its own shard with {@link #mergeKey}.
     */
    public void mergeStore(byte[] dest, byte[] max, boolean dense, ReplySink out, Journal journal) {
        Bytes key = new Bytes(dest);
        Entry e = ks.lookup(key, ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        Hll h = e == null ? Hll.empty() : Hll.of(e.string());
        if (h == null) {
            out.error(NOT_HLL);
            return;
        }
        if ((dense && !h.toDense()) || h.setAll(max, sparseMaxBytes) < 0) {
            out.error(CORRUPT);
            return;
        }
        Entry written = write(key, e, h);
        journal.append(new byte[][] {SET, dest, written.string(), KEEPTTL});
        out.simple("OK");
    }

    /**
     * Merges the HLL at {@code key} into {@code max}: true if the key is missing or merged, false
     * after replying the error (wrong type, not an HLL, corrupt). For PFCOUNT and PFMERGE across shards.
     */
    public boolean mergeKey(byte[] key, byte[] max, ReplySink out) {
        Entry e = ks.lookup(new Bytes(key), ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return false;
        }
        if (e == null) {
            return true;
        }
        Hll h = Hll.of(e.string());
        if (h == null) {
            out.error(NOT_HLL);
            return false;
        }
        if (!h.mergeInto(max)) {
            out.error(CORRUPT);
            return false;
        }
        return true;
    }

    /** PFDEBUG GETREG|DECODE|ENCODING|TODENSE key. */
    public void pfdebug(byte[][] argv, ReplySink out, Journal journal) {
        String sub = new String(argv[1], StandardCharsets.UTF_8);
        Bytes key = new Bytes(argv[2]);
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
        if (argv.length != 3) {
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
                    journal.append(new byte[][] {SET, argv[2], written.string(), KEEPTTL});
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
                    journal.append(new byte[][] {SET, argv[2], written.string(), KEEPTTL});
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
    public void pfselftest(byte[][] argv, ReplySink out, Journal journal) {
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
        e.value = bytes;
        return e;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
