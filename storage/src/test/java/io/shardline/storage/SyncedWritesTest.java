package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code always} log writes to O_DSYNC files, so a durable append is one write with no
 * {@code fdatasync}; other policies, and {@code -Dshardline.storage.dsync=false}, keep plain files.
 * Runs on whichever backend the suite runs on; the ring's single entry is checked on a ring loop.
 */
class SyncedWritesTest {
    /** O_DSYNC in the octal {@code flags:} line of {@code /proc/self/fdinfo}. */
    private static final int O_DSYNC = 010000;

    @TempDir
    Path dir;
    final LoopHarness h = new LoopHarness();

    @AfterEach
    void close() {
        h.close();
        System.clearProperty(LogConfig.DSYNC_PROPERTY);
    }

    @Test
    void anAlwaysLogsSegmentsAreOpenedWithODsyncAndItsAppendsNeedNoForce() throws Exception {
        LogConfig c = LogConfig.builder(dir.resolve("log")).durability(Durability.always()).segmentBytes(64 << 10)
                .writeBufferBytes(64 << 10).build();
        assertTrue(c.syncedWrites());
        SegmentedLog log = h.call(() -> SegmentedLog.open(c));
        List<byte[]> recs = records(200, 3000); // about 600 KB: several rolls of 64 KiB segments
        appendAll(log, recs);
        LogStats s = h.onLoop(log::stats);
        assertTrue(s.segments() > 3, s.toString());
        assertEquals(s.writes(), s.syncedWrites(), "every write of an always log is durable alone: " + s);
        // The only forces are the sealing of each rolled segment, never one per write.
        assertEquals(s.segments() - 1, s.forces(), s.toString());
        Path active = activeSegment(dir.resolve("log"));
        assertTrue((openFlags(active) & O_DSYNC) != 0, "the active segment, opened at a roll, is O_DSYNC");
        h.call(log::close);

        SegmentedLog again = h.call(() -> SegmentedLog.open(c));
        assertTrue((openFlags(activeSegment(dir.resolve("log"))) & O_DSYNC) != 0, "reopened by recovery: O_DSYNC too");
        long offset = h.call(() -> again.append(new byte[] {42}));
        assertEquals(recs.size(), offset);
        for (int i = 0; i < recs.size(); i += 37) {
            int at = i;
            assertArrayEquals(recs.get(i), h.call(() -> again.read(at)), "record " + i);
        }
        h.call(again::close);
    }

    @Test
    void logsThatDoNotForceEachWriteAndTheSwitchedOffPropertyKeepPlainFilesAndForceWithFdatasync() throws Exception {
        SegmentedLog never = h.call(() -> SegmentedLog.open(LogConfig.builder(dir.resolve("never"))
                .durability(Durability.never()).build()));
        h.call(() -> never.append(new byte[100]));
        assertEquals(0, openFlags(activeSegment(dir.resolve("never"))) & O_DSYNC, "a never log's file is plain");
        assertEquals(0, h.onLoop(never::stats).syncedWrites());
        h.call(never::close);

        System.setProperty(LogConfig.DSYNC_PROPERTY, "false");
        LogConfig c = LogConfig.builder(dir.resolve("forced")).durability(Durability.always()).build();
        assertFalse(c.syncedWrites());
        SegmentedLog forced = h.call(() -> SegmentedLog.open(c));
        appendAll(forced, records(20, 500));
        LogStats s = h.onLoop(forced::stats);
        assertEquals(0, openFlags(activeSegment(dir.resolve("forced"))) & O_DSYNC);
        assertEquals(0, s.syncedWrites(), s.toString());
        assertEquals(s.writes(), s.forces(), "each write forced with fdatasync: " + s);
        h.call(forced::close);
    }

    @Test
    void aNeverLogReopenedAsAlwaysGoesOnWithSyncedWrites() throws Exception {
        Path logDir = dir.resolve("switch");
        SegmentedLog never = h.call(() -> SegmentedLog.open(LogConfig.builder(logDir).durability(Durability.never())
                .build()));
        List<byte[]> first = records(30, 800);
        appendAll(never, first);
        h.call(never::close);
        SegmentedLog always = h.call(() -> SegmentedLog.open(LogConfig.builder(logDir).durability(Durability.always())
                .build()));
        assertTrue((openFlags(activeSegment(logDir)) & O_DSYNC) != 0);
        appendAll(always, records(5, 800));
        LogStats s = h.onLoop(always::stats);
        assertEquals(s.writes(), s.syncedWrites(), s.toString());
        for (int i = 0; i < first.size(); i++) {
            int at = i;
            assertArrayEquals(first.get(i), h.call(() -> always.read(at)), "record " + i);
        }
        h.call(always::close);
    }

    @Test
    void onTheRingADurableWriteToAnODsyncFileIsOneEntryAndToAPlainFileAWriteAndALinkedForce() throws Exception {
        assumeTrue(Ring.available(), () -> "no io_uring here: " + Ring.unavailableReason());
        Loop loop = Loop.start(LoopConfig.builder().name("dsync-ring").parker(Ring::new).build());
        try {
            FileIo io = LoopHarness.onLoop(loop, () -> Storage.create(loop, "ring"));
            FileHandle synced = FileOpener.open(dir.resolve("synced"), true, true, true);
            FileHandle plain = FileOpener.open(dir.resolve("plain"), true, true, false);
            assertTrue(synced.dsync() && !plain.dsync());
            assertTrue((openFlags(synced.path()) & O_DSYNC) != 0);
            int block = synced.blockSize();
            for (FileHandle f : List.of(synced, plain)) {
                ByteBuffer out = AlignedBuffers.allocate(2 * block, block);
                for (int i = 0; i < out.capacity(); i++) {
                    out.put(i, (byte) (i * 3));
                }
                int[] entries = new int[1];
                LoopHarness.call(loop, () -> {
                    Ring ring = Ring.of(loop);
                    int before = ring.inFlight();
                    Future<Void> done = io.writeAndForce(f, 0, out, false);
                    entries[0] = ring.inFlight() - before;
                    return done;
                });
                assertEquals(f.dsync() ? 1 : 2, entries[0], "ring entries for " + f);
                byte[] onDisk = Files.readAllBytes(f.path());
                assertEquals(2 * block, onDisk.length);
                assertEquals((byte) 3, onDisk[1]);
            }
            synced.channel().close();
            plain.channel().close();
        } finally {
            loop.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private List<Long> appendAll(SegmentedLog log, List<byte[]> records) throws Exception {
        return h.call(() -> {
            List<Future<Long>> fs = new ArrayList<>();
            for (byte[] r : records) {
                fs.add(log.append(r));
            }
            return Futures.all(fs);
        });
    }

    private static List<byte[]> records(int n, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[size];
            for (int j = 0; j < size; j++) {
                b[j] = (byte) (i * 31 + j);
            }
            out.add(b);
        }
        return out;
    }

    private static Path activeSegment(Path logDir) throws IOException {
        try (Stream<Path> files = Files.list(logDir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    /** The open-file flags of this process's descriptor on {@code file}, from {@code /proc/self/fdinfo}. */
    private static int openFlags(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                Path target;
                try {
                    target = Files.readSymbolicLink(fd);
                } catch (IOException gone) {
                    continue; // closed while listed (the listing's own descriptor, say)
                }
                if (target.equals(real)) {
                    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName()))) {
                        if (line.startsWith("flags:")) {
                            return Integer.parseInt(line.substring(6).trim(), 8);
                        }
                    }
                }
            }
        }
        throw new AssertionError("no descriptor of this process is open on " + file);
    }
}
