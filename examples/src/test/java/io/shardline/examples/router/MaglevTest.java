package io.shardline.examples.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaglevTest {
    private static final int KEYS = 20_000;

    private static List<String> names(int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add("10.0.0." + (i + 1) + ":8080");
        }
        return l;
    }

    @Test
    void twoTablesBuiltApartAgreeOnEveryKey() {
        Maglev a = new Maglev(names(5));
        Maglev b = new Maglev(names(5));
        for (int k = 0; k < KEYS; k++) {
            assertEquals(a.pick("user-" + k), b.pick("user-" + k));
        }
    }

    @Test
    void keysSpreadEvenly() {
        Maglev m = new Maglev(names(4));
        int[] count = new int[4];
        for (int k = 0; k < KEYS; k++) {
            count[m.pick("user-" + k)]++;
        }
        for (int c : count) {
            assertTrue(c > KEYS / 4 * 0.85 && c < KEYS / 4 * 1.15, "uneven: " + java.util.Arrays.toString(count));
        }
    }

    /** Maglev is near-minimal, not minimal: a few keys of the upstreams that stay may move too. */
    @Test
    void removingAnUpstreamMovesLittleMoreThanItsKeys() {
        for (int n = 2; n <= 8; n++) {
            List<String> all = names(n);
            List<String> less = new ArrayList<>(all);
            String removed = less.remove(n / 2);
            Maglev before = new Maglev(all);
            Maglev after = new Maglev(less);
            int kept = 0;
            for (int k = 0; k < KEYS; k++) {
                String was = all.get(before.pick("k" + k));
                String now = less.get(after.pick("k" + k));
                if (was.equals(now)) {
                    kept++;
                }
                if (was.equals(removed)) {
                    assertTrue(!now.equals(removed));
                }
            }
            double expected = 1 - 1.0 / n;
            assertTrue(kept >= KEYS * (expected - 0.02), n + " upstreams: kept " + kept + " of " + KEYS);
        }
    }

    @Test
    void addingAnUpstreamKeepsMostKeys() {
        for (int n = 2; n <= 8; n++) {
            List<String> all = names(n + 1);
            List<String> fewer = all.subList(0, n);
            Maglev before = new Maglev(fewer);
            Maglev after = new Maglev(all);
            int kept = 0;
            for (int k = 0; k < KEYS; k++) {
                if (fewer.get(before.pick("k" + k)).equals(all.get(after.pick("k" + k)))) {
                    kept++;
                }
            }
            double expected = 1 - 1.0 / (n + 1);
            assertTrue(kept >= KEYS * (expected - 0.03), n + "+1 upstreams: kept " + kept + " of " + KEYS);
        }
    }

    @Test
    void anUnusableUpstreamsKeysGoToTheSameOtherOne() {
        Maglev m = new Maglev(names(3));
        for (int k = 0; k < 1000; k++) {
            int first = m.pick("k" + k);
            int alt = m.pick("k" + k, i -> i != first);
            assertTrue(alt >= 0 && alt != first);
            assertEquals(alt, m.pick("k" + k, i -> i != first), "fallback is deterministic");
            assertEquals(first, m.pick("k" + k, i -> true));
        }
        assertEquals(-1, m.pick("x", i -> false));
    }
}
