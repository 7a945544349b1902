package io.shardline.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DelimiterDecoderTest {

    /** The obvious splitter: scan for the earliest delimiter from each frame's start; a tail without one is pending. */
    static List<String> reference(byte[] stream, byte[] delimiter) {
        List<String> frames = new ArrayList<>();
        int start = 0;
        outer:
        for (int i = 0; i + delimiter.length <= stream.length; i++) {
            if (i < start) {
                continue;
            }
            for (int k = 0; k < delimiter.length; k++) {
                if (stream[i + k] != delimiter[k]) {
                    continue outer;
                }
            }
            frames.add(new String(stream, start, i - start, US_ASCII));
            start = i + delimiter.length;
            i = start - 1;
        }
        return frames;
    }

    /**
     * Feeds {@code stream} in chunks {@code chunker} sizes (given the bytes left) through one reused
     * buffer that is scribbled over after each call, like the transport's pooled read buffer.
     */
    static List<String> decode(byte[] delimiter, int max, byte[] stream, IntUnaryOperator chunker, boolean direct)
            throws FrameTooLongException {
        List<String> out = new ArrayList<>();
        DelimiterDecoder d = new DelimiterDecoder(delimiter, max, frame -> {
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            out.add(new String(b, US_ASCII));
        });
        ByteBuffer reused = direct ? ByteBuffer.allocateDirect(stream.length + 1) : ByteBuffer.allocate(stream.length + 1);
        int pos = 0;
        while (pos < stream.length) {
            int k = Math.max(1, Math.min(chunker.applyAsInt(stream.length - pos), stream.length - pos));
            reused.clear();
            reused.put(stream, pos, k).flip();
            d.decode(reused);
            assertFalse(reused.hasRemaining(), "decode must consume its whole input");
            reused.clear();
            while (reused.hasRemaining()) {
                reused.put((byte) 'Z');
            }
            pos += k;
        }
        return out;
    }

    static List<String> decodeWhole(String delimiter, int max, String stream) throws FrameTooLongException {
        byte[] s = stream.getBytes(US_ASCII);
        return decode(delimiter.getBytes(US_ASCII), max, s, left -> left, false);
    }

    /** Random bytes over a tiny alphabet so that delimiters and near-misses (partial matches) are frequent. */
    static byte[] randomStream(Random rnd, int n, String alphabet) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
        }
        return b;
    }

    static final String[] DELIMITERS = {"\r\n", "\n", "\r\n\r\n", "aba", "aab"};

    @Test
    void matchesTheReferenceForOneTwoAndThreeByteChunks() throws Exception {
        Random rnd = new Random(1);
        for (String delim : DELIMITERS) {
            byte[] d = delim.getBytes(US_ASCII);
            for (int round = 0; round < 30; round++) {
                byte[] s = randomStream(rnd, 1 + rnd.nextInt(400), "ab\r\n");
                List<String> expected = reference(s, d);
                for (int chunk = 1; chunk <= 3; chunk++) {
                    int c = chunk;
                    assertEquals(expected, decode(d, s.length, s, left -> c, chunk == 2),
                            "delimiter " + Arrays.toString(d) + ", chunks of " + chunk);
                }
                assertEquals(expected, decode(d, s.length, s, left -> left, false));
            }
        }
    }

    @Test
    void matchesTheReferenceForRandomChunks() throws Exception {
        Random rnd = new Random(2);
        for (String delim : DELIMITERS) {
            byte[] d = delim.getBytes(US_ASCII);
            for (int round = 0; round < 200; round++) {
                byte[] s = randomStream(rnd, 1 + rnd.nextInt(3000), round % 2 == 0 ? "ab\r\n" : "aaaaaaaab\r\n");
                int maxChunk = 1 + rnd.nextInt(600);
                assertEquals(reference(s, d), decode(d, s.length, s, left -> 1 + rnd.nextInt(maxChunk), rnd.nextBoolean()),
                        "delimiter " + Arrays.toString(d) + " round " + round);
            }
        }
    }

    @Test
    void matchesTheReferenceForASplitAtEveryByteBoundary() throws Exception {
        Random rnd = new Random(3);
        for (String delim : DELIMITERS) {
            byte[] d = delim.getBytes(US_ASCII);
            byte[] s = randomStream(rnd, 120, "ab\r\n");
            List<String> expected = reference(s, d);
            for (int split = 1; split < s.length; split++) {
                int at = split;
                boolean[] first = {true};
                assertEquals(expected, decode(d, s.length, s, left -> {
                    if (first[0]) {
                        first[0] = false;
                        return at;
                    }
                    return left;
                }, false), "split at " + split);
            }
        }
    }

    @Test
    void matchesTheReferenceForEveryPairOfSplitPoints() throws Exception {
        byte[] d = "\r\n".getBytes(US_ASCII);
        byte[] s = "ab\r\r\n\r\n\nx\r\na\rb\r\n\r".getBytes(US_ASCII);
        List<String> expected = reference(s, d);
        assertEquals(List.of("ab\r", "", "\nx", "a\rb"), expected);
        for (int a = 1; a < s.length; a++) {
            for (int b = a + 1; b < s.length; b++) {
                int[] cuts = {a, b - a, s.length - b};
                int[] next = {0};
                assertEquals(expected, decode(d, 100, s, left -> cuts[next[0]++], false), "cuts at " + a + "," + b);
            }
        }
    }

    @Test
    void aDelimiterSplitAcrossBuffersIsFound() throws Exception {
        List<String> got = new ArrayList<>();
        DelimiterDecoder d = new DelimiterDecoder("\r\n".getBytes(US_ASCII), 100, f -> got.add(US_ASCII.decode(f).toString()));
        d.decode(ByteBuffer.wrap("abc\r".getBytes(US_ASCII)));
        assertEquals(List.of(), got);
        d.decode(ByteBuffer.wrap("\ndef\r\ng".getBytes(US_ASCII)));
        assertEquals(List.of("abc", "def"), got);
        d.decode(ByteBuffer.wrap("h\r".getBytes(US_ASCII)));
        d.decode(ByteBuffer.wrap("\n".getBytes(US_ASCII)));
        assertEquals(List.of("abc", "def", "gh"), got);

        got.clear();
        DelimiterDecoder four = new DelimiterDecoder("\r\n\r\n".getBytes(US_ASCII), 100, f -> got.add(US_ASCII.decode(f).toString()));
        for (String piece : new String[] {"GET / HTTP/1.1\r", "\nHost: x\r\n", "\r", "\nnext\r\n\r\n"}) {
            four.decode(ByteBuffer.wrap(piece.getBytes(US_ASCII)));
        }
        assertEquals(List.of("GET / HTTP/1.1\r\nHost: x", "next"), got);
    }

    @Test
    void manyFramesInOneBufferIncludingEmptyOnes() throws Exception {
        assertEquals(List.of("", "", "abc", "", "d"), decodeWhole("\r\n", 10, "\r\n\r\nabc\r\n\r\nd\r\ntail"));
        assertEquals(List.of("", "", ""), decodeWhole("\n", 0, "\n\n\n"));
    }

    @Test
    void aFrameOverTheLimitFails() throws Exception {
        assertEquals(List.of("aaaa"), decodeWhole("\r\n", 4, "aaaa\r\n"));
        assertThrows(FrameTooLongException.class, () -> decodeWhole("\r\n", 4, "aaaaa\r\n"));
        assertThrows(FrameTooLongException.class, () -> decodeWhole("\n", 0, "a\n"));
        byte[] d = "\r\n".getBytes(US_ASCII);
        byte[] s = "ok\r\naaaaa\r\nnever\r\n".getBytes(US_ASCII);
        for (int chunk = 1; chunk <= s.length; chunk++) {
            int c = chunk;
            List<String> got = new ArrayList<>();
            DelimiterDecoder dec = new DelimiterDecoder(d, 4, f -> got.add(US_ASCII.decode(f).toString()));
            assertThrows(FrameTooLongException.class, () -> {
                for (int pos = 0; pos < s.length; pos += c) {
                    dec.decode(ByteBuffer.wrap(s, pos, Math.min(c, s.length - pos)));
                }
            }, "chunks of " + chunk);
            assertEquals(List.of("ok"), got, "chunks of " + chunk);
        }
    }

    @Test
    void dataPastTheLimitWithoutADelimiterFails() throws Exception {
        byte[] d = "\r\n".getBytes(US_ASCII);
        // max + delimiter - 1 bytes may still end in a delimiter prefix: no error yet.
        DelimiterDecoder pending = new DelimiterDecoder(d, 4, f -> assertEquals(4, f.remaining()));
        pending.decode(ByteBuffer.wrap("aaaa\r".getBytes(US_ASCII)));
        pending.decode(ByteBuffer.wrap("\n".getBytes(US_ASCII)));

        // max + delimiter bytes without one cannot be a frame, whether they come at once or byte by byte.
        byte[] flood = new byte[4 + d.length];
        Arrays.fill(flood, (byte) 'a');
        assertThrows(FrameTooLongException.class,
                () -> new DelimiterDecoder(d, 4, f -> { }).decode(ByteBuffer.wrap(flood)));
        DelimiterDecoder slow = new DelimiterDecoder(d, 4, f -> { });
        assertThrows(FrameTooLongException.class, () -> {
            for (byte b : flood) {
                slow.decode(ByteBuffer.wrap(new byte[] {b}));
            }
        });
        // A long flood fails without reading all of it into memory.
        DelimiterDecoder big = new DelimiterDecoder(d, 1000, f -> { });
        big.decode(ByteBuffer.wrap(new byte[500]));
        assertThrows(FrameTooLongException.class, () -> big.decode(ByteBuffer.allocate(10_000_000)));
    }

    /** Bytes this thread allocates while a 4 MiB frame arrives in 4 KiB reads. */
    private static long allocatedForABigSplitFrame(int maxFrameLength) throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int[] frames = {0};
        int[] length = {0};
        DelimiterDecoder d = new DelimiterDecoder("\r\n".getBytes(US_ASCII), maxFrameLength, f -> {
            frames[0]++;
            length[0] = f.remaining();
        });
        ByteBuffer read = ByteBuffer.allocate(4096);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1024; i++) {
            read.clear();
            d.decode(read);
        }
        d.decode(ByteBuffer.wrap("\r\n".getBytes(US_ASCII)));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1, frames[0]);
        assertEquals(4 * 1024 * 1024, length[0]);
        return allocated;
    }

    @Test
    void aFrameSplitOverManyReadsCostsAFewTimesItsSize() throws Exception {
        long allocated = allocatedForABigSplitFrame(1 << 30);
        assertTrue(allocated < 64L * 1024 * 1024, "a 4 MiB frame cost " + (allocated >> 20) + " MiB of allocation");
    }

    @Test
    void aFrameSplitOverManyReadsCostsAFewTimesItsSizeWithNoPracticalLimit() throws Exception {
        long allocated = allocatedForABigSplitFrame(Integer.MAX_VALUE);
        assertTrue(allocated < 64L * 1024 * 1024, "a 4 MiB frame cost " + (allocated >> 20) + " MiB of allocation");
    }

    @Test
    void aWholeFrameIsASliceOfTheInput() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put("hello\n".getBytes(US_ASCII)).flip();
        List<String> checks = new ArrayList<>();
        new DelimiterDecoder(new byte[] {'\n'}, 100, frame -> {
            checks.add("direct=" + frame.isDirect());
            direct.put(0, (byte) 'J');
            checks.add(US_ASCII.decode(frame).toString());
        }).decode(direct);
        assertEquals(List.of("direct=true", "jello".replace('j', 'J')), checks);
    }

    @Test
    void theDelimiterIsCopiedAtConstruction() throws Exception {
        byte[] d = {'\n'};
        List<String> got = new ArrayList<>();
        DelimiterDecoder dec = new DelimiterDecoder(d, 10, f -> got.add(US_ASCII.decode(f).toString()));
        d[0] = 'x';
        dec.decode(ByteBuffer.wrap("axb\n".getBytes(US_ASCII)));
        assertEquals(List.of("axb"), got);
        assertTrue(dec.toString().contains("10"));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -100})
    void badSettingsAreRejected(int max) {
        assertThrows(IllegalArgumentException.class, () -> new DelimiterDecoder(new byte[] {'\n'}, max, f -> { }));
        assertThrows(IllegalArgumentException.class, () -> new DelimiterDecoder(new byte[0], 10, f -> { }));
    }
}
