package io.shardline.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The outbound buffer alone, with no socket: the test plays the sender, taking what {@code gather}
 * offers in whatever amounts a socket might and reporting it with {@code consumed}. Chunks are 8
 * bytes so that a few bytes span several.
 */
class OutboundBufferTest {
    private static final int CHUNK = 8;
    private static final String PEER = "the peer";
    private final BufferPool pool = new BufferPool(CHUNK, 16);
    private final List<Boolean> writability = new ArrayList<>();

    private OutboundBuffer buffer(int low, int high, long limit) {
        return new OutboundBuffer(pool, new ConnectionOptions(low, high, limit, java.time.Duration.ZERO,
                java.time.Duration.ZERO), PEER, writability::add);
    }

    private static ByteBuffer bytes(int from, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (from + i));
        }
        return b.flip();
    }

    /** Takes up to {@code n} of the queued bytes as a socket would: copies them out, then reports them. */
    private static byte[] send(OutboundBuffer out, int n) {
        ByteBuffer[] bufs = new ByteBuffer[4];
        int count = out.gather(bufs, Long.MAX_VALUE);
        ByteArrayOutputStream taken = new ByteArrayOutputStream();
        for (int i = 0; i < count && taken.size() < n; i++) {
            int k = Math.min(bufs[i].remaining(), n - taken.size());
            byte[] part = new byte[k];
            bufs[i].get(part); // moves the position, as a gathering write does
            taken.writeBytes(part);
        }
        out.consumed(taken.size());
        return taken.toByteArray();
    }

    @Test
    void smallWritesArePackedIntoChunksAndOfferedInOrder() throws Exception {
        OutboundBuffer out = buffer(100, 200, 1000);
        out.add(bytes(0, 3));
        out.add(bytes(3, 3));
        out.add(bytes(6, 5)); // fills the first chunk and starts a second
        assertEquals(11, out.queuedBytes());
        ByteBuffer[] bufs = new ByteBuffer[4];
        assertEquals(2, out.gather(bufs, Long.MAX_VALUE), "11 bytes in 8-byte chunks, not a chunk per write");
        assertEquals(8, bufs[0].remaining());
        assertEquals(3, bufs[1].remaining());
        assertTrue(bufs[0].isDirect(), "native memory a sender can hand to the kernel as it is");
        ByteBuffer all = ByteBuffer.allocate(11).put(bufs[0]).put(bufs[1]).flip();
        assertEquals(bytes(0, 11), all);
    }

    @Test
    void addConsumesItsInputWhole() throws Exception {
        OutboundBuffer out = buffer(100, 200, 1000);
        ByteBuffer data = bytes(0, 20);
        out.add(data);
        assertFalse(data.hasRemaining());
        assertEquals(20, out.queuedBytes());
        assertFalse(out.isEmpty());
    }

    @Test
    void partialConsumptionResumesMidChunkAndAcrossChunksInOrder() throws Exception {
        OutboundBuffer out = buffer(1000, 2000, 10_000);
        Random rnd = new Random(11);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        int written = 0;
        for (int round = 0; round < 200; round++) {
            int n = rnd.nextInt(13);
            out.add(bytes(written, n));
            written += n;
            sent.writeBytes(send(out, rnd.nextInt(20)));
            assertEquals(written - sent.size(), out.queuedBytes());
        }
        while (!out.isEmpty()) {
            sent.writeBytes(send(out, 1 + rnd.nextInt(5)));
        }
        assertArrayEquals(expected(0, written), sent.toByteArray());
    }

    @Test
    void aQueueOfManyChunksThatWrappedAroundKeepsItsOrderAsItGrows() throws Exception {
        OutboundBuffer out = buffer(1000, 2000, 10_000);
        out.add(bytes(0, 24)); // three chunks
        assertArrayEquals(expected(0, 16), send(out, 16)); // the first two go: the queue starts further on
        out.add(bytes(24, 80)); // ten more chunks, past where the queue started and past its first size
        assertEquals(88, out.queuedBytes());
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        while (!out.isEmpty()) {
            rest.writeBytes(send(out, 13));
        }
        assertArrayEquals(expected(16, 88), rest.toByteArray());
    }

    private static byte[] expected(int from, int n) {
        byte[] b = new byte[n];
        bytes(from, n).get(b);
        return b;
    }

    @Test
    void positionsASenderMovedWithoutReportingAreResetByTheNextGather() throws Exception {
        OutboundBuffer out = buffer(100, 200, 1000);
        out.add(bytes(0, 12));
        ByteBuffer[] bufs = new ByteBuffer[4];
        out.gather(bufs, Long.MAX_VALUE);
        bufs[0].position(bufs[0].limit()); // a write that failed after moving them, say
        bufs[1].position(bufs[1].limit());
        out.consumed(3);
        assertEquals(2, out.gather(bufs, Long.MAX_VALUE));
        assertEquals(bytes(3, 5), bufs[0]);
        assertEquals(bytes(8, 4), bufs[1]);
    }

    @Test
    void aFullyConsumedChunkGoesBackToThePool() throws Exception {
        OutboundBuffer out = buffer(100, 200, 1000);
        out.add(bytes(0, 12));
        ByteBuffer[] bufs = new ByteBuffer[4];
        out.gather(bufs, Long.MAX_VALUE);
        ByteBuffer first = bufs[0];
        out.consumed(8);
        assertSame(first, pool.acquire(), "the emptied chunk is reused");
        assertEquals(1, out.gather(bufs, Long.MAX_VALUE));
        assertEquals(bytes(8, 4), bufs[0]);
    }

    @Test
    void gatherStopsAtTheByteBudgetAndTheArrayButOffersAtLeastOneChunk() throws Exception {
        OutboundBuffer out = buffer(100, 200, 1000);
        out.add(bytes(0, 40)); // five chunks
        ByteBuffer[] bufs = new ByteBuffer[4];
        assertEquals(4, out.gather(bufs, Long.MAX_VALUE), "as many as the array holds");
        assertEquals(2, out.gather(bufs, 20), "whole chunks within 20 bytes");
        assertEquals(1, out.gather(bufs, 1), "the first chunk even past the budget");
        assertEquals(8, bufs[0].remaining());
        out.consumed(40);
        assertEquals(0, out.gather(bufs, Long.MAX_VALUE));
    }

    @Test
    void appendingWhileChunksAreGatheredLeavesTheGatheredBytesInPlace() throws Exception {
        OutboundBuffer out = buffer(100, 200, 1000);
        out.add(bytes(0, 5));
        ByteBuffer[] bufs = new ByteBuffer[4];
        out.gather(bufs, Long.MAX_VALUE);
        ByteBuffer inFlight = bufs[0];
        int sendLength = inFlight.remaining(); // what a send in flight was given
        out.add(bytes(5, 6)); // fills that chunk's tail and starts another
        assertEquals(bytes(0, sendLength), inFlight.duplicate().limit(inFlight.position() + sendLength));
        out.consumed(sendLength);
        assertEquals(2, out.gather(bufs, Long.MAX_VALUE));
        assertEquals(bytes(5, 3), bufs[0]);
        assertEquals(bytes(8, 3), bufs[1]);
    }

    @Test
    void writabilityTurnsOffAboveTheHighWatermarkAndOnAtTheLowOneOnceEach() throws Exception {
        OutboundBuffer out = buffer(10, 20, 1000);
        out.add(bytes(0, 20));
        assertTrue(out.isWritable(), "at the high watermark is not above it");
        assertEquals(List.of(), writability);
        out.add(bytes(20, 1));
        assertFalse(out.isWritable());
        assertEquals(List.of(false), writability);
        out.add(bytes(21, 30));
        assertEquals(List.of(false), writability, "told once, not per write");
        out.consumed(40); // 11 left: under the high watermark but above the low one
        assertFalse(out.isWritable());
        assertEquals(List.of(false), writability);
        out.consumed(1); // 10: at the low watermark
        assertTrue(out.isWritable());
        assertEquals(List.of(false, true), writability);
        out.consumed(10);
        assertEquals(List.of(false, true), writability);
    }

    @Test
    void theListenerSeesTheBufferAlreadyUpdated() throws Exception {
        List<Long> queuedWhenTold = new ArrayList<>();
        OutboundBuffer[] holder = new OutboundBuffer[1];
        holder[0] = new OutboundBuffer(pool, ConnectionOptions.DEFAULT.withWatermarks(2, 4), PEER,
                writable -> queuedWhenTold.add(holder[0].queuedBytes()));
        holder[0].add(bytes(0, 9));
        holder[0].consumed(7);
        assertEquals(List.of(9L, 2L), queuedWhenTold);
    }

    @Test
    void aWriteThatWouldPassTheLimitIsRefusedWholeAndOneAtTheLimitIsNot() throws Exception {
        OutboundBuffer out = buffer(10, 20, 30);
        out.add(bytes(0, 25));
        ByteBuffer tooMuch = bytes(25, 6);
        BufferLimitExceededException e = assertThrows(BufferLimitExceededException.class, () -> out.add(tooMuch));
        assertEquals("connection to the peer: 31 bytes would be queued, over the limit of 30", e.getMessage());
        assertEquals(6, tooMuch.remaining(), "nothing of the refused write was taken");
        assertEquals(25, out.queuedBytes());
        out.add(bytes(25, 5));
        assertEquals(30, out.queuedBytes());
    }

    @Test
    void clearDropsEverythingSilentlyAndReturnsTheChunks() throws Exception {
        OutboundBuffer out = buffer(1, 2, 1000);
        out.add(bytes(0, 5));
        ByteBuffer[] bufs = new ByteBuffer[1];
        out.gather(bufs, Long.MAX_VALUE);
        writability.clear();
        out.clear();
        assertTrue(out.isEmpty());
        assertEquals(0, out.queuedBytes());
        assertEquals(0, out.gather(bufs, Long.MAX_VALUE));
        assertEquals(List.of(), writability, "a closing connection tells its handler nothing more");
        assertSame(bufs[0], pool.acquire());
    }

    @Test
    void consumingMoreThanIsQueuedIsABug() throws Exception {
        OutboundBuffer out = buffer(10, 20, 1000);
        out.add(bytes(0, 3));
        assertThrows(IllegalArgumentException.class, () -> out.consumed(4));
        assertThrows(IllegalArgumentException.class, () -> out.consumed(-1));
        assertEquals(3, out.queuedBytes());
    }
}
