package io.shardline.examples.kv.store;

import java.util.HashMap;

/**
 * One input of ZUNION, ZINTER, ZDIFF and their STOREs, read by index and by member: a sorted set, a
 * plain set (every member scores 1, as t_zset.c's zuiInitIterator reads one), or members and scores
 * gathered from another shard. Not thread-safe; lives for one command.
 */
abstract class ZSetSource {
    abstract int size();

    abstract byte[] member(int i);

    abstract double score(int i);

    /** The score of {@code m}, or NaN if absent. */
    abstract double scoreOf(Bytes m);

    static ZSetSource of(ZSetValue z) {
        return new ZSetSource() {
            int size() {
                return z.size();
            }

            byte[] member(int i) {
                return z.memberAt(i);
            }

            double score(int i) {
                return z.scoreAt(i);
            }

            double scoreOf(Bytes m) {
                return z.scoreOf(m);
            }
        };
    }

    static ZSetSource of(SetValue s) {
        return new ZSetSource() {
            int size() {
                return s.size();
            }

            byte[] member(int i) {
                return s.member(i);
            }

            double score(int i) {
                return 1.0;
            }

            double scoreOf(Bytes m) {
                return s.contains(m) ? 1.0 : Double.NaN;
            }
        };
    }

    /** Gathered pairs; the member index is built on the first lookup. */
    static ZSetSource of(byte[][] members, double[] scores) {
        return new ZSetSource() {
            private HashMap<Bytes, Double> index;

            int size() {
                return members.length;
            }

            byte[] member(int i) {
                return members[i];
            }

            double score(int i) {
                return scores[i];
            }

            double scoreOf(Bytes m) {
                if (index == null) {
                    index = new HashMap<>(members.length * 2);
                    for (int i = 0; i < members.length; i++) {
                        index.put(new Bytes(members[i]), scores[i]);
                    }
                }
                Double s = index.get(m);
                return s == null ? Double.NaN : s;
            }
        };
    }
}
