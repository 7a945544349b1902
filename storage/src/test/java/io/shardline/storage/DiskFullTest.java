package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills up mid-write: appends fail clearly, and nothing already acknowledged is damaged. */
class DiskFullTest {
    @TempDir
    Path dir;
    final LoopHarness h = new LoopHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** Passes everything to the real backend, but a write past {@code budget} bytes writes part and fails. */
    static final class FillingDisk implements ForwardingFileIo {
        final FileIo real;
        final AtomicLong budget;

        FillingDisk(FileIo real, long budget) {
            this.real = real;
            this.budget = new AtomicLong(budget);
        }

        @Override
        public FileIo real() {
            return real;
        }

        @Override
        public Future<Void> write(FileHandle file, long position, ByteBuffer src) {
            long left = budget.addAndGet(-src.remaining());
            if (left >= 0) {
                return real.write(file, position, src);
            }
            int fits = (int) Math.max(0, src.remaining() + left) & -file.blockSize();
            ByteBuffer part = src.slice(0, fits);
            return real.write(file, position, part).flatMap(v -> Future.failed(new IOException("No space left on device")));
        }
    }

    @Test
    void aFullDiskFailsTheAppendsWithAClearErrorAndKeepsEveryAcknowledgedRecord() throws Exception {
        LogConfig config = LogConfig.builder(dir.resolve("log")).maxRecordBytes(8 << 10).writeBufferBytes(64 << 10).build();
        FillingDisk disk = h.onLoop(() -> new FillingDisk(Storage.fileIo(h.loop), 200 << 10));
        SegmentedLog log = h.call(() -> SegmentedLog.open(config, disk));
        Random random = new Random(5);
        List<byte[]> acked = new ArrayList<>();
        Throwable failure = null;
        for (int i = 0; i < 1000 && failure == null; i++) {
            byte[] rec = new byte[500 + random.nextInt(1500)];
            random.nextBytes(rec);
            try {
                long offset = h.call(() -> log.append(rec));
                assertEquals(acked.size(), offset);
                acked.add(rec);
            } catch (StorageException e) {
                failure = e;
            }
        }
        assertTrue(failure != null, "the disk never filled");
        assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
        assertTrue(failure.getMessage().contains(dir.resolve("log").toString()), failure.getMessage());
        // Later appends fail at once with the same error; reads of what was acknowledged still work.
        Throwable first = failure;
        try {
            h.call(() -> log.append(new byte[10]));
        } catch (StorageException again) {
            assertSame(first, again);
        }
        assertArrayEquals(acked.get(acked.size() - 1), h.call(() -> log.read(acked.size() - 1)));
        // Closing reports the failure too, so a clean shutdown is never claimed for a failed log.
        assertSame(first, assertThrows(StorageException.class, () -> h.call(log::close)));

        // Space is back: the reopened log holds every acknowledged record intact and takes appends.
        SegmentedLog reopened = h.call(() -> SegmentedLog.open(config));
        assertTrue(reopened.nextOffset() >= acked.size());
        for (int i = 0; i < acked.size(); i++) {
            long offset = i;
            assertArrayEquals(acked.get(i), h.call(() -> reopened.read(offset)), "offset " + i);
        }
        long next = reopened.nextOffset();
        assertEquals(next, h.call(() -> reopened.append(new byte[] {7})));
    }
}
