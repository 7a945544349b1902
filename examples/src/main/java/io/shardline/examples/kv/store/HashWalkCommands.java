package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * HRANDFIELD and HSCAN, as Redis 7 runs them (t_hash.c, db.c): the hash read commands that pick or
 * walk fields rather than name them. Read-only. Owned by one shard; not thread-safe.
 */
public final class HashWalkCommands {
    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    HashWalkCommands(Keyspace ks) {
        this.ks = ks;
    }

    /**
     * HRANDFIELD key [count [WITHVALUES]]: one random field; or up to count distinct ones (count &gt;=
     * size: the whole hash, in its order); or, with a negative count, |count| picks that may repeat.
     * With WITHVALUES, RESP3 gets [field, value] pairs, RESP2 a flat list.
     */
    public void hrandfield(Argv argv, ReplySink out, Journal journal) {
        if (argv.count() == 2) {
            Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
            if (e == null) {
                out.nullBulk();
            } else if (e != Keyspace.WRONG_TYPE) {
                List<byte[][]> fields = e.hash().pairList();
                out.bulk(fields.get(ks.random().nextInt(fields.size()))[0]);
            }
            return;
        }
        Args.RandomCount parsed = Args.randomCount(argv, "withvalues", out);
        if (parsed == null) {
            return;
        }
        long count = parsed.count();
        boolean withValues = parsed.with();
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.HASH, out);
        if (e == null) {
            out.arrayHeader(0);
            return;
        }
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (count == 0) {
            out.arrayHeader(0);
            return;
        }
        List<byte[][]> fields = e.hash().pairList();
        int size = fields.size();
        SplittableRandom random = ks.random();
        boolean pairs = withValues && out.protocol() > 2;
        if (count < 0) {
            long n = -count;
            out.arrayHeader(withValues && !pairs ? n * 2 : n);
            for (long i = 0; i < n; i++) {
                field(fields.get(random.nextInt(size)), withValues, pairs, out);
            }
            return;
        }
        int n = (int) Math.min(count, size);
        if (n < size) {
            // A partial Fisher-Yates shuffle: the first n slots are a uniform pick without repeats.
            for (int i = 0; i < n; i++) {
                int j = i + random.nextInt(size - i);
                byte[][] t = fields.get(i);
                fields.set(i, fields.get(j));
                fields.set(j, t);
            }
        }
        out.arrayHeader(withValues && !pairs ? n * 2L : n);
        for (int i = 0; i < n; i++) {
            field(fields.get(i), withValues, pairs, out);
        }
    }

    private static void field(byte[][] f, boolean withValues, boolean pairs, ReplySink out) {
        if (pairs) {
            out.arrayHeader(2);
        }
        out.bulk(f[0]);
        if (withValues) {
            out.bulk(f[1]);
        }
    }

    /** HSCAN key cursor [MATCH pattern] [COUNT count]; see {@link ScanArgs} for the one-reply walk. */
    public void hscan(Argv argv, ReplySink out, Journal journal) {
        ScanArgs scan = ScanArgs.openOrReply(ks, argv, ValueType.HASH, out);
        if (scan == null) {
            return;
        }
        List<byte[][]> found = new ArrayList<>();
        scan.target().hash().forEach((f, v) -> {
            if (scan.matches(f)) {
                found.add(new byte[][] {f, v});
            }
        });
        ScanArgs.replyHeader(found.size() * 2L, out);
        for (byte[][] f : found) {
            out.bulk(f[0]);
            out.bulk(f[1]);
        }
    }
}
