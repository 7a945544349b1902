package io.shardline.examples.kv.store;

/**
 * The cardinality estimate of a HyperLogLog from its register histogram, as Redis computes it so that
 * PFCOUNT answers Redis's number exactly. Stateless; any thread.
 */
public final class HllEstimator {
    private static final double ALPHA_INF = 0.721347520444481703680; // 0.5 / ln 2

    private HllEstimator() {
    }

    /** The estimate for registers held one per byte (PFCOUNT over several keys). */
    public static long ofRegisters(byte[] registers) {
        int[] histo = new int[64];
        for (int i = 0; i < Hll.REGISTERS; i++) {
            histo[registers[i]]++;
        }
        return estimate(histo);
    }

    /** Ertl's estimator ("New cardinality estimation algorithms for HyperLogLog sketches"), as Redis 4+ uses it. */
    static long estimate(int[] histo) {
        double m = Hll.REGISTERS;
        double z = m * tau((m - histo[Hll.Q + 1]) / m);
        for (int j = Hll.Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(ALPHA_INF * m * m / z);
    }

    private static double sigma(double x) {
        if (x == 1.0) {
            return Double.POSITIVE_INFINITY;
        }
        double y = 1;
        double z = x;
        double before;
        do {
            x *= x;
            before = z;
            z += x * y;
            y += y;
        } while (before != z);
        return z;
    }

    private static double tau(double x) {
        if (x == 0.0 || x == 1.0) {
            return 0.0;
        }
        double y = 1.0;
        double z = 1 - x;
        double before;
        do {
            x = Math.sqrt(x);
            before = z;
            y *= 0.5;
            double d = 1 - x;
            z -= d * d * y;
        } while (before != z);
        return z / 3;
    }
}
