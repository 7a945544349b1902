package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Promise;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush's force runs beside the next write rather than in turn with it, covers only what was written
 * when it started, and the next force starts as soon as it ends (group commit without a timer).
 */
class PipelinedForceTest {
    @TempDir
    Path dir;
    final LoopHarness h = new LoopHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** The real backend, except that once {@link #holding}, each force's answer waits until the test releases it. On the loop. */
    static final class HeldForces implements ForwardingFileIo {
        final FileIo real;
        final ArrayDeque<Promise<Void>> held = new ArrayDeque<>();
        int forces;
        /** Whether forces are held; until then they answer as the real backend does. */
        boolean holding;

        HeldForces(FileIo real) {
            this.real = real;
        }

        @Override
        public FileIo real() {
            return real;
        }

        @Override
        public Future<Void> force(FileHandle file, boolean metadata) {
            forces++;
            if (!holding) {
                return real.force(file, metadata);
            }
            Promise<Void> gate = new Promise<>(real.loop());
            held.add(gate);
            return real.force(file, metadata).flatMap(v -> gate);
        }

        /** Lets the oldest held force answer. */
        void releaseOne() {
            held.poll().succeed(null);
        }
    }

    private static byte[] record(int fill) {
        byte[] b = new byte[3000];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void aForceRunsBesideTheNextWriteAndCoversOnlyWhatWasWrittenWhenItStarted() throws Exception {
        LogConfig config = LogConfig.builder(dir.resolve("log")).durability(Durability.never()).maxRecordBytes(8 << 10)
                .writeBufferBytes(64 << 10).build();
        HeldForces io = h.onLoop(() -> new HeldForces(Storage.fileIo(h.loop)));
        SegmentedLog log = h.call(() -> SegmentedLog.open(config, io));
        // A first record, forced as usual: the new segment's header has gone with it.
        assertEquals(0L, h.call(() -> log.append(record(0))));
        h.call(log::flush);
        int before = h.onLoop(() -> {
            io.holding = true;
            return io.forces;
        });

        Future<Long> a = h.onLoop(() -> log.append(record(1)));
        Future<Void> flushA = h.onLoop(log::flush);
        assertEquals(1L, h.call(() -> a));
        assertEquals(1, h.onLoop(() -> io.forces - before), "the force starts as soon as the write has landed");

        // The force is still running: the next record is written meanwhile, not after it.
        Future<Long> b = h.onLoop(() -> log.append(record(2)));
        Future<Void> flushB = h.onLoop(log::flush);
        assertEquals(2L, h.call(() -> b));
        assertFalse(h.onLoop(flushA::isDone));
        assertEquals(1, h.onLoop(() -> io.forces - before), "one force in flight at a time");

        // The first force ends: it answers the first flush only, since the second record was written after it began,
        // and the second force starts at once, with no timer.
        h.onLoop(() -> {
            io.releaseOne();
            return null;
        });
        h.call(() -> flushA);
        assertFalse(h.onLoop(flushB::isDone));
        assertEquals(2, h.onLoop(() -> io.forces - before));
        h.onLoop(() -> {
            io.releaseOne();
            return null;
        });
        h.call(() -> flushB);
        assertTrue(h.onLoop(() -> io.held.isEmpty()));

        assertArrayEquals(record(1), h.call(() -> log.read(1)));
        assertArrayEquals(record(2), h.call(() -> log.read(2)));
        Future<Void> closed = h.onLoop(log::close);
        h.onLoop(() -> {
            while (!io.held.isEmpty()) {
                io.releaseOne(); // close's own force
            }
            return null;
        });
        h.call(() -> closed);
    }
}
