package io.shardline.examples.kv.store;

/**
 * Writes a computed sorted set to a destination key, as the STORE commands (ZRANGESTORE,
 * ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE) do: the old value goes whatever its type (and its TTL), an
 * empty result leaves no key. Stateless; called on the destination's shard.
 *
 * <p>Journal form: DEL of the destination, then one ZADD of the result with each score spelled so it
 * parses back to the same double, so replay writes the same set whatever the sources hold then.
 */
final class ZSetStore {
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] ZADD = Args.bytes("ZADD");

    private ZSetStore() {
    }

    /** Replaces {@code dst} with the first {@code n} (member, score) pairs, members distinct. */
    static void replace(Keyspace ks, byte[] dst, byte[][] members, double[] scores, int n, Journal journal, String event) {
        Bytes key = new Bytes(dst);
        Entry old = ks.lookup(key);
        if (old != null) {
            ks.remove(old);
            journal.append(new byte[][] {DEL, dst});
        }
        if (n == 0) {
            if (old != null) {
                ks.notifier().notify(Notifier.GENERIC, "del", dst);
            }
            return;
        }
        int longest = 0;
        for (int i = 0; i < n; i++) {
            longest = Math.max(longest, members[i].length);
        }
        // zsetTypeCreate: the skip list at once when the result will not fit a listpack
        ZSetValue zset = ZSetValue.create(ks.limits(), n > ks.limits().zsetEntries ? Integer.MAX_VALUE : longest);
        byte[][] zadd = new byte[2 + 2 * n][];
        zadd[0] = ZADD;
        zadd[1] = dst;
        for (int i = 0; i < n; i++) {
            double s = scores[i];
            zset.add(new Bytes(members[i]), s);
            zadd[2 + 2 * i] = scoreText(s);
            zadd[3 + 2 * i] = members[i];
        }
        ks.addReplacing(key, ValueType.ZSET, zset, old != null);
        journal.append(zadd);
        ks.notifier().notify(Notifier.ZSET, event, dst);
    }

    /** A score as text that {@link Numbers#toDouble} reads back exactly. */
    static byte[] scoreText(double s) {
        if (Double.isInfinite(s)) {
            return Args.bytes(s > 0 ? "inf" : "-inf");
        }
        return Args.bytes(Double.toString(s));
    }
}
