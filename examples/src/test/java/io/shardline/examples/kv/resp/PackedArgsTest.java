package io.shardline.examples.kv.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link PackedArgs}: requests packed into one array read back argument by argument, as they were. */
class PackedArgsTest {
    @Test
    void eachRequestReadsBackAsItWasAdded() {
        PackedArgs packed = new PackedArgs();
        byte[] value = new byte[5000]; // past the first array: it grows
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        byte[][] set = {b("SET"), b("k"), value};
        packed.add(Argv.of(set));
        packed.add(Argv.of(b("GET"), b("")));
        for (int i = 0; i < 40; i++) { // more arguments and requests than the first arrays hold
            packed.add(Argv.of(b("INCR"), b("c" + i)));
        }
        set[2][0] = 99; // the caller's arrays are copied, not kept
        RespArgs view = PackedArgs.newView();
        assertEquals(42, packed.requests());

        packed.view(0, view);
        assertEquals(3, view.count());
        assertEquals("SET", view.string(0));
        assertEquals("k", view.string(1));
        value[0] = 0;
        assertArrayEquals(value, view.bytes(2));

        packed.view(1, view);
        assertEquals(2, view.count());
        assertEquals(0, view.length(1));
        assertEquals("GET", view.string(0));

        packed.view(41, view);
        assertEquals(2, view.count());
        assertEquals("c39", view.string(1));
        assertThrows(IndexOutOfBoundsException.class, () -> packed.view(42, view));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
