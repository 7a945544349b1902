package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentedLogTest {
    @TempDir
    Path dir;
    final LoopHarness h = new LoopHarness();

    @AfterEach
    void close() {
        h.close();
    }

    LogConfig.Builder config() {
        return LogConfig.builder(dir.resolve("log")).maxRecordBytes(16 << 10).writeBufferBytes(256 << 10);
    }

    static byte[] record(long i, Random r) {
        byte[] b = new byte[r.nextInt(3000)];
        r.nextBytes(b);
        byte[] tag = ("#" + i + ":").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[tag.length + b.length];
        System.arraycopy(tag, 0, out, 0, tag.length);
        System.arraycopy(b, 0, out, tag.length, b.length);
        return out;
    }

    SegmentedLog open(LogConfig c) throws Exception {
        return h.call(() -> SegmentedLog.open(c));
    }

    List<Long> appendAll(SegmentedLog log, List<byte[]> records) throws Exception {
        return h.call(() -> {
            List<Future<Long>> fs = new ArrayList<>();
            for (byte[] r : records) {
                fs.add(log.append(r));
            }
            return Futures.all(fs);
        });
    }

    List<byte[]> records(int n, long seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(record(i, r));
        }
        return out;
    }

    void assertReadsBack(SegmentedLog log, List<byte[]> expected, long firstOffset) throws Exception {
        for (int i = 0; i < expected.size(); i++) {
            long offset = firstOffset + i;
            assertArrayEquals(expected.get(i), h.call(() -> log.read(offset)), "offset " + offset);
        }
        List<byte[]> scanned = new ArrayList<>();
        long n = h.call(() -> log.scan(firstOffset, expected.size(), (off, payload) -> {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            scanned.add(b);
            return true;
        }));
        assertEquals(expected.size(), n);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), scanned.get(i), "scanned offset " + (firstOffset + i));
        }
    }

    @Test
    void appendsGetConsecutiveOffsetsAndReadBackByOffsetAndByScanAcrossAReopen() throws Exception {
        List<byte[]> recs = records(500, 1);
        SegmentedLog log = open(config().build());
        List<Long> offsets = appendAll(log, recs);
        for (int i = 0; i < offsets.size(); i++) {
            assertEquals(i, offsets.get(i));
        }
        assertReadsBack(log, recs, 0);
        h.call(log::close);

        SegmentedLog again = open(config().build());
        assertEquals(500, again.nextOffset());
        assertFalse(again.recoveryReport().repaired(), again.recoveryReport().toString());
        assertReadsBack(again, recs, 0);
        List<Long> more = appendAll(again, records(3, 2));
        assertEquals(List.of(500L, 501L, 502L), more);
    }

    @Test
    void segmentsRollAtTheConfiguredSizeAndASealedSegmentIsTrustedThroughItsIndexOnReopen() throws Exception {
        LogConfig c = config().segmentBytes(100 << 10).indexIntervalBytes(1024).build();
        List<byte[]> recs = records(400, 3); // about 600 KiB: several segments
        SegmentedLog log = open(c);
        appendAll(log, recs);
        int segments = h.onLoop(() -> log.segmentFiles().size());
        assertTrue(segments >= 5, "segments: " + segments);
        for (Path p : h.onLoop(log::segmentFiles)) {
            assertTrue(Files.size(p) <= (100 << 10) + 4096, p + " is " + Files.size(p));
        }
        assertReadsBack(log, recs, 0);
        // a scan from the middle of a segment
        List<Long> seen = new ArrayList<>();
        h.call(() -> log.scan(123, 5, (off, p) -> seen.add(off)));
        assertEquals(List.of(123L, 124L, 125L, 126L, 127L), seen);
        h.call(log::close);

        SegmentedLog again = open(c);
        assertEquals(1, again.recoveryReport().scanned(), "only the active segment is scanned");
        assertEquals(segments, again.recoveryReport().segments());
        assertReadsBack(again, recs, 0);
    }

    @Test
    void appendsThatArriveWhileAFlushRunsShareTheNextFlush() throws Exception {
        SegmentedLog log = open(config().durability(Durability.always()).build());
        List<byte[]> recs = records(65, 4);
        appendAll(log, recs.subList(0, 1));
        LogStats before = h.onLoop(log::stats);
        appendAll(log, recs.subList(1, 65));
        LogStats s = h.onLoop(log::stats);
        // The first append starts a write at once; the other 63 arrive while it runs and share one more.
        assertEquals(65, s.appends());
        assertEquals(2, s.writes() - before.writes(), s.toString());
        assertEquals(2, s.syncedWrites() - before.syncedWrites(), "each write durable alone (O_DSYNC): " + s);
        assertEquals(0, s.forces() - before.forces(), s.toString());
        assertEquals(63, s.maxBatch());
        assertReadsBack(log, recs, 0);
    }

    @Test
    void recordsBiggerThanTheStagingBufferOrTheSegmentAreWrittenAloneAndReadBack() throws Exception {
        LogConfig c = config().writeBufferBytes(16 << 10).segmentBytes(64 << 10).maxRecordBytes(200 << 10).build();
        Random r = new Random(12);
        List<byte[]> recs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int size = switch (i % 4) {
                case 0 -> 20_000 + r.nextInt(20_000);   // over the 16 KiB buffer
                case 1 -> 100_000 + r.nextInt(90_000);  // over the 64 KiB segment too
                default -> r.nextInt(3000);
            };
            byte[] b = new byte[size];
            r.nextBytes(b);
            recs.add(b);
        }
        SegmentedLog log = open(c);
        List<Long> offsets = appendAll(log, recs);
        for (int i = 0; i < offsets.size(); i++) {
            assertEquals(i, offsets.get(i));
        }
        assertReadsBack(log, recs, 0);
        h.call(log::close);
        SegmentedLog again = open(c);
        assertFalse(again.recoveryReport().repaired(), again.recoveryReport().toString());
        assertReadsBack(again, recs, 0);
        assertEquals(60L, h.call(() -> again.append(new byte[150_000])));
    }

    @Test
    void aFlushCompletesWhileAppendsKeepArrivingAndASnapshotWaitsForTheOffsetsItClaims() throws Exception {
        SegmentedLog log = open(config().durability(Durability.never()).build());
        // Every completed append issues the next one: the log never runs dry of staged records.
        long[] appended = {0};
        long[] flushedAt = {-1};
        h.call(() -> {
            io.shardline.core.Promise<Void> done = new io.shardline.core.Promise<>(h.loop);
            Runnable[] next = new Runnable[1];
            next[0] = () -> log.append(new byte[100]).whenComplete((o, e) -> {
                appended[0]++;
                if (appended[0] < 5000) {
                    next[0].run();
                } else {
                    done.trySucceed(null);
                }
            });
            for (int i = 0; i < 8; i++) {
                next[0].run();
            }
            log.flush().whenComplete((v, e) -> flushedAt[0] = appended[0]);
            return done;
        });
        assertTrue(flushedAt[0] >= 0 && flushedAt[0] < 1000, "flush completed after " + flushedAt[0] + " of 5000 appends");
        // snapshot-and-truncate saves only once the log holds the claimed offset durably
        SnapshotStore store = h.onLoop(() -> new SnapshotStore(dir.resolve("snap"), Storage.fileIo(h.loop)));
        long last = log.nextOffset() - 1;
        h.call(() -> {
            Future<Long> pending = log.append(new byte[] {9});
            return log.snapshotAndTruncate(store, last + 1, ByteBuffer.allocate(1)).map(n -> {
                assertTrue(pending.isDone(), "the snapshot was saved before the record it claims was written");
                return n;
            });
        });
    }

    @Test
    void intervalDurabilityForcesOnItsTimerAndNeverDoesNot() throws Exception {
        SegmentedLog interval = open(config().durability(Durability.interval(java.time.Duration.ofMillis(100))).build());
        appendAll(interval, records(10, 5));
        assertEquals(0, h.onLoop(interval::stats).forces());
        h.clock.advance(java.time.Duration.ofMillis(150));
        long forces = 0;
        for (int i = 0; i < 1000 && forces == 0; i++) {
            forces = h.onLoop(interval::stats).forces();
            Thread.onSpinWait();
        }
        assertEquals(1, forces);
        h.call(interval::close);

        SegmentedLog never = open(LogConfig.builder(dir.resolve("never")).durability(Durability.never()).build());
        h.call(() -> never.append(new byte[100]));
        h.clock.advance(java.time.Duration.ofSeconds(10));
        assertEquals(0, h.onLoop(never::stats).forces());
        h.call(never::flush);
        assertEquals(1, h.onLoop(never::stats).forces());
    }

    @Test
    void aTornTailIsCutOnOpenAndReportedAndTheLogTakesNewAppends() throws Exception {
        List<byte[]> recs = records(50, 6);
        SegmentedLog log = open(config().build());
        appendAll(log, recs);
        h.call(log::close);
        Path seg = dir.resolve("log").resolve(Segment.fileName(0));
        long logicalEnd = logicalEnd(seg);
        // cut the file in the middle of the last record
        int lastSize = RecordFormat.size(recs.get(49).length);
        try (var ch = java.nio.channels.FileChannel.open(seg, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(logicalEnd - lastSize / 2);
        }
        SegmentedLog again = open(config().build());
        RecoveryReport r = again.recoveryReport();
        assertEquals(seg, r.truncatedFile());
        assertEquals(logicalEnd - lastSize, r.truncatedAt());
        assertEquals(49, again.nextOffset());
        assertReadsBack(again, recs.subList(0, 49), 0);
        byte[] fresh = "after the tear".getBytes(StandardCharsets.UTF_8);
        assertEquals(49L, h.call(() -> again.append(fresh)));
        assertArrayEquals(fresh, h.call(() -> again.read(49)));
    }

    @Test
    void flippedBytesInTheLastRecordAreATornTailButFollowedByGoodRecordsAnErrorNamingFileAndOffset() throws Exception {
        List<byte[]> recs = records(40, 7);
        SegmentedLog log = open(config().build());
        appendAll(log, recs);
        h.call(log::close);
        Path seg = dir.resolve("log").resolve(Segment.fileName(0));
        long end = logicalEnd(seg);
        long lastStart = end - RecordFormat.size(recs.get(39).length);
        long tenthStart = SegmentHeader.SIZE;
        for (int i = 0; i < 10; i++) {
            tenthStart += RecordFormat.size(recs.get(i).length);
        }
        flip(seg, tenthStart + RecordFormat.HEADER + 1);
        byte[] before = Files.readAllBytes(seg);
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> open(config().build()));
        assertEquals(seg, e.path());
        assertEquals(tenthStart, e.position());
        assertTrue(e.getMessage().contains(seg.toString()) && e.getMessage().contains("byte " + tenthStart), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(seg), "a failed open changes nothing");

        flip(seg, tenthStart + RecordFormat.HEADER + 1); // repair, then damage the last record instead
        flip(seg, lastStart + RecordFormat.HEADER + 2);
        SegmentedLog again = open(config().build());
        assertEquals(lastStart, again.recoveryReport().truncatedAt());
        assertEquals(39, again.nextOffset());
        assertReadsBack(again, recs.subList(0, 39), 0);
    }

    @Test
    void anEmptyLastSegmentIsReinitialisedAndAMissingOrEmptyMiddleSegmentIsAnError() throws Exception {
        LogConfig c = config().segmentBytes(64 << 10).build();
        List<byte[]> recs = records(120, 8);
        SegmentedLog log = open(c);
        appendAll(log, recs);
        List<Path> files = h.onLoop(log::segmentFiles);
        long next = log.nextOffset();
        h.call(log::close);
        assertTrue(files.size() >= 3);

        // a crash right after a roll leaves an empty file
        Path empty = dir.resolve("log").resolve(Segment.fileName(next));
        Files.createFile(empty);
        SegmentedLog again = open(c);
        assertTrue(again.recoveryReport().repaired());
        assertEquals(next, again.nextOffset());
        assertEquals(next, h.call(() -> again.append(new byte[] {1, 2, 3})));
        assertReadsBack(again, recs, 0);
        h.call(again::close);

        // an empty file in the middle
        Path middle = files.get(1);
        byte[] saved = Files.readAllBytes(middle);
        Files.write(middle, new byte[0]);
        StorageException e1 = assertThrows(StorageException.class, () -> open(c));
        assertEquals(middle, e1.path());
        assertTrue(e1.getMessage().contains("empty"), e1.getMessage());
        // a missing segment
        Files.delete(middle);
        Files.deleteIfExists(Segment.indexPath(middle));
        StorageException e2 = assertThrows(StorageException.class, () -> open(c));
        assertTrue(e2.getMessage().contains("missing"), e2.getMessage());
        Files.write(middle, saved);
        assertReadsBack(open(c), recs, 0);
    }

    @Test
    void filesThatAreNotSegmentsOrFromANewerVersionAreRefusedAtOpenNamingThePathAndLeftAsTheyWere() throws Exception {
        Path logDir = dir.resolve("log");
        Files.createDirectories(logDir);
        Path seg = logDir.resolve(Segment.fileName(0));
        byte[] junk = "this is not a log segment, just some text that happens to be here".repeat(100).getBytes(StandardCharsets.UTF_8);
        Files.write(seg, junk);
        StorageException e = assertThrows(StorageException.class, () -> open(config().build()));
        assertEquals(seg, e.path());
        assertTrue(e.getMessage().contains("not a Shardline log segment"), e.getMessage());
        assertArrayEquals(junk, Files.readAllBytes(seg));

        ByteBuffer header = ByteBuffer.allocate(4096);
        SegmentHeader.write(header, 0);
        header.putShort(4, (short) 9);
        Files.write(seg, header.array());
        StorageException newer = assertThrows(StorageException.class, () -> open(config().build()));
        assertTrue(newer.getMessage().contains("version 9 is newer"), newer.getMessage());

        Files.delete(seg);
        Files.write(logDir.resolve("12.seg"), new byte[0]);
        StorageException badName = assertThrows(StorageException.class, () -> open(config().build()));
        assertTrue(badName.getMessage().contains("not a Shardline segment name"), badName.getMessage());

        Path file = dir.resolve("plain-file");
        Files.write(file, new byte[] {1});
        StorageException notDir = assertThrows(StorageException.class, () -> open(LogConfig.builder(file).build()));
        assertEquals(file, notDir.path());
        assertTrue(notDir.getMessage().contains("not a directory"), notDir.getMessage());
    }

    @Test
    void aDirectoryWithoutPermissionIsAClearErrorAtOpenAndNothingIsWritten() throws Exception {
        Path logDir = dir.resolve("locked");
        SegmentedLog log = open(LogConfig.builder(logDir).build());
        h.call(() -> log.append(new byte[] {1}));
        h.call(log::close);
        boolean root = "root".equals(System.getProperty("user.name"));
        // root ignores permission bits, but not the immutable attribute
        Runnable unlock = root ? lockImmutable(logDir) : lockByMode(logDir);
        try {
            java.util.Set<String> before = listing(logDir);
            StorageException e = assertThrows(StorageException.class, () -> open(LogConfig.builder(logDir).build()));
            assertEquals(logDir, e.path());
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            assertEquals(before, listing(logDir));
        } finally {
            unlock.run();
        }
    }

    private static java.util.Set<String> listing(Path d) throws Exception {
        try (var s = Files.list(d)) {
            return s.map(p -> p.getFileName() + ":" + p.toFile().length()).collect(java.util.stream.Collectors.toSet());
        }
    }

    private static Runnable lockByMode(Path d) throws Exception {
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        return () -> {
            try {
                Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private static Runnable lockImmutable(Path d) throws Exception {
        int status;
        try {
            status = new ProcessBuilder("chattr", "+i", d.toString()).redirectErrorStream(true).start().waitFor();
        } catch (java.io.IOException noChattr) {
            status = -1;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(status == 0, "chattr +i is not available here");
        return () -> {
            try {
                new ProcessBuilder("chattr", "-i", d.toString()).start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void retentionDeletesWholeSealedSegmentsBySizeAndAgeAndTruncateBeforeKeepsTheActiveOne() throws Exception {
        AtomicLong wall = new AtomicLong(1_000_000);
        LogConfig c = config().segmentBytes(64 << 10).wallClock(wall::get).build();
        SegmentedLog log = open(c);
        List<byte[]> recs = records(200, 9);
        appendAll(log, recs);
        int before = h.onLoop(() -> log.segmentFiles().size());
        assertTrue(before >= 4, "segments: " + before);
        List<Path> files = h.onLoop(log::segmentFiles);
        Segment second = null;
        long secondBase = Segment.parseName(files.get(1).getFileName().toString());
        assertEquals(1, h.call(() -> log.truncateBefore(secondBase)));
        assertEquals(secondBase, log.startOffset());
        assertFalse(Files.exists(files.get(0)));
        assertFalse(Files.exists(Segment.indexPath(files.get(0))));
        assertInstanceOf(IllegalArgumentException.class, assertThrows(Exception.class, () -> h.call(() -> log.read(0))));
        assertArrayEquals(recs.get((int) secondBase), h.call(() -> log.read(secondBase)));
        assertNull(second);
        // everything sealed is older than an hour: all but the active segment go
        h.call(log::close);
        LogConfig aged = config().segmentBytes(64 << 10).wallClock(wall::get).retentionAge(java.time.Duration.ofHours(1)).build();
        SegmentedLog old = open(aged);
        wall.addAndGet(java.time.Duration.ofHours(2).toMillis() + System.currentTimeMillis());
        // the log's own retention timer acts on a quiet log
        h.clock.advance(java.time.Duration.ofSeconds(61));
        int left = before - 1;
        for (int i = 0; i < 10_000 && left > 1; i++) {
            left = h.onLoop(() -> old.segmentFiles().size());
        }
        assertEquals(1, left);
        assertEquals(0, (int) h.call(old::applyRetention));
        // size: a limit of one segment's worth keeps the newest segments only
        List<byte[]> more = records(200, 10);
        assertEquals(0L, (long) h.call(() -> old.scan(old.nextOffset(), Long.MAX_VALUE, (o, p) -> true)));
        long first = old.nextOffset();
        appendAll(old, more);
        h.call(old::close);
        LogConfig sized = config().segmentBytes(64 << 10).wallClock(wall::get).retentionBytes(150 << 10).build();
        SegmentedLog small = open(sized);
        h.call(small::applyRetention);
        long total = 0;
        for (Path p : h.onLoop(small::segmentFiles)) {
            total += Files.size(p);
        }
        assertTrue(total <= (150 << 10) + 8192, "total " + total);
        long start = small.startOffset();
        assertTrue(start > first);
        assertEquals(small.nextOffset() - start, (long) h.call(() -> small.scan(start, Long.MAX_VALUE, (o, p) -> true)));
        assertReadsBack(small, more.subList((int) (start - first), more.size()), start);
    }

    @Test
    void badCallsFailTheirOwnFutureOnly() throws Exception {
        SegmentedLog log = open(config().build());
        h.call(() -> log.append(new byte[] {42}));
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> h.call(() -> log.append(new byte[(16 << 10) + 1])));
        assertTrue(big.getMessage().contains("maxRecordBytes"), big.getMessage());
        assertThrows(IllegalArgumentException.class, () -> h.call(() -> log.read(1)));
        assertThrows(IllegalArgumentException.class, () -> h.call(() -> log.read(-1)));
        assertArrayEquals(new byte[] {42}, h.call(() -> log.read(0)));
        assertThrows(IllegalArgumentException.class, () -> LogConfig.builder(dir).segmentBytes(10).build());
        assertThrows(IllegalArgumentException.class, () -> Durability.parse("sometimes"));
        assertEquals(Durability.interval(java.time.Duration.ofMillis(250)), Durability.parse("interval:250"));
        assertEquals(Durability.always(), Durability.parse("always"));
        assertEquals(Durability.never(), Durability.parse(" Never "));
        Durability d = Durability.interval(java.time.Duration.ofSeconds(2));
        assertEquals(d, Durability.parse(d.toString()));
        assertThrows(IllegalArgumentException.class, () -> Durability.parse("everysec"), "Redis' words belong to the KV");
    }

    @Test
    void aReadOfABadRecordInASegmentTrustedThroughItsIndexFailsNamingFileAndOffsetAndOthersStillRead() throws Exception {
        LogConfig c = config().segmentBytes(64 << 10).indexIntervalBytes(1024).build();
        List<byte[]> recs = records(120, 21);
        SegmentedLog log = open(c);
        appendAll(log, recs);
        Path first = h.onLoop(log::segmentFiles).get(0);
        h.call(log::close);
        // Record 2 of the first segment: past the header, record 0 and record 1, inside its payload.
        long at = SegmentHeader.SIZE + RecordFormat.size(recs.get(0).length) + RecordFormat.size(recs.get(1).length)
                + RecordFormat.HEADER + 1;
        flip(first, at);
        SegmentedLog again = open(c);
        assertTrue(again.recoveryReport().scanned() < again.recoveryReport().segments(), "the first segment is not rescanned");
        CorruptLogException e = assertThrows(CorruptLogException.class, () -> h.call(() -> again.read(2)));
        assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains("offset 2"), e.getMessage());
        assertThrows(CorruptLogException.class, () -> h.call(() -> again.scan(0, 10, (off, p) -> true)));
        assertArrayEquals(recs.get(1), h.call(() -> again.read(1)));
        assertArrayEquals(recs.get(3), h.call(() -> again.read(3)));
        assertArrayEquals(recs.get(119), h.call(() -> again.read(119)));
    }

    @Test
    void aScanWalksThousandsOfTinyRecordsInOneBatchWithoutAFuturePerRecord() throws Exception {
        SegmentedLog log = open(config().indexIntervalBytes(1 << 20).build());
        List<byte[]> recs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            recs.add(new byte[] {(byte) i, (byte) (i >> 8)});
        }
        appendAll(log, recs);
        // One index entry: a read of the last record walks all 20,000 headers from the first.
        assertArrayEquals(recs.get(19_999), h.call(() -> log.read(19_999)));
        AtomicLong sum = new AtomicLong();
        long n = h.call(() -> log.scan(0, Long.MAX_VALUE, (off, p) -> {
            sum.addAndGet(off == ((p.get(0) & 0xFF) | (p.get(1) & 0xFF) << 8) % 65536 ? 1 : 0);
            return true;
        }));
        assertEquals(20_000, n);
        assertEquals(20_000, sum.get(), "every record scanned at its own offset");
    }

    @Test
    void theSuiteRunsOnTheFileBackendItWasAskedFor() throws Exception {
        FileIo io = h.onLoop(() -> Storage.fileIo(h.loop));
        Class<?> expected = LoopHarness.testsRing() ? RingFileIo.class : HelperThreadFileIo.class;
        assertEquals(expected, io.getClass(), "-D" + Storage.FILEIO_PROPERTY + "=" + System.getProperty(Storage.FILEIO_PROPERTY));
    }

    @Test
    void bufferedIoWorksTheSameWhenDirectIsOff() throws Exception {
        LogConfig c = config().direct(false).segmentBytes(64 << 10).build();
        SegmentedLog log = open(c);
        assertFalse(log.directIo());
        List<byte[]> recs = records(100, 11);
        appendAll(log, recs);
        h.call(log::close);
        assertReadsBack(open(c), recs, 0);
    }

    static long logicalEnd(Path seg) throws Exception {
        byte[] b = Files.readAllBytes(seg);
        ByteBuffer buf = ByteBuffer.wrap(b);
        int pos = SegmentHeader.SIZE;
        while (true) {
            int len = RecordFormat.validLength(new java.util.zip.CRC32C(), buf, pos, b.length, Integer.MAX_VALUE);
            if (len < 0) {
                return pos;
            }
            pos += RecordFormat.size(len);
        }
    }

    static void flip(Path file, long position) throws Exception {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            one.clear();
            ch.write(one, position);
        }
    }
}
