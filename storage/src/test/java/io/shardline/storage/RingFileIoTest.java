package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.LoopConfig;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ring backend on a loop parked on its own io_uring, whichever backend the rest of the suite runs on. */
class RingFileIoTest {
    @TempDir
    Path dir;
    Loop loop;

    @BeforeEach
    void start() {
        assumeTrue(Ring.available(), () -> "no io_uring here: " + Ring.unavailableReason());
        loop = Loop.start(LoopConfig.builder().name("ring-test").parker(Ring::new).build());
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
    }

    <T> T call(java.util.function.Supplier<? extends Future<T>> body) throws Exception {
        return LoopHarness.call(loop, body);
    }

    <T> T onLoop(java.util.concurrent.Callable<T> body) throws Exception {
        return LoopHarness.onLoop(loop, body);
    }

    @Test
    void directReadsWritesAndForcesCompleteOnTheLoopThreadWithoutAHelperThread() throws Exception {
        RingFileIo io = (RingFileIo) onLoop(() -> Storage.create(loop, "auto"));
        FileHandle file = FileOpener.open(dir.resolve("f"), true, true); // blocking here, on the test thread
        assertTrue(file.direct(), "O_DIRECT on " + dir);
        assertTrue(file.fd() >= 0, "a descriptor for the ring");
        int block = file.blockSize();
        ByteBuffer out = AlignedBuffers.allocate(2 * block, block);
        for (int i = 0; i < out.capacity(); i++) {
            out.put(i, (byte) (i * 7));
        }
        List<String> threads = new ArrayList<>();
        call(() -> io.write(file, block, out).map(v -> threads.add(Thread.currentThread().getName())));
        assertFalse(out.hasRemaining(), "a write consumes its buffer");
        call(() -> io.force(file, false).map(v -> threads.add(Thread.currentThread().getName())));
        call(() -> io.force(file, true).map(v -> threads.add(Thread.currentThread().getName())));
        ByteBuffer in = AlignedBuffers.allocate(4 * block, block);
        int n = call(() -> io.read(file, 0, in).map(r -> {
            threads.add(Thread.currentThread().getName());
            return r;
        }));
        assertEquals(3 * block, n, "a short read at the end of the file");
        assertEquals(3 * block, in.position());
        for (int i = 0; i < 2 * block; i++) {
            assertEquals((byte) (i * 7), in.get(block + i), "byte " + (block + i));
        }
        assertEquals(List.of("ring-test", "ring-test", "ring-test", "ring-test"), threads);
        assertFalse(onLoop(io::helperStarted), "reads, writes and forces made no helper thread");
        byte[] onDisk = Files.readAllBytes(file.path());
        assertEquals(3 * block, onDisk.length);
        assertEquals((byte) 7, onDisk[block + 1]);
        file.channel().close();
    }

    @Test
    void aWriteAndItsLinkedForceEndTogetherAndAFailedWriteIsTheErrorNotTheCancelledForce() throws Exception {
        RingFileIo io = (RingFileIo) onLoop(() -> Storage.create(loop, "ring"));
        FileHandle file = FileOpener.open(dir.resolve("d"), true, true);
        int block = file.blockSize();
        ByteBuffer out = AlignedBuffers.allocate(3 * block, block);
        for (int i = 0; i < out.capacity(); i++) {
            out.put(i, (byte) (i + 1));
        }
        call(() -> io.writeAndForce(file, 0, out, false));
        assertFalse(out.hasRemaining());
        byte[] onDisk = Files.readAllBytes(file.path());
        assertEquals(3 * block, onDisk.length);
        assertEquals((byte) 6, onDisk[5]);
        // Unaligned under O_DIRECT: the write fails, the kernel cancels the force linked behind it.
        IOException e = assertThrows(IOException.class, () -> call(() -> io.writeAndForce(file, 1, ByteBuffer.allocateDirect(10), true)));
        assertTrue(e.getMessage().startsWith("write of " + file.path()), e.getMessage());
        call(() -> io.writeAndForce(file, 3L * block, AlignedBuffers.allocate(block, block), true)); // the ring goes on
        assertEquals(4 * block, Files.size(file.path()));
        assertFalse(onLoop(io::helperStarted));
        file.channel().close();
    }

    @Test
    void aRefusedOperationFailsOnlyItsOwnFutureNamingTheFile() throws Exception {
        FileIo io = onLoop(() -> Storage.create(loop, "ring"));
        FileHandle file = FileOpener.open(dir.resolve("g"), true, true);
        assertTrue(file.direct());
        ByteBuffer unaligned = ByteBuffer.allocateDirect(100); // O_DIRECT refuses it: EINVAL from the kernel
        IOException e = assertThrows(IOException.class, () -> call(() -> io.write(file, 3, unaligned)));
        assertTrue(e.getMessage().contains(file.path().toString()) && e.getMessage().contains("Invalid argument"),
                e.getMessage());
        ByteBuffer ok = AlignedBuffers.allocate(file.blockSize(), file.blockSize());
        call(() -> io.write(file, 0, ok));
        assertEquals(file.blockSize(), Files.size(file.path()));
        file.channel().close();
    }

