package io.shardline.shard;

import java.util.BitSet;
import net.openhft.affinity.Affinity;

/**
 * Pins the calling thread to one CPU with OpenHFT Affinity; stateless, called by each shard thread
 * for itself as it starts.
 */
final class Pinning {
    private Pinning() {
    }

    /** Pins the current thread to {@code cpu}; returns null on success, else why it could not. */
    static String pinCurrentThread(int cpu) {
        try {
            Affinity.setAffinity(cpu);
            BitSet mask = Affinity.getAffinity();
            if (mask.cardinality() == 1 && mask.get(cpu)) {
                return null;
            }
            return "affinity mask is " + mask + " after asking for CPU " + cpu;
        } catch (Throwable t) {
            return t.toString();
        }
    }
}
