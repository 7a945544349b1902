package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/** A {@link Bytes} probe finds keys by a slice of another array, and is copied before it is kept. */
class BytesProbeTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aProbeOverASliceEqualsTheOwnedKeyAndFindsIt() {
        Bytes owned = new Bytes(ascii("user:42"));
        HashMap<Bytes, String> map = new HashMap<>();
        map.put(owned, "v");
        byte[] buffer = ascii("*2\r\n$3\r\nGET\r\n$7\r\nuser:42\r\n");
        Bytes probe = Bytes.probe().point(buffer, 17, 7);
        assertEquals(owned, probe);
        assertEquals(owned.hashCode(), probe.hashCode());
        assertEquals(0, probe.compareTo(owned));
        assertEquals("v", map.get(probe));
        assertNull(map.get(probe.point(buffer, 17, 6)), "user:4 is another key");
        assertEquals("user:4", probe.toString());
    }

    @Test
    void ownedCopiesAProbeSoTheBufferMayChange() {
        byte[] buffer = ascii("xxkeyxx");
        Bytes probe = Bytes.probe().point(buffer, 2, 3);
        Bytes kept = probe.owned();
        assertNotSame(probe, kept);
        buffer[2] = 'K';
        assertArrayEquals(ascii("key"), kept.bytes);
        assertEquals(new Bytes(ascii("key")), kept);
        Bytes plain = new Bytes(ascii("key"));
        assertSame(plain, plain.owned());
        assertThrows(IllegalStateException.class, () -> plain.point(buffer, 0, 1));
    }

    @Test
    void aKeyAddedThroughAProbeIsAKeyOfItsOwn() {
        Keyspace ks = new Keyspace(() -> 1_000L);
        byte[] buffer = ascii("..abc..");
        Bytes probe = Bytes.probe().point(buffer, 2, 3);
        Entry e = ks.add(probe, ValueType.STRING, ascii("1"));
        buffer[2] = 'z';
        assertArrayEquals(ascii("abc"), e.key());
        assertSame(e, ks.lookup(new Bytes(ascii("abc"))));
        assertNull(ks.lookup(probe), "the probe now spells zbc");
    }
}