    @Test
    void workWithoutARingOperationRunsOnAHelperStartedWhenFirstNeeded() throws Exception {
        RingFileIo io = (RingFileIo) onLoop(() -> Storage.create(loop, "ring"));
        assertFalse(onLoop(io::helperStarted));
        String ranOn = call(() -> io.run(() -> Thread.currentThread().getName()));
        assertEquals("ring-test-io", ranOn);
        assertTrue(onLoop(io::helperStarted));
        // A heap buffer has no fixed address for the kernel: it goes through the helper too.
        FileHandle file = call(() -> io.open(dir.resolve("h"), true, false));
        ByteBuffer heap = ByteBuffer.wrap(new byte[] {1, 2, 3});
        call(() -> io.write(file, 0, heap));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file.path()));
        file.channel().close();
    }

    @Test
    void aLogOnTheRingAppendsDurablyAndReadsBack() throws Exception {
        FileIo io = onLoop(() -> Storage.fileIo(loop));
        boolean ring = !"helper".equals(System.getProperty(Storage.FILEIO_PROPERTY, "auto"));
        assertEquals(ring, io instanceof RingFileIo, "auto and ring pick the loop's ring, helper the thread");
        LogConfig config = LogConfig.builder(dir.resolve("log")).durability(Durability.always()).build();
        SegmentedLog log = call(() -> SegmentedLog.open(config, io));
        List<Future<Long>> acks = new ArrayList<>();
        long last = call(() -> {
            for (int i = 0; i < 100; i++) {
                acks.add(log.append(("record " + i).getBytes()));
            }
            return acks.get(99);
        });
        assertEquals(99, last);
        assertTrue(log.stats().writes() < 100, "appends shared writes: " + log.stats());
        assertArrayEquals("record 42".getBytes(), call(() -> log.read(42)));
        call(log::close);
    }

    @Test
    void askingForTheRingOnALoopWithoutOneFallsBackToTheHelperThread() throws Exception {
        Loop plain = Loop.start(LoopConfig.builder().name("plain").build());
        try {
            FileIo io = plain.call(() -> Storage.create(plain, "ring")).get(10, TimeUnit.SECONDS);
            assertInstanceOf(HelperThreadFileIo.class, io);
            FileIo forced = onLoop(() -> Storage.create(loop, "helper"));
            assertInstanceOf(HelperThreadFileIo.class, forced);
            FileIo odd = onLoop(() -> Storage.create(loop, "sideways"));
            assertInstanceOf(RingFileIo.class, odd, "an unknown choice is auto, with one log line");
        } finally {
            plain.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void closingAFileWaitsForTheRingOperationsInFlightOnItAndRefusesLaterOnes() throws Exception {
        RingFileIo io = (RingFileIo) onLoop(() -> Storage.create(loop, "ring"));
        FileHandle file = FileOpener.open(dir.resolve("c"), true, true);
        int block = file.blockSize();
        ByteBuffer out = AlignedBuffers.allocate(8 * block, block);
        List<String> order = new ArrayList<>();
        Future<Void>[] later = new Future[1];
        call(() -> {
            Future<Void> write = io.write(file, 0, out).map(v -> {
                order.add("write");
                return null;
            });
            Future<Void> close = io.close(file).map(v -> {
                order.add("close");
                return null;
            });
            later[0] = io.force(file, false);
            return write.flatMap(v -> close);
        });
        assertEquals(List.of("write", "close"), order, "the write in flight ended before its descriptor closed");
        assertFalse(file.channel().isOpen());
        assertEquals(8 * block, Files.size(file.path()));
        StorageException refused = assertThrows(StorageException.class, () -> call(() -> later[0]));
        assertTrue(refused.getMessage().contains("file is closed"), refused.getMessage());
    }

    @Test
    void callsAfterTheBackendClosedFailWithTheLoopClosedError() throws Exception {
        RingFileIo io = (RingFileIo) onLoop(() -> Storage.create(loop, "ring"));
        FileHandle file = FileOpener.open(dir.resolve("k"), true, true);
        onLoop(() -> {
            io.close();
            return null;
        });
        ByteBuffer b = AlignedBuffers.allocate(file.blockSize(), file.blockSize());
        assertInstanceOf(LoopClosedException.class, assertThrows(Exception.class, () -> call(() -> io.write(file, 0, b))));
        assertInstanceOf(LoopClosedException.class, assertThrows(Exception.class, () -> call(() -> io.force(file, false))));
        assertInstanceOf(LoopClosedException.class, assertThrows(Exception.class, () -> call(() -> io.run(() -> 1))));
        call(() -> io.close(file)); // a file is still closed, on the loop itself: no descriptor left behind
        assertFalse(file.channel().isOpen());
    }
}
