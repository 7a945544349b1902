package io.shardline.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LengthFieldDecoderTest {

    /** An encoded stream and the payloads it carries. */
    record Encoded(byte[] bytes, List<byte[]> frames) {
    }

    static Encoded encode(int lengthBytes, List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            ByteBuffer header = ByteBuffer.allocate(lengthBytes);
            LengthFieldDecoder.writeLength(header, lengthBytes, f.length);
            out.writeBytes(header.array());
            out.writeBytes(f);
        }
        return new Encoded(out.toByteArray(), frames);
    }

    /** {@code count} frames of random sizes up to {@code maxLen}, every fourth one empty. */
    static Encoded randomStream(int lengthBytes, Random rnd, int count, int maxLen) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int len = i % 4 == 1 ? 0 : rnd.nextInt(maxLen + 1);
            frames.add(NetTestSupport.randomBytes(rnd, len));
        }
        return encode(lengthBytes, frames);
    }

    /**
     * Feeds {@code stream} to a fresh decoder in chunks whose sizes {@code chunker} picks (given the
     * bytes left), through one reused buffer that is scribbled over after every call, the way the
     * transport lends its read buffer; returns copies of the frames.
     */
    static List<byte[]> decode(int lengthBytes, int max, byte[] stream, IntUnaryOperator chunker, boolean direct)
            throws FrameTooLongException {
        List<byte[]> out = new ArrayList<>();
        LengthFieldDecoder d = new LengthFieldDecoder(lengthBytes, max, frame -> {
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            out.add(b);
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
                reused.put((byte) 0x5A); // a decoder that kept a reference to the input would now see garbage
            }
            pos += k;
        }
        return out;
    }

    static void assertFrames(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size(), "frame count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "frame " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void framesSurviveOneAndTwoByteChunks(int lengthBytes) throws Exception {
        Encoded e = randomStream(lengthBytes, new Random(lengthBytes), 40, 200);
        for (boolean direct : new boolean[] {false, true}) {
            assertFrames(e.frames(), decode(lengthBytes, 255, e.bytes(), left -> 1, direct));
            assertFrames(e.frames(), decode(lengthBytes, 255, e.bytes(), left -> 2, direct));
            assertFrames(e.frames(), decode(lengthBytes, 255, e.bytes(), left -> 3, direct));
            assertFrames(e.frames(), decode(lengthBytes, 255, e.bytes(), left -> left, direct));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void framesSurviveRandomChunks(int lengthBytes) throws Exception {
        Random rnd = new Random(100 + lengthBytes);
        int maxLen = lengthBytes == 1 ? 255 : 5000;
        for (int round = 0; round < 100; round++) {
            Encoded e = randomStream(lengthBytes, rnd, 1 + rnd.nextInt(30), maxLen);
            int maxChunk = 1 + rnd.nextInt(3 * maxLen);
            assertFrames(e.frames(), decode(lengthBytes, maxLen, e.bytes(), left -> 1 + rnd.nextInt(maxChunk),
                    rnd.nextBoolean()));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void framesSurviveASplitAtEveryByteBoundary(int lengthBytes) throws Exception {
        Encoded e = randomStream(lengthBytes, new Random(7 * lengthBytes), 12, 30);
        byte[] s = e.bytes();
        for (int split = 0; split <= s.length; split++) {
            int at = split;
            boolean[] first = {true};
            List<byte[]> got = decode(lengthBytes, 255, s, left -> {
                if (first[0]) {
                    first[0] = false;
                    return at == 0 ? left : at;
                }
                return left;
            }, split % 2 == 0);
            assertFrames(e.frames(), got);
        }
    }

    @Test
    void framesSurviveEveryPairOfSplitPoints() throws Exception {
        Encoded e = randomStream(2, new Random(3), 6, 12);
        byte[] s = e.bytes();
        for (int a = 1; a < s.length; a++) {
            for (int b = a + 1; b < s.length; b++) {
                int[] cuts = {a, b - a, s.length - b};
                int[] next = {0};
                assertFrames(e.frames(), decode(2, 255, s, left -> cuts[next[0]++], false));
            }
        }
    }

    @Test
    void manyFramesInOneBufferIncludingEmptyOnes() throws Exception {
        List<byte[]> frames = List.of(new byte[0], new byte[] {1}, new byte[0], new byte[0], new byte[] {2, 3, 4}, new byte[0]);
        Encoded e = encode(4, frames);
        List<byte[]> got = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        LengthFieldDecoder d = new LengthFieldDecoder(4, 10, f -> {
            positions.add(f.position());
            byte[] b = new byte[f.remaining()];
            f.get(b);
            got.add(b);
        });
        d.decode(ByteBuffer.wrap(e.bytes()));
        assertFrames(frames, got);
        assertTrue(positions.stream().allMatch(p -> p == 0), "every frame starts at position 0: " + positions);
    }

    @Test
    void aStreamOfOnlyEmptyFramesYieldsEachOne() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            frames.add(new byte[0]);
        }
        Encoded e = encode(1, frames);
        assertFrames(frames, decode(1, 0, e.bytes(), left -> 1, false));
        assertFrames(frames, decode(1, 0, e.bytes(), left -> left, true));
    }

    @Test
    void aFrameExactlyAtTheLimitIsAccepted() throws Exception {
        Encoded e = encode(2, List.of(new byte[100]));
        assertFrames(e.frames(), decode(2, 100, e.bytes(), left -> 7, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void aFrameOverTheLimitFails(int lengthBytes) {
        Encoded e = encode(lengthBytes, List.of(new byte[] {1, 2}, new byte[101], new byte[] {3}));
        for (int chunk : new int[] {1, 2, 5, 1000}) {
            List<byte[]> got = new ArrayList<>();
            LengthFieldDecoder d = new LengthFieldDecoder(lengthBytes, 100, f -> got.add(new byte[f.remaining()]));
            byte[] s = e.bytes();
            FrameTooLongException ex = assertThrows(FrameTooLongException.class, () -> {
                for (int pos = 0; pos < s.length; pos += chunk) {
                    d.decode(ByteBuffer.wrap(s, pos, Math.min(chunk, s.length - pos)));
                }
            });
            assertTrue(ex.getMessage().contains("101"), ex.getMessage());
            assertEquals(1, got.size(), "the frame before the long one is delivered, nothing after it");
        }
    }

    @Test
    void aHostileLengthIsRejectedWithoutAllocating() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int hostile : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) { // 2^31-1, 2^32-1, 2^31 unsigned
            for (int max : new int[] {1024 * 1024, Integer.MAX_VALUE - 1}) {
                LengthFieldDecoder d = new LengthFieldDecoder(4, max, f -> {
                    throw new AssertionError("no frame expected");
                });
                ByteBuffer in = ByteBuffer.allocate(8).putInt(hostile).putInt(0).flip();
                long before = mx.getCurrentThreadAllocatedBytes();
                assertThrows(FrameTooLongException.class, () -> d.decode(in),
                        "length " + Integer.toUnsignedString(hostile) + " with max " + max);
                long allocated = mx.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 1024 * 1024, "rejecting a hostile length allocated " + allocated + " bytes");
            }
        }
    }

    @Test
    void aHostileLengthSplitByteByByteIsRejected() throws Exception {
        LengthFieldDecoder d = new LengthFieldDecoder(4, 1 << 20, f -> {
            throw new AssertionError("no frame expected");
        });
        d.decode(ByteBuffer.wrap(new byte[] {0x7F}));
        d.decode(ByteBuffer.wrap(new byte[] {(byte) 0xFF}));
        d.decode(ByteBuffer.wrap(new byte[] {(byte) 0xFF}));
        assertThrows(FrameTooLongException.class, () -> d.decode(ByteBuffer.wrap(new byte[] {(byte) 0xFF})));
    }

    @Test
    void unsignedLengthsUseTheirWholeRange() throws Exception {
        Encoded one = encode(1, List.of(new byte[255]));
        assertEquals((byte) 0xFF, one.bytes()[0]);
        assertFrames(one.frames(), decode(1, 255, one.bytes(), left -> 100, false));
        Encoded two = encode(2, List.of(new byte[65535]));
        assertFrames(two.frames(), decode(2, 65535, two.bytes(), left -> 4096, false));
        assertThrows(FrameTooLongException.class, () -> decode(2, 65534, two.bytes(), left -> left, false));
    }

    @Test
    void aWholeFrameIsASliceOfTheInputNotACopy() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.putInt(5).put(new byte[] {10, 11, 12, 13, 14}).flip();
        List<String> checks = new ArrayList<>();
        LengthFieldDecoder d = new LengthFieldDecoder(4, 100, frame -> {
            checks.add("direct=" + frame.isDirect());
            direct.put(4, (byte) 99); // mutate the input under the frame
            checks.add("first=" + frame.get(frame.position()));
            checks.add("len=" + frame.remaining());
        });
        d.decode(direct);
        assertEquals(List.of("direct=true", "first=99", "len=5"), checks);

        byte[] array = new byte[] {0, 3, 7, 8, 9};
        ByteBuffer heap = ByteBuffer.wrap(array);
        ByteBuffer[] seen = new ByteBuffer[1];
        new LengthFieldDecoder(2, 100, frame -> seen[0] = frame).decode(heap);
        assertTrue(seen[0].hasArray());
        assertSame(array, seen[0].array(), "a heap frame shares the input's array");
        assertEquals(2, seen[0].arrayOffset() + seen[0].position());
    }

    @Test
    void aSplitFrameIsCopiedOnceIntoABufferOfExactlyItsSize() throws Exception {
        List<ByteBuffer> frames = new ArrayList<>();
        LengthFieldDecoder d = new LengthFieldDecoder(4, 1000, frames::add);
        ByteBuffer first = ByteBuffer.allocateDirect(10);
        first.putInt(300).put(new byte[] {1, 2, 3, 4, 5, 6}).flip();
        d.decode(first);
        assertTrue(frames.isEmpty());
        byte[] rest = new byte[294];
        rest[293] = 42;
        d.decode(ByteBuffer.wrap(rest));
        assertEquals(1, frames.size());
        ByteBuffer f = frames.get(0);
        assertEquals(300, f.remaining());
        assertEquals(300, f.capacity(), "the copy is exactly the frame's size");
        assertEquals(1, f.get(0));
        assertEquals(42, f.get(299));
    }

    @Test
    void writeLengthIsBigEndian() {
        ByteBuffer b = ByteBuffer.allocate(7);
        LengthFieldDecoder.writeLength(b, 1, 200);
        LengthFieldDecoder.writeLength(b, 2, 0x1234);
        LengthFieldDecoder.writeLength(b, 4, 0x01020304);
        assertArrayEquals(new byte[] {(byte) 200, 0x12, 0x34, 1, 2, 3, 4}, b.array());
        assertThrows(IllegalArgumentException.class, () -> LengthFieldDecoder.writeLength(b.clear(), 3, 1));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldDecoder(3, 10, f -> { }));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldDecoder(0, 10, f -> { }));
        assertThrows(IllegalArgumentException.class, () -> new LengthFieldDecoder(4, -1, f -> { }));
    }
}
