package io.shardline.core.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import io.shardline.core.LoopStats;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ring alone and as a loop's parker. Each test runs its ring on one thread of its own (the ring is
 * single-issuer), bounded by {@link #PATIENCE} so a lost wake-up fails instead of hanging the build.
 */
class RingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0x40;
    private static final int O_DIRECT = 0x4000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int AT_FDCWD = -100;
    private static final int EINVAL = 22;
    private static final int MSG_DONTWAIT = 0x40;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsIoUring() {
        Assumptions.assumeTrue(Ring.available(), () -> "io_uring unavailable here: " + Ring.unavailableReason());
    }

    private static <T> T onOneThread(ThrowingSupplier<T> body) {
        return assertTimeoutPreemptively(PATIENCE, body);
    }

    /** Parks and polls {@code ring} until {@code done}; the patience bound fails a test that never gets there. */
    private static void drive(Ring ring, BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            ring.park(10_000_000);
            ring.poll();
        }
    }

    /** The result of one operation, kept by a handler. */
    private static final class Result implements Completion {
        final List<Integer> results = new ArrayList<>();
        final List<Integer> flags = new ArrayList<>();

        @Override
        public void complete(int result, int f) {
            results.add(result);
            flags.add(f);
        }

        boolean done() {
            return !results.isEmpty() && (flags.getLast() & Ring.F_MORE) == 0;
        }

        int last() {
            return results.getLast();
        }
    }

    @Test
    void aWakeupFromAnotherThreadEndsAPark() throws Exception {
        onOneThread(() -> {
            try (Ring ring = Ring.open(8)) {
                ring.poll(); // arms the wake-up read
                CountDownLatch parking = new CountDownLatch(1);
                Thread waker = Thread.ofPlatform().start(() -> {
                    try {
                        parking.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    ring.wakeup();
                });
                parking.countDown();
                ring.park(Long.MAX_VALUE); // returns only through the wake-up
                waker.join();
                // A wake-up before the park ends that park too (the eventfd keeps the count).
                ring.poll();
                ring.wakeup();
                ring.park(Long.MAX_VALUE);
                return null;
            }
        });
    }

    @Test
    void aParkWithATimeoutReturnsWithoutAWakeup() throws Exception {
        onOneThread(() -> {
            try (Ring ring = Ring.open(8)) {
                ring.park(1_000_000);
                ring.park(1); // shorter than any wait the kernel can do: still returns
                assertEquals(0, ring.poll(), "nothing completed, so nothing was dispatched");
                return null;
            }
        });
    }

    @Test
    void aParkForABatchWaitsForThatManyCompletionsAtMostItsWaitOrTheDeadline() throws Exception {
        onOneThread(() -> {
            try (Ring ring = Ring.open(16)) {
                ring.poll();
                ring.park(1_000_000);
                assertEquals(1, ring.uringForTests().lastMinComplete, "by default a park ends at the first completion");
                ring.parkForBatch(8, 30_000_000_000L);
                Result nops = new Result();
                for (int i = 0; i < 8; i++) {
                    ring.nop(nops);
                }
                ring.park(Long.MAX_VALUE); // the 8 complete as they are submitted: the batch is in, no wait
                assertEquals(8, ring.uringForTests().lastMinComplete);
                assertEquals(30_000_000_000L, ring.uringForTests().lastTimeoutNanos, "no deadline: the batch's wait");
                assertEquals(8, ring.poll());
                assertEquals(8, nops.results.size());
                ring.park(1_000_000); // nothing comes: the earlier timer deadline ends it
                assertEquals(1_000_000, ring.uringForTests().lastTimeoutNanos);
                ring.parkForBatch(1, 1);
                ring.park(1_000_000);
                assertEquals(1, ring.uringForTests().lastMinComplete);
                assertEquals(1_000_000, ring.uringForTests().lastTimeoutNanos);
                assertThrows(IllegalArgumentException.class, () -> ring.parkForBatch(0, 1));
                assertThrows(IllegalArgumentException.class, () -> ring.parkForBatch(2, 0));
                return null;
            }
        });
    }

    @Test
    void aLoopParkedOnItsRingRunsTasksFromOtherThreadsAndItsTimers() throws Exception {
        assertTrue(Ring.available());
        Loop loop = Loop.start(LoopConfig.builder().name("ring-loop").parker(Ring::new).build());
        try {
            Ring ring = loop.service(Ring.class);
            assertNotNull(ring, "the ring hangs itself on its loop");
            assertSame(ring, Ring.of(loop));
            for (int i = 0; i < 50; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                loop.execute(ran::countDown); // the loop is parked in io_uring_enter: only the eventfd wakes it
                assertTrue(ran.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "task " + i + " ran");
            }
            CountDownLatch fired = new CountDownLatch(1);
            loop.execute(() -> loop.schedule(Duration.ofMillis(2), fired::countDown));
            assertTrue(fired.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "a timer ends the park it set");
            CountDownLatch nop = new CountDownLatch(1);
            loop.execute(() -> ring.nop((r, f) -> nop.countDown()));
            assertTrue(nop.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the loop dispatches its ring's completions");
        } finally {
            loop.close();
            assertTrue(loop.awaitTermination(PATIENCE));
        }
    }

    @Test
    void theLoopClosesItsRingLastSoAnOperationInFlightEndsCancelledOnTheLoop() throws Exception {
        Loop loop = Loop.start(LoopConfig.builder().name("ring-close").parker(Ring::new).build());
        MemorySegment err = Native.errnoSegment(Arena.ofAuto());
        int efd = Native.INSTANCE.eventfd(err);
        try {
            CountDownLatch armed = new CountDownLatch(1);
            CountDownLatch ended = new CountDownLatch(1);
            int[] result = new int[1];
            boolean[] onLoop = new boolean[1];
            loop.execute(() -> {
                Ring.of(loop).pollAdd(efd, Ring.POLLIN, true, (res, flags) -> {
                    result[0] = res;
                    onLoop[0] = loop.inLoop();
                    ended.countDown();
                });
                armed.countDown();
            });
            assertTrue(armed.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            loop.close();
            assertTrue(loop.awaitTermination(PATIENCE));
            assertTrue(ended.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the poll's handler was called at close");
            assertEquals(-Ring.ECANCELED, result[0]);
            assertTrue(onLoop[0], "on the loop's thread");
            loop.wakeup(); // a late producer after the end does no harm
        } finally {
            Native.INSTANCE.close(efd);
        }
    }

    @Test
    void aLoopOnAVirtualThreadGetsARingItsChangingCarriersMayUse() throws Exception {
        Loop loop = Loop.start(LoopConfig.builder().name("ring-virtual").parker(Ring::new)
                .threadFactory(Thread.ofVirtual().factory()).build());
        try {
            for (int i = 0; i < 20; i++) {
                CountDownLatch done = new CountDownLatch(1);
                loop.execute(() -> Ring.of(loop).nop((r, f) -> done.countDown()));
                assertTrue(done.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "nop " + i + " completed");
            }
        } finally {
            loop.close();
            assertTrue(loop.awaitTermination(PATIENCE));
        }
    }

    @Test
    void virtualThreadLoopsParkedInTheirRingsLeaveCarriersForOtherVirtualThreads() throws Exception {
        // As many loops as the scheduler has carriers, each parked in io_uring_enter with no deadline:
        // unless the scheduler is told, they pin every carrier and no other virtual thread runs.
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        List<Loop> loops = new ArrayList<>();
        try {
            for (int i = 0; i < carriers; i++) {
                Loop loop = Loop.start(LoopConfig.builder().name("ring-carrier-" + i).parker(Ring::new)
                        .spin(Duration.ZERO).threadFactory(Thread.ofVirtual().factory()).build());
                loops.add(loop);
                CountDownLatch done = new CountDownLatch(1);
                loop.execute(() -> Ring.of(loop).nop((r, f) -> done.countDown()));
                assertTrue(done.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "loop " + i + " runs");
            }
            for (Loop loop : loops) {
                assertTimeoutPreemptively(PATIENCE, () -> {
                    // Asleep in its ring: a park in progress counts as parked up to now, so the parked
                    // time grows while the number of parks stays.
                    while (true) {
                        LoopStats before = loop.stats();
                        Thread.onSpinWait();
                        LoopStats after = loop.stats();
                        if (before.parks() > 0 && after.parks() == before.parks()
                                && after.parkedNanos() > before.parkedNanos()) {
                            return;
                        }
                    }
                });
            }
            CountDownLatch ran = new CountDownLatch(1);
            Thread.ofVirtual().start(ran::countDown);
            assertTrue(ran.await(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "a virtual thread ran while " + carriers + " virtual-thread loops were parked in their rings");
        } finally {
            for (Loop loop : loops) {
                loop.close();
            }
            for (Loop loop : loops) {
                assertTrue(loop.awaitTermination(PATIENCE));
            }
        }
    }

    @Test
    void readsWritesAndSyncsAFileWithAlignedDirectBuffers() throws Exception {
        Path file = dir.resolve("data");
        byte[] expected = onOneThread(() -> {
            try (Ring ring = Ring.open(16); Arena arena = Arena.ofConfined()) {
                MemorySegment path = arena.allocateFrom(file.toString());
                Result open = new Result();
                ring.openat(AT_FDCWD, path.address(), O_RDWR | O_CREAT | O_DIRECT | O_CLOEXEC, 0644, open);
                drive(ring, open::done);
                if (open.last() == -EINVAL) { // this file system refuses O_DIRECT: the ring still reads and writes
                    open = new Result();
                    ring.openat(AT_FDCWD, path.address(), O_RDWR | O_CREAT | O_CLOEXEC, 0644, open);
                    drive(ring, open::done);
                }
                int fd = open.last();
                assertTrue(fd >= 0, "openat: " + fd);

                MemorySegment out = arena.allocate(8192, 4096);
                for (int i = 0; i < 8192; i++) {
                    out.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
                }
                Result w1 = new Result();
                Result w2 = new Result();
                ring.write(fd, out.address(), 4096, 0, w1);
                ring.write(fd, out.address() + 4096, 4096, 4096, w2);
                drive(ring, () -> w1.done() && w2.done());
                assertEquals(4096, w1.last());
                assertEquals(4096, w2.last());
                Result datasync = new Result();
                Result fsync = new Result();
                ring.fsync(fd, true, datasync);
                ring.fsync(fd, false, fsync);
                drive(ring, () -> datasync.done() && fsync.done());
                assertEquals(0, datasync.last());
                assertEquals(0, fsync.last());

                MemorySegment in = arena.allocate(4096, 4096);
                Result read = new Result();
                ring.read(fd, in.address(), 4096, 4096, read);
                drive(ring, read::done);
                assertEquals(4096, read.last());
                assertEquals(-1, in.mismatch(out.asSlice(4096, 4096)), "read back what was written at 4096");

                Result truncate = new Result();
                ring.ftruncate(fd, 4096, truncate);
                drive(ring, truncate::done);
                assertEquals(0, truncate.last());
                Result close = new Result();
                ring.close(fd, close);
                drive(ring, close::done);
                assertEquals(0, close.last());
                return out.asSlice(0, 4096).toArray(ValueLayout.JAVA_BYTE);
            }
        });
        assertArrayEquals(expected, Files.readAllBytes(file), "the file holds the first block, truncated after it");
    }

    @Test
    void ftruncateFallsBackToACallOnTheLoopWhereTheKernelLacksTheOperation() throws Exception {
        Path file = dir.resolve("truncated");
        Files.write(file, new byte[10_000]);
        onOneThread(() -> {
            try (Ring ring = Ring.open(8); Arena arena = Arena.ofConfined()) {
                ring.forgetSupport(Ring.OP_FTRUNCATE); // as on Linux before 6.9
                Result open = new Result();
                ring.openat(AT_FDCWD, arena.allocateFrom(file.toString()).address(), O_RDWR | O_CLOEXEC, 0, open);
                drive(ring, open::done);
                int fd = open.last();
                assertTrue(fd >= 0, "openat: " + fd);
                Result truncate = new Result();
                ring.ftruncate(fd, 1234, truncate);
                assertTrue(truncate.results.isEmpty(), "the result comes through the ring, never from inside the call");
                drive(ring, truncate::done);
                assertEquals(0, truncate.last());
                Result bad = new Result();
                ring.ftruncate(fd, -1, bad);
                drive(ring, bad::done);
                assertEquals(-EINVAL, bad.last(), "the call's errno is the completion's result");
                Result close = new Result();
                ring.close(fd, close);
                drive(ring, close::done);
                return null;
            }
        });
        assertEquals(1234, Files.size(file));
    }

    @Test
    void aMultishotReceiveFillsProvidedBuffersUntilTheStreamEnds() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel a = SocketChannel.open(server.getLocalAddress()); SocketChannel b = server.accept()) {
                String received = onOneThread(() -> {
                    try (Ring ring = Ring.open(8)) {
                        BufferRing buffers = ring.registerBuffers(1, 4, 64);
                        StringBuilder text = new StringBuilder();
                        Result recv = new Result();
                        List<Integer> bufferIds = new ArrayList<>();
                        ring.recvMultishot(fd(b), buffers, 0, (res, flags) -> {
                            recv.complete(res, flags);
                            if (res > 0) {
                                assertTrue(BufferRing.hasBuffer(flags));
                                int id = BufferRing.bufferId(flags);
                                bufferIds.add(id);
                                ByteBuffer view = buffers.buffer(id, res);
                                text.append(StandardCharsets.UTF_8.decode(view));
                                buffers.recycle(id);
                            }
                        });
                        for (int i = 0; i < 10; i++) {
                            a.write(ByteBuffer.wrap(("msg" + i + ";").getBytes(StandardCharsets.UTF_8)));
                            int before = recv.results.size();
                            drive(ring, () -> recv.results.size() > before);
                            assertTrue((recv.flags.getLast() & Ring.F_MORE) != 0, "one submission, many receives");
                        }
                        a.shutdownOutput();
                        drive(ring, recv::done);
                        assertEquals(0, recv.last(), "the stream's end ends the multishot receive");
                        assertEquals(0, ring.inFlight(), "its handler slot is free again");
                        assertTrue(bufferIds.stream().distinct().count() > 1, "buffers rotate: " + bufferIds);
                        return text.toString();
                    }
                });
                assertEquals("msg0;msg1;msg2;msg3;msg4;msg5;msg6;msg7;msg8;msg9;", received);
            }
        }
    }

    @Test
    void sendsAndReceivesOnAConnectedPairInOneSubmissionEach() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel a = SocketChannel.open(server.getLocalAddress()); SocketChannel b = server.accept()) {
                onOneThread(() -> {
                    try (Ring ring = Ring.open(8); Arena arena = Arena.ofConfined()) {
                        MemorySegment hello = arena.allocateFrom("hello ");
                        MemorySegment world = arena.allocateFrom("world");
                        Result s1 = new Result();
                        Result s2 = new Result();
                        ring.send(fd(a), hello.address(), 6, MSG_DONTWAIT, s1);
                        ring.send(fd(b), world.address(), 5, MSG_DONTWAIT, s2);
                        drive(ring, () -> s1.done() && s2.done());
                        assertEquals(6, s1.last());
                        assertEquals(5, s2.last());
                        MemorySegment inA = arena.allocate(64);
                        MemorySegment inB = arena.allocate(64);
                        Result r1 = new Result();
                        Result r2 = new Result();
                        ring.recv(fd(a), inA.address(), 64, 0, r1);
                        ring.recv(fd(b), inB.address(), 64, 0, r2);
                        drive(ring, () -> r1.done() && r2.done());
                        assertEquals("world", text(inA, r1.last()));
                        assertEquals("hello ", text(inB, r2.last()));
                        // A non-blocking receive on an empty socket completes at once instead of waiting.
                        Result empty = new Result();
                        ring.recv(fd(a), inA.address(), 64, MSG_DONTWAIT, empty);
                        drive(ring, empty::done);
                        assertEquals(-Ring.EAGAIN, empty.last());
                        return null;
                    }
                });
            }
        }
    }

    private static String text(MemorySegment s, int n) {
        return new String(s.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    @Test
    void aMultishotPollReportsEachReadinessAndACancelEndsIt() throws Exception {
        onOneThread(() -> {
            try (Ring ring = Ring.open(8)) {
                MemorySegment err = Native.errnoSegment(Arena.ofAuto());
                int efd = Native.INSTANCE.eventfd(err);
                assertTrue(efd >= 0);
                try {
                    Result poll = new Result();
                    long token = ring.pollAdd(efd, Ring.POLLIN, true, poll);
                    Native.INSTANCE.eventfdWrite(efd);
                    drive(ring, () -> !poll.results.isEmpty());
                    assertTrue((poll.results.getLast() & Ring.POLLIN) != 0);
                    assertTrue((poll.flags.getLast() & Ring.F_MORE) != 0, "the poll stays armed");
                    assertTrue(ring.inFlight(token));
                    assertTrue(ring.cancel(token));
                    drive(ring, poll::done);
                    assertEquals(-Ring.ECANCELED, poll.last());
                    assertFalse(ring.inFlight(token));
                    assertFalse(ring.cancel(token), "a stale token names nothing");
                } finally {
                    Native.INSTANCE.close(efd);
                }
                return null;
            }
        });
    }

    @Test
    void closeCancelsWhatIsInFlightAndCallsItsHandlers() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel a = SocketChannel.open(server.getLocalAddress()); SocketChannel b = server.accept()) {
                onOneThread(() -> {
                    Ring ring = Ring.open(8);
                    Result recv = new Result();
                    Result accept = new Result();
                    MemorySegment buf = Arena.ofAuto().allocate(64);
                    ring.recv(fd(b), buf.address(), 64, 0, recv); // nothing ever arrives
                    ring.acceptMultishot(fd(server), 0, accept);
                    ring.poll();
                    assertEquals(2, ring.inFlight());
                    ring.close();
                    assertEquals(List.of(-Ring.ECANCELED), recv.results);
                    assertEquals(List.of(-Ring.ECANCELED), accept.results);
                    assertThrows(IllegalStateException.class, () -> ring.nop((r, f) -> { }));
                    ring.wakeup(); // a late waker after close does no harm
                    ring.park(1_000);
                    return null;
                });
            }
        }
    }

    @Test
    void aRingThatCannotBeSetUpSaysWhy() {
        IOException e = assertThrows(IOException.class, () -> Ring.open(1 << 20));
        assertTrue(e.getMessage().contains("io_uring_setup"), e.getMessage());
    }

    @Test
    void aFullSubmissionQueueIsSubmittedAndTheRingGoesOn() throws Exception {
        onOneThread(() -> {
            try (Ring ring = Ring.open(4)) {
                int[] done = new int[1];
                for (int i = 0; i < 100; i++) {
                    ring.nop((r, f) -> done[0]++); // 4 entries: every fifth submission finds the queue full
                }
                drive(ring, () -> done[0] == 100);
                assertEquals(0, ring.inFlight());
                return null;
            }
        });
    }

    @Test
    void aSubmissionTheKernelPutsOffStaysQueuedForTheNextCall() throws Exception {
        onOneThread(() -> {
            try (Ring ring = Ring.open(4)) {
                int[] done = new int[1];
                ring.nop((r, f) -> done[0]++);
                ring.refuseNextEnters(3, Native.EBUSY);
                ring.submit(); // completions to reap first: no failure, the entry waits
                assertEquals(0, ring.poll());
                ring.refuseNextEnters(1, Native.EAGAIN);
                ring.submit(); // no memory for requests yet: likewise
                drive(ring, () -> done[0] == 1);
                assertEquals(0, ring.inFlight());
                return null;
            }
        });
    }

    private static final MethodHandle FD;

    static {
        try {
            FD = MethodHandles.lookup().findVirtual(Class.forName("sun.nio.ch.SelChImpl"), "getFDVal",
                    MethodType.methodType(int.class)).asType(MethodType.methodType(int.class, SelectableChannel.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static int fd(SelectableChannel channel) throws Throwable {
        return (int) FD.invokeExact(channel);
    }
}
