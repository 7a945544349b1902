package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The value classes read a lookup probe (a slice of a bigger array) in every encoding, and copy it
 * when they keep it: a probe re-aimed afterwards must not change what was stored.
 */
class ValueProbeTest {
    private static final byte[] BUFFER = "..12..abc..xyz..".getBytes(StandardCharsets.US_ASCII);

    private static Bytes b(String s) {
        return new Bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A probe at BUFFER[from, from + len). */
    private static Bytes at(Bytes probe, int from, int len) {
        return probe.point(BUFFER, from, len);
    }

    @Test
    void setsInEveryEncoding() {
        Bytes probe = Bytes.probe();
        SetValue ints = new SetValue(new EncodingLimits());
        ints.add(b("12"));
        assertTrue(ints.contains(at(probe, 2, 2)), "intset, by a probe's digits");
        SetValue pack = SetValue.create(new EncodingLimits(), false, 1);
        pack.add(at(probe, 6, 3));
        at(probe, 11, 3); // re-aimed: the stored member must not follow
        assertEquals("listpack", pack.encoding());
        assertTrue(pack.contains(b("abc")));
        assertFalse(pack.contains(b("xyz")));
        SetValue table = new SetValue();
        table.add(at(probe, 6, 3));
        at(probe, 11, 3);
        assertTrue(table.contains(b("abc")), "the table keeps a copy");
        assertTrue(table.remove(at(probe, 6, 3)));
        assertTrue(pack.remove(at(probe, 6, 3)));
        assertTrue(ints.remove(at(probe, 2, 2)));
    }

    @Test
    void hashesAndSortedSetsInBothEncodings() {
        Bytes probe = Bytes.probe();
        for (int entries : new int[] {512, 0}) {
            EncodingLimits limits = new EncodingLimits();
            limits.set("hash-max-listpack-entries", entries);
            limits.set("zset-max-listpack-entries", entries);
            HashValue hash = new HashValue(limits);
            hash.put(at(probe, 6, 3), b("v").bytes);
            at(probe, 11, 3);
            assertArrayEquals(b("v").bytes, hash.get(b("abc")), hash.encoding());
            assertArrayEquals(b("v").bytes, hash.get(at(probe, 6, 3)), hash.encoding());
            assertNull(hash.get(at(probe, 11, 3)));
            assertTrue(hash.remove(at(probe, 6, 3)));

            ZSetValue zset = ZSetValue.create(limits, 3);
            zset.add(at(probe, 6, 3), 1.5);
            zset.add(b("b"), 1.5);
            at(probe, 11, 3);
            assertEquals(1.5, zset.scoreOf(at(probe, 6, 3)), zset.encoding());
            assertArrayEquals(b("abc").bytes, zset.memberAt(0), "abc sorts before b at equal scores");
            assertTrue(Double.isNaN(zset.scoreOf(at(probe, 11, 3))));
            zset.rescore(at(probe, 6, 3), 2);
            assertArrayEquals(b("abc").bytes, zset.memberAt(1));
            assertTrue(zset.remove(at(probe, 6, 3)));
            assertEquals(1, zset.size());
        }
    }
}
