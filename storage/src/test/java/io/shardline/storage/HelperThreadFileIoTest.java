package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.LoopClosedException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelperThreadFileIoTest {
    @TempDir
    Path dir;

    @Test
    void blockingCallsRunOnTheHelperThreadAndCompleteOnTheLoopThread() throws Exception {
        try (LoopHarness h = new LoopHarness()) {
            Thread loopThread = h.loop.thread();
            String[] ranOn = new String[2];
            h.call(() -> {
                FileIo io = Storage.fileIo(h.loop);
                assertSame(io, Storage.fileIo(h.loop), "one backend per loop");
                return io.run(() -> {
                    ranOn[0] = Thread.currentThread().getName();
                    return 1;
                }).map(v -> {
                    ranOn[1] = Thread.currentThread().getName();
                    return v;
                });
            });
            assertEquals("storage-test-io", ranOn[0]);
            assertNotEquals(loopThread.getName(), ranOn[0]);
            assertEquals(loopThread.getName(), ranOn[1]);
        }
    }

    @Test
    void directWritesAndReadsUseAlignedBuffersAndAFailureFailsOnlyItsOwnFuture() throws Exception {
        try (LoopHarness h = new LoopHarness()) {
            Path file = dir.resolve("f");
            FileHandle handle = h.call(() -> Storage.fileIo(h.loop).open(file, true, true));
            assertTrue(handle.direct(), "O_DIRECT on " + dir);
            int block = handle.blockSize();
            ByteBuffer out = AlignedBuffers.allocate(2 * block, block);
            for (int i = 0; i < out.capacity(); i++) {
                out.put(i, (byte) i);
            }
            h.call(() -> Storage.fileIo(h.loop).write(handle, block, out));
            ByteBuffer in = AlignedBuffers.allocate(4 * block, block);
            int n = h.call(() -> Storage.fileIo(h.loop).read(handle, 0, in));
            assertEquals(3 * block, n, "a short read at the end of the file");
            assertEquals((byte) 7, in.get(block + 7));
            // an unaligned direct write is refused by the kernel: only that future fails
            ByteBuffer unaligned = ByteBuffer.allocateDirect(100);
            assertThrows(Exception.class, () -> h.call(() -> Storage.fileIo(h.loop).write(handle, 3, unaligned)));
            assertEquals(1, (int) h.call(() -> Storage.fileIo(h.loop).run(() -> 1)));
        }
    }

    @Test
    void closingTheLoopFailsOperationsThatHaveNotRunAndStopsTheHelper() throws Exception {
        LoopHarness h = new LoopHarness();
        CountDownLatch blocking = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // The helper backend itself, whichever backend Storage.fileIo would pick for this run.
        HelperThreadFileIo io = (HelperThreadFileIo) h.onLoop(() -> Storage.create(h.loop, "helper"));
        CompletableFuture<Object> first = h.loop.callAsync(() -> io.run(() -> {
            blocking.countDown();
            release.await();
            return "first";
        }));
        assertTrue(blocking.await(10, TimeUnit.SECONDS));
        CompletableFuture<Object> queued = h.loop.callAsync(() -> io.run(() -> "never"));
        // close from another thread while the helper is inside the first call; let it finish
        // A loop round trip after the submission: by then the queued call is in the helper's queue.
        h.onLoop(() -> null);
        Thread closer = Thread.ofPlatform().start(h::close);
        Thread.ofPlatform().start(() -> {
            // Let the first call finish only once close has begun, so the queued one can never start.
            while (!io.isStopping()) {
                Thread.onSpinWait();
            }
            release.countDown();
        });
        closer.join(30_000);
        assertTrue(h.loop.isTerminated());
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(10, TimeUnit.SECONDS));
        assertInstanceOf(LoopClosedException.class, e.getCause());
        assertEquals("first", first.get(10, TimeUnit.SECONDS), "the call in progress finishes and completes");
    }
}
