package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The DUMP payload codec on its own: CRC-64, LZF, the listpack, ziplist and intset readers, and
 * writer-to-reader round trips, against byte strings built by hand from the formats' layouts and
 * payloads captured from redis-server 7.0's DUMP.
 */
class RdbCodecTest {
    /** DUMP of RPUSH l a 1 -5 300 x*70 from redis-server 7.0: quicklist 2, one listpack node, LZF-compressed. */
    private static final String REDIS_LIST = "120102c31b405b135b00000005008161020101dffb02c12c02e04678e03c000148ff0a00b61457e3c23da134";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> text(List<byte[]> items) {
        List<String> out = new ArrayList<>();
        for (byte[] i : items) {
            out.add(new String(i, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** {@code body} closed with an RDB version and its CRC-64, as a payload. */
    private static byte[] seal(byte[] body, int version) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = (byte) version;
        p[body.length + 1] = (byte) (version >> 8);
        long crc = Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    @Test
    void crc64IsRedisJonesCrc() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.update(0, b("123456789"), 0, 9)); // Redis' crc64 self-test value
        assertEquals(0, Crc64.update(0, new byte[0], 0, 0));
    }

    @Test
    void lzfDecompressesLiteralsAndBackReferences() {
        // literal "ab" (ctrl 1), then a back reference of length 3+2... copying "ab" repeatedly (overlapping)
        byte[] in = {1, 'a', 'b', (byte) (3 << 5), 1};
        assertEquals("abababa", new String(Lzf.decompress(in, 0, in.length, 7), StandardCharsets.ISO_8859_1));
        // long reference: ctrl length 7 plus an extra length byte
        byte[] longRef = {0, 'z', (byte) (7 << 5), 10, 0};
        assertEquals("z".repeat(20), new String(Lzf.decompress(longRef, 0, longRef.length, 20), StandardCharsets.ISO_8859_1));
        assertNull(Lzf.decompress(in, 0, in.length, 8), "output shorter than promised");
        assertNull(Lzf.decompress(new byte[] {(byte) (1 << 5), 5}, 0, 2, 3), "reference before the start");
        assertNull(Lzf.decompress(new byte[] {5, 'a'}, 0, 2, 6), "truncated literal");
    }

    @Test
    void readsRedisQuicklistOfACompressedListpack() {
        byte[] p = HexFormat.of().parseHex(REDIS_LIST);
        assertTrue(RdbReader.footerValid(p));
        RdbValue v = RdbReader.read(p);
        assertEquals(ValueType.LIST, v.type());
        assertEquals(List.of("a", "1", "-5", "300", "x".repeat(70)), text(v.items()));
    }

    @Test
    void footerRefusesNewerVersionsAndBadChecksums() {
        byte[] body = {0, 2, 'h', 'i'};
        assertTrue(RdbReader.footerValid(seal(body, 11)));
        assertTrue(RdbReader.footerValid(seal(body, 9)));
        assertFalse(RdbReader.footerValid(seal(body, 12)));
        byte[] flipped = seal(body, 11);
        flipped[2] ^= 1;
        assertFalse(RdbReader.footerValid(flipped));
        assertFalse(RdbReader.footerValid(new byte[9]));
    }

    @Test
    void listpackEntriesOfEveryEncoding() {
        List<Integer> lp = new ArrayList<>(List.of(0, 0, 0, 0, 7, 0));
        addEntry(lp, 0x05); // 7-bit uint 5
        addEntry(lp, 0x82, 'o', 'k'); // 6-bit string
        addEntry(lp, 0xDF, 0xFB); // 13-bit -5
        addEntry(lp, 0xF1, 0x00, 0x80); // int16 -32768
        addEntry(lp, 0xF2, 0xFF, 0xFF, 0x7F); // int24 8388607
        addEntry(lp, 0xF3, 0xFF, 0xFF, 0xFF, 0xFF); // int32 -1
        addEntry(lp, 0xF4, 0, 0, 0, 0, 0, 0, 0, 0x80); // int64 min
        lp.add(0xFF);
        byte[] bytes = bytes(lp);
        setLe(bytes, 0, bytes.length, 4);
        assertEquals(List.of("5", "ok", "-5", "-32768", "8388607", "-1", "-9223372036854775808"),
                text(ListpackReader.entries(bytes)));
        byte[] wrongCount = bytes.clone();
        wrongCount[4] = 6;
        assertThrows(RdbInput.Corrupt.class, () -> ListpackReader.entries(wrongCount));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        setLe(truncated, 0, truncated.length, 4);
        assertThrows(RdbInput.Corrupt.class, () -> ListpackReader.entries(truncated));
    }

    @Test
    void ziplistEntriesOfEveryEncoding() {
        List<Integer> zl = new ArrayList<>(List.of(0, 0, 0, 0, 0, 0, 0, 0, 6, 0));
        zl.addAll(List.of(0, 0x03, (int) 'a', (int) 'b', (int) 'c')); // prevlen 0, 6-bit string
        zl.addAll(List.of(5, 0xF1)); // immediate 0
        zl.addAll(List.of(2, 0xFD)); // immediate 12
        zl.addAll(List.of(2, 0xFE, 0x80)); // int8 -128
        zl.addAll(List.of(3, 0xC0, 0x39, 0x30)); // int16 12345
        zl.addAll(List.of(4, 0xF0, 0x00, 0x00, 0x80)); // int24 -8388608
        zl.add(0xFF);
        byte[] bytes = bytes(zl);
        setLe(bytes, 0, bytes.length, 4);
        assertEquals(List.of("abc", "0", "12", "-128", "12345", "-8388608"), text(ZiplistReader.entries(bytes)));
    }

    @Test
    void intsetMembersInOrder() {
        byte[] is = bytes(List.of(4, 0, 0, 0, 2, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0));
        assertEquals(List.of("-1", "7"), text(IntsetReader.members(is)));
        byte[] unordered = bytes(List.of(2, 0, 0, 0, 2, 0, 0, 0, 7, 0, 1, 0));
        assertThrows(RdbInput.Corrupt.class, () -> IntsetReader.members(unordered));
    }

    @Test
    void everyTypeRoundTripsThroughWriterAndReader() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (String s : new String[] {"", "0", "-1", "127", "-128", "32767", "40000", "-2147483648", "2147483648",
                "007", "+1", "x".repeat(70), "y".repeat(20000)}) {
            RdbValue back = RdbReader.read(RdbWriter.payload(RdbValue.ofString(b(s))));
            assertEquals(s, new String(back.string(), StandardCharsets.ISO_8859_1));
        }
        List<byte[]> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] item = new byte[rnd.nextInt(100)];
            rnd.nextBytes(item);
            items.add(i % 3 == 0 ? b(Integer.toString(rnd.nextInt() - i)) : item);
        }
        for (ValueType t : new ValueType[] {ValueType.LIST, ValueType.SET, ValueType.HASH}) {
            List<byte[]> distinct = t == ValueType.LIST ? items : distinct(items);
            byte[] p = RdbWriter.payload(RdbValue.of(t, distinct));
            assertTrue(RdbReader.footerValid(p));
            RdbValue back = RdbReader.read(p);
            assertEquals(t, back.type());
            assertEquals(text(distinct), text(back.items()));
        }
        List<byte[]> members = distinct(items);
        double[] scores = new double[members.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i == 0 ? Double.NEGATIVE_INFINITY : i == 1 ? Double.POSITIVE_INFINITY : rnd.nextDouble() * 1e6 - 5e5;
        }
        RdbValue z = RdbReader.read(RdbWriter.payload(RdbValue.ofZset(members, scores)));
        assertEquals(text(members), text(z.items()));
        assertArrayEquals(scores, z.scores());
    }

    @Test
    void malformedObjectsAreCorrupt() {
        assertCorrupt(new byte[] {6, 0}); // a module type
        assertCorrupt(new byte[] {15, 0}); // a stream
        assertCorrupt(new byte[] {0, 5, 'a'}); // string shorter than its length
        assertCorrupt(new byte[] {1, 0}); // empty list
        assertCorrupt(new byte[] {2, 2, 1, 'a', 1, 'a'}); // duplicate set member
        assertCorrupt(new byte[] {4, 2, 1, 'f', 1, 'v', 1, 'f', 1, 'w'}); // duplicate hash field
        assertCorrupt(new byte[] {3, 1, 1, 'm', (byte) 253}); // NaN score
        assertCorrupt(new byte[] {1, (byte) 0x80, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // huge count
        assertCorrupt(new byte[] {0, (byte) 0xC3, 5, 10, 0, 'a'}); // LZF that does not fill its length
        assertCorrupt(new byte[] {18, 1, 3, 1, 'x'}); // quicklist container kind 3
    }

    @Test
    void oldZsetFormsReadAsciiScores() {
        byte[] body = {3, 2, 1, 'a', 3, '1', '.', '5', 1, 'b', (byte) 255};
        RdbValue v = RdbReader.read(seal(body, 9));
        assertEquals(List.of("a", "b"), text(v.items()));
        assertArrayEquals(new double[] {1.5, Double.NEGATIVE_INFINITY}, v.scores());
    }

    private static void assertCorrupt(byte[] body) {
        byte[] p = seal(body, 11);
        assertTrue(RdbReader.footerValid(p));
        assertThrows(RdbInput.Corrupt.class, () -> RdbReader.read(p), HexFormat.of().formatHex(body));
    }

    private static List<byte[]> distinct(List<byte[]> items) {
        List<byte[]> out = new ArrayList<>();
        java.util.HashSet<String> seen = new java.util.HashSet<>();
        for (byte[] i : items) {
            if (seen.add(new String(i, StandardCharsets.ISO_8859_1))) {
                out.add(i);
            }
        }
        if (out.size() % 2 != 0) {
            out.remove(out.size() - 1); // a hash needs pairs; fields alternate with values
        }
        return out;
    }

    /** Appends a listpack entry (encoding and data) and its one-byte backlen. */
    private static void addEntry(List<Integer> lp, int... bytes) {
        for (int x : bytes) {
            lp.add(x);
        }
        lp.add(bytes.length);
    }

    private static byte[] bytes(List<Integer> v) {
        byte[] out = new byte[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (int) v.get(i);
        }
        return out;
    }

    private static void setLe(byte[] b, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
