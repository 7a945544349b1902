package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    @TempDir
    Path dir;
    final LoopHarness h = new LoopHarness();

    @AfterEach
    void close() {
        h.close();
    }

    /** A toy state machine: the sum of the records' first bytes. */
    @Test
    void snapshotAndTruncateDropsCoveredSegmentsAndReplayFromTheSnapshotRebuildsTheState() throws Exception {
        LogConfig config = LogConfig.builder(dir.resolve("log")).segmentBytes(32 << 10).maxRecordBytes(4 << 10)
                .writeBufferBytes(64 << 10).build();
        SegmentedLog log = h.call(() -> SegmentedLog.open(config));
        SnapshotStore store = h.onLoop(() -> new SnapshotStore(dir.resolve("snap"), Storage.fileIo(h.loop)));
        assertNull(h.call(store::latest));
        long sum = 0;
        List<Future<Long>> appends = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] rec = new byte[1000];
            rec[0] = (byte) (i % 100);
            sum += rec[0];
            byte[] r = rec;
            appends.add(h.onLoop(() -> log.append(r)));
        }
        h.call(() -> Futures.all(appends));
        int segmentsBefore = h.onLoop(() -> log.segmentFiles().size());
        long snapshotAt = 200;
        long sumAt = 0;
        for (int i = 0; i <= snapshotAt; i++) {
            sumAt += i % 100;
        }
        long state = sumAt;
        int deleted = h.call(() -> log.snapshotAndTruncate(store, snapshotAt,
                ByteBuffer.allocate(8).putLong(0, state)));
        assertTrue(deleted > 0 && deleted < segmentsBefore, "deleted " + deleted + " of " + segmentsBefore);
        assertTrue(log.startOffset() <= snapshotAt + 1);
        h.call(log::close);

        // restart: the state comes back from the snapshot plus the records after it
        SegmentedLog again = h.call(() -> SegmentedLog.open(config));
        SnapshotStore.Snapshot snap = h.call(store::latest);
        assertEquals(snapshotAt, snap.lastOffset());
        long[] rebuilt = {snap.data().getLong(0)};
        h.call(() -> again.scan(snap.lastOffset() + 1, Long.MAX_VALUE, (off, p) -> {
            rebuilt[0] += p.get(0);
            return true;
        }));
        assertEquals(sum, rebuilt[0]);

        // a newer snapshot replaces the old file; a corrupt newest one is an error naming it
        h.call(() -> again.snapshotAndTruncate(store, 250, ByteBuffer.wrap(new byte[] {1, 2, 3})));
        try (var files = Files.list(dir.resolve("snap"))) {
            assertEquals(1, files.count());
        }
        SnapshotStore.Snapshot newest = h.call(store::latest);
        assertEquals(250, newest.lastOffset());
        byte[] data = new byte[3];
        newest.data().get(data);
        assertArrayEquals(new byte[] {1, 2, 3}, data);
        SegmentedLogTest.flip(newest.path(), 33);
        StorageException e = assertThrows(StorageException.class, () -> h.call(store::latest));
        assertTrue(e.getMessage().contains(newest.path().toString()) && e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> h.call(() -> again.snapshotAndTruncate(store, 10_000, ByteBuffer.allocate(1))));
        assertFalse(Files.exists(dir.resolve("snap").resolve("snapshot-00000000000000010000.snap")));
    }
}
