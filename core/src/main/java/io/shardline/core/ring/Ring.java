package io.shardline.core.ring;

import io.shardline.core.Loop;
import io.shardline.core.Parker;
import io.shardline.core.PollSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One io_uring per loop: the loop's reactor. Owned by its loop's thread, which alone submits and
 * reaps; {@link #wakeup()} from any thread. (Over 400 lines: the submission API is one method per
 * operation, each a few lines, and splitting them from the ring they fill would scatter one concept.)
 *
 * <p>As the loop's {@link Parker} it submits what was prepared and sleeps in one
 * {@code io_uring_enter} with the next timer deadline as its timeout; a waker on another thread
 * writes an eventfd whose pending read on the ring then completes (one system call, and only when the
 * loop is parked: the loop's Dekker protocol decides). As a {@link PollSource} it submits what was
 * prepared during the pass and dispatches completions to their {@link Completion} handlers, without
 * blocking; with deferred task work it enters the kernel only when the kernel flags work for it.
 *
 * <p>Used alone as a loop's parker ({@code LoopConfig.builder().parker(Ring::new)}), or owned by an I/O
 * backend that parks through it; either way {@code loop.service(Ring.class)} finds it. Each
 * submission method returns the operation's token for {@link #cancel}; the submission queue full
 * means a submission first, never a failure.
 */
public final class Ring implements Parker, PollSource, AutoCloseable {
    /** Completion flag: a multishot operation posts more completions to the same handler. */
    public static final int F_MORE = 1 << 1;
    /** Completion flag: the operation used a provided buffer ({@link BufferRing#bufferId}). */
    public static final int F_BUFFER = 1;
    public static final int ECANCELED = 125;
    public static final int ENOBUFS = 105;
    public static final int EAGAIN = 11;
    public static final int ETIME = Native.ETIME;
    /** Poll events for {@link #pollAdd}. */
    public static final int POLLIN = 0x1;
    public static final int POLLOUT = 0x4;
    /** Default submission entries; completions get {@value RingSetup#CQ_PER_SQ} times as many. */
    public static final int DEFAULT_ENTRIES = 256;

    static final byte OP_NOP = 0;
    static final byte OP_FSYNC = 3;
    static final byte OP_POLL_ADD = 6;
    static final byte OP_SENDMSG = 9;
    static final byte OP_ACCEPT = 13;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_CONNECT = 16;
    static final byte OP_OPENAT = 18;
    static final byte OP_CLOSE = 19;
    static final byte OP_READ = 22;
    static final byte OP_WRITE = 23;
    static final byte OP_SEND = 26;
    static final byte OP_RECV = 27;
    static final byte OP_SHUTDOWN = 34;
    static final byte OP_FTRUNCATE = 55;
    private static final int SQE_IO_LINK = 1 << 2;
    private static final int SQE_BUFFER_SELECT = 1 << 5;
    private static final short RECV_MULTISHOT = 1 << 1;
    private static final short ACCEPT_MULTISHOT = 1;
    private static final int CANCEL_ALL = 1;
    private static final int CANCEL_FD = 1 << 1;
    private static final int CANCEL_ANY = 1 << 2;
    private static final long IGNORE = 0;
    private static final long WAKE = -1;
    private static final long CLOSE_PATIENCE_NANOS = 10_000_000_000L;
    private static final System.Logger LOG = System.getLogger("io.shardline.core.ring");

    private static final VarHandle WAKERS;

    static {
        try {
            WAKERS = MethodHandles.lookup().findVarHandle(Ring.class, "wakers", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int entries;
    private Uring uring;
    private final boolean[] supported;
    private final Handlers handlers = new Handlers();
    private final List<BufferRing> bufferRings = new ArrayList<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment wakeBuffer;
    private final int eventFd;
    /** Wakers inside {@link #wakeup}, or negative once close has taken the eventfd from them. */
    @SuppressWarnings("unused") // through WAKERS
    private volatile int wakers;
    private volatile Thread owner;
    private Loop loop;
    private boolean enabled;
    private boolean wakeArmed;
    private boolean closing;
    private boolean closed;
    private Runnable beforeEnter;
    /** The token of the operation {@link #prepare} set up last. */
    private long token;
    /** Completions a park waits for, and for how long at most ({@link #parkForBatch}). */
    private int parkBatch = 1;
    private long parkBatchNanos;

    /**
     * A ring of {@value #DEFAULT_ENTRIES} entries, for {@code LoopConfig.builder().parker(Ring::new)}.
     * Check {@link #available()} first: where no ring can be set up this throws.
     *
     * @throws UncheckedIOException where the ring cannot be set up (its message says why)
     */
    public Ring() {
        this(DEFAULT_ENTRIES);
    }

    private Ring(int entries) {
        this.entries = entries;
        try {
            uring = RingSetup.setup(entries, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        supported = uring.probe();
        wakeBuffer = arena.allocate(8, 8);
        int efd = Native.INSTANCE.eventfd(Native.errnoSegment(arena));
        if (efd < 0) {
            uring.close();
            arena.close();
            throw new UncheckedIOException(new IOException("eventfd failed: " + Native.strerror(-efd)));
        }
        eventFd = efd;
    }

    /**
     * A ring of at least {@code entries} submission entries, or an {@link IOException} that says why
     * there can be none (no io_uring in the kernel, io_uring disabled, RLIMIT_MEMLOCK too low, no
     * native access): the caller logs it once and falls back.
     */
    public static Ring open(int entries) throws IOException {
        try {
            return new Ring(entries);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Whether a ring can be set up on this machine and JVM; probed once. */
    public static boolean available() {
        return RingSetup.UNAVAILABLE == null;
    }

    /** Why no ring can be set up here, or null when one can. */
    public static String unavailableReason() {
        return RingSetup.UNAVAILABLE;
    }

    /** The C library's message for {@code errno} (a completion's negated result), as NIO words it. */
    public static String describe(int errno) {
        return Native.strerror(errno);
    }

    /** The ring of {@code loop}, or null if it has none. Any thread. */
    public static Ring of(Loop loop) {
        return loop.service(Ring.class);
    }

    // ---------------------------------------------------------------- Parker and PollSource

    @Override
    public void attach(Loop loop) {
        this.loop = loop;
        loop.putService(Ring.class, this);
    }

    @Override
    public void bind(Thread loopThread) {
        if (enabled && owner != loopThread) {
            throw new IllegalStateException("the ring was first used by thread '" + owner.getName() + "'");
        }
        owner = loopThread;
        if (!enabled && loopThread.isVirtual() && (uring.setupFlags & Uring.SETUP_SINGLE_ISSUER) != 0) {
            // A virtual thread changes carriers, and a single-issuer ring refuses every other one.
            try {
                Uring plain = RingSetup.setup(entries, false);
                for (BufferRing b : bufferRings) {
                    long r = b.registerWith(plain); // nothing used them yet: the new ring starts where the old one was
                    if (r < 0) {
                        plain.close();
                        throw new IOException("re-registering buffer group " + b.groupId() + " failed: "
                                + Native.strerror((int) -r));
                    }
                }
                uring.movePendingTo(plain);
                uring.close();
                uring = plain;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        enable();
    }

    @Override
    public void park(long timeoutNanos) {
        if (closed) {
            // The loop parks between its close hooks and its end; the ring may already be gone.
            LockSupport.parkNanos(this, timeoutNanos == Long.MAX_VALUE ? 1_000_000 : timeoutNanos);
            return;
        }
        assert onOwner() : "Ring.park off its loop";
        enable();
        runBeforeEnter();
        if (timeoutNanos <= 0) {
            submit();
            return;
        }
        int r;
        int wanted = 1;
        long timeout = timeoutNanos;
        if (parkBatch > 1) {
            wanted = parkBatch;
            timeout = Math.min(timeoutNanos, parkBatchNanos);
        }
        // A loop on a virtual thread sleeps in a native call that pins its carrier: tell the scheduler,
        // as the JDK's selector does, so it adds a carrier instead of starving every other virtual thread.
        boolean compensated = CarrierBlocking.begin();
        try {
            r = uring.enter(wanted, timeout == Long.MAX_VALUE ? -1 : timeout, true);
        } finally {
            CarrierBlocking.end(compensated);
        }
        if (r < 0 && r != -Native.ETIME && r != -Native.EINTR && r != -Native.EBUSY && r != -Native.EAGAIN) {
            throw new UncheckedIOException(new IOException("io_uring_enter failed: " + Native.strerror(-r)));
        }
    }

    /**
     * Makes each {@link #park} wait for {@code completions} completions rather than the first, but no
     * longer than {@code maxWaitNanos} (nor past the timer deadline it was given), then return with
     * what has come: a consumer of many similar completions (a load generator's echoes) then wakes once
     * per batch, and with deferred task work the kernel wakes it only when the batch is in, so the
     * threads that complete its operations (a server's sends) need not wake it one by one. A park
     * with nothing ready returns after {@code maxWaitNanos}, and a {@link #wakeup} counts as one
     * completion, so a loop with timers or cross-thread tasks to serve should keep the default
     * ({@code completions == 1}: wake at the first completion). Loop thread.
     */
    public void parkForBatch(int completions, long maxWaitNanos) {
        if (completions < 1 || maxWaitNanos <= 0) {
            throw new IllegalArgumentException("park batch needs completions >= 1 and a positive wait, got "
                    + completions + " and " + maxWaitNanos + " ns");
        }
        assert onOwner() : "Ring.parkForBatch off its loop";
        parkBatch = completions;
        parkBatchNanos = maxWaitNanos;
    }

    @Override
    public void wakeup() {
        while (true) {
            int w = (int) WAKERS.getVolatile(this);
            if (w < 0) {
                Thread t = owner; // closed: the loop parks on its thread, not on the ring
                if (t != null) {
                    LockSupport.unpark(t);
                }
                return;
            }
            if (WAKERS.compareAndSet(this, w, w + 1)) {
                break;
            }
        }
        try {
            Native.INSTANCE.eventfdWrite(eventFd);
        } finally {
            WAKERS.getAndAdd(this, -1); // after the write: close waits for this before closing the fd
        }
    }

    /**
     * Dispatches the completions that are ready, submits what was prepared (by this pass's tasks and
     * by those handlers), and dispatches what that submission completed at once; never blocks.
     * Returns how many operations completed, wake-ups not counted.
     */
    @Override
    public int poll() {
        if (closed) {
            return 0;
        }
        assert onOwner() : "Ring.poll off its loop";
        enable();
        int n = reap();
        runBeforeEnter();
        if (uring.unsubmitted() > 0 || kernelHasWork()) {
            int r = uring.enter(0, -1, true);
            if (r < 0 && !notNow(r)) {
                throw new UncheckedIOException(new IOException("io_uring_enter failed: " + Native.strerror(-r)));
            }
            n += reap();
        }
        return n;
    }

    /**
     * Sets what runs on the loop's thread right before each {@link #poll} and {@link #park} enter the
     * kernel, after the completions that were ready have been dispatched: where a backend prepares
     * what the pass queued (a transport's sends), so all of it goes in that one system call. One hook
     * per ring.
     */
    public void beforeEnter(Runnable hook) {
        if (beforeEnter != null && hook != null) {
            throw new IllegalStateException("the ring already has a before-enter hook");
        }
        beforeEnter = hook;
    }

    private void runBeforeEnter() {
        Runnable h = beforeEnter;
        if (h != null) {
            h.run();
        }
    }

    /** Whether completions wait in the kernel for a system call to post them. */
    private boolean kernelHasWork() {
        if ((uring.sqFlags() & (Uring.SQ_TASKRUN | Uring.SQ_CQ_OVERFLOW)) != 0) {
            return true;
        }
        // Without the task-run flag, cooperative task work shows only after a system call.
        return (uring.setupFlags & Uring.SETUP_TASKRUN_FLAG) == 0
                && (uring.setupFlags & Uring.SETUP_COOP_TASKRUN) != 0 && handlers.live() > 0;
    }

    /**
     * Submits what was prepared, without waiting for anything; the kernel also finishes what it deferred
     * to this thread, so a cancelled operation has let go of its file when this returns (its completion
     * is dispatched by the next poll). Loop thread.
     */
    public void submit() {
        if (uring.unsubmitted() == 0) {
            return;
        }
        int r = uring.enter(0, -1, true);
        if (r < 0 && !notNow(r)) {
            throw new UncheckedIOException(new IOException("io_uring submission failed: " + Native.strerror(-r)));
        }
    }

    private int reap() {
        int head = uring.cqHead();
        int tail = uring.cqTail();
        int n = 0;
        while (head != tail) {
            long token = uring.cqeUserData(head);
            int result = uring.cqeResult(head);
            int flags = uring.cqeFlags(head);
            uring.cqAdvance(++head); // before the handler: one that throws leaves the rest for next time
            if (token == WAKE) {
                rearmWake(result);
                continue;
            }
            if (token == IGNORE) {
                continue;
            }
            int delivered = handlers.result(token, result); // before the slot is released with its injected result
            Completion c = handlers.completed(token, (flags & F_MORE) != 0);
            if (c != null) {
                n++;
                c.complete(delivered, flags);
            }
        }
        return n;
    }

    private void enable() {
        if (enabled) {
            return;
        }
        if (owner == null) {
            owner = Thread.currentThread(); // a ring used without a loop belongs to its first user
        }
        if ((uring.setupFlags & Uring.SETUP_R_DISABLED) != 0) {
            try {
                uring.enable();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        enabled = true;
        rearmWake(0);
    }

    private void rearmWake(int result) {
        wakeArmed = false;
        if (result < 0 && result != -ECANCELED) {
            LOG.log(System.Logger.Level.WARNING, "ring wake-up read failed: " + Native.strerror(-result));
        }
        if (closing) {
            return;
        }
        long sqe = entry(OP_READ, eventFd, WAKE);
        uring.sqes.set(ValueLayout.JAVA_LONG, sqe + 16, wakeBuffer.address());
        uring.sqes.set(ValueLayout.JAVA_INT, sqe + 24, 8);
        wakeArmed = true;
    }

    private boolean onOwner() {
        Thread t = owner;
        return t == null || t == Thread.currentThread() || (loop != null && loop.inLoop());
    }

    // ---------------------------------------------------------------- submissions

    /** The next submission entry, after a submission if the queue is full. */
    private long entry(byte opcode, int fd, long token) {
        if (uring.freeEntries() == 0) {
            submit();
            if (uring.freeEntries() == 0) {
                throw new UncheckedIOException(new IOException("io_uring took none of its full submission queue"));
            }
        }
        return uring.next(opcode, fd, token);
    }

    /** Takes a handler slot and an entry; {@link #token} is then the new operation's token. */
    private long prepare(byte opcode, int fd, Completion c) {
        if (closing || closed) {
            throw new IllegalStateException("the ring is " + (closed ? "closed" : "closing"));
        }
        assert onOwner() : "Ring submission off its loop";
        enable();
        long sqe = entry(opcode, fd, IGNORE); // the entry first: a submission in between runs no handler
        token = handlers.add(c);
        uring.sqes.set(ValueLayout.JAVA_LONG, sqe + 32, token);
        return sqe;
    }

    private void set(long sqe, long off, long addr, int len, int opFlags) {
        MemorySegment s = uring.sqes;
        s.set(ValueLayout.JAVA_LONG, sqe + 8, off);
        s.set(ValueLayout.JAVA_LONG, sqe + 16, addr);
        s.set(ValueLayout.JAVA_INT, sqe + 24, len);
        s.set(ValueLayout.JAVA_INT, sqe + 28, opFlags);
    }

    /** Completes with 0 on the next poll: a way to be called back from the ring's dispatch. */
    public long nop(Completion c) {
        prepare(OP_NOP, -1, c);
        return token;
    }

    /** {@code pread(fd, address, length, offset)}; the result is the byte count. */
    public long read(int fd, long address, int length, long offset, Completion c) {
        set(prepare(OP_READ, fd, c), offset, address, length, 0);
        return token;
    }

    /** {@code pwrite(fd, address, length, offset)}; the result is the byte count. */
    public long write(int fd, long address, int length, long offset, Completion c) {
        set(prepare(OP_WRITE, fd, c), offset, address, length, 0);
        return token;
    }

    /** {@code fsync(fd)}, or {@code fdatasync(fd)} when {@code dataOnly}. */
    public long fsync(int fd, boolean dataOnly, Completion c) {
        set(prepare(OP_FSYNC, fd, c), 0, 0, 0, dataOnly ? 1 : 0);
        return token;
    }

    /**
     * {@code pwrite} then, linked, {@code fsync} ({@code fdatasync} when {@code dataOnly}): both go to
     * the kernel in the same submission and the sync starts only once the write has written all of
     * {@code length}; a failed or short write ends the sync with {@code -ECANCELED}. Each entry has its
     * own handler and completion. Returns the write's token.
     */
    public long writeThenFsync(int fd, long address, int length, long offset, boolean dataOnly, Completion write,
                               Completion sync) {
        if (uring.freeEntries() < 2) {
            submit(); // both entries in one submission: a link cut at its end would let the sync run early
        }
        long sqe = prepare(OP_WRITE, fd, write);
        long writeToken = token;
        set(sqe, offset, address, length, 0);
        uring.sqes.set(ValueLayout.JAVA_BYTE, sqe + 1, (byte) SQE_IO_LINK);
        set(prepare(OP_FSYNC, fd, sync), 0, 0, 0, dataOnly ? 1 : 0);
        return writeToken;
    }

    /**
     * {@code openat(dirFd, path, flags, mode)}: {@code pathAddress} is a NUL-terminated path that must
     * stay readable until the completion; the result is the new descriptor.
     */
    public long openat(int dirFd, long pathAddress, int flags, int mode, Completion c) {
        set(prepare(OP_OPENAT, dirFd, c), 0, pathAddress, mode, flags);
        return token;
    }

    /** {@code close(fd)}. */
    public long close(int fd, Completion c) {
        prepare(OP_CLOSE, fd, c);
        return token;
    }

    /**
     * {@code ftruncate(fd, length)}. The ring runs it from Linux 6.9; on an older kernel the loop's
     * thread makes the system call itself and the result still arrives through {@code c} on the next
     * poll (the operation is metadata, rare, and quick).
     */
    public long ftruncate(int fd, long length, Completion c) {
        if (supported[OP_FTRUNCATE]) {
            set(prepare(OP_FTRUNCATE, fd, c), length, 0, 0, 0);
            return token;
        }
        prepare(OP_NOP, -1, c);
        handlers.inject(token, Native.INSTANCE.ftruncate(fd, length));
        return token;
    }

    /**
     * Whether {@code io_uring_enter} failed only for now: a signal (EINTR), no memory for requests yet
     * (EAGAIN), completions to reap before more can be posted (EBUSY). What was prepared stays queued
     * and goes with the next call; it is no failure of the ring or of any operation.
     */
    private static boolean notNow(int r) {
        return r == -Native.EINTR || r == -Native.EAGAIN || r == -Native.EBUSY;
    }

    /** For tests: the io_uring underneath, to read what its last enter asked for. */
    Uring uringForTests() {
        return uring;
    }

    /** For tests: the next {@code times} system calls into the ring fail with {@code errno}. */
    void refuseNextEnters(int times, int errno) {
        uring.refuseNextEnters(times, errno);
    }

    /** For tests of the fallbacks: acts as if the kernel lacked {@code opcode}. */
    void forgetSupport(byte opcode) {
        supported[opcode] = false;
    }

    /** {@code send(fd, address, length, flags)}. */
    public long send(int fd, long address, int length, int flags, Completion c) {
        set(prepare(OP_SEND, fd, c), 0, address, length, flags);
        return token;
    }

    /**
     * {@code sendmsg(fd, msghdr, flags)}: a gathering send of the iovecs the {@code struct msghdr} at
     * {@code msghdrAddress} names; it and the bytes must stay put until the completion.
     */
    public long sendmsg(int fd, long msghdrAddress, int flags, Completion c) {
        set(prepare(OP_SENDMSG, fd, c), 0, msghdrAddress, 1, flags);
        return token;
    }

    /** {@code recv(fd, address, length, flags)}. */
    public long recv(int fd, long address, int length, int flags, Completion c) {
        set(prepare(OP_RECV, fd, c), 0, address, length, flags);
        return token;
    }

    /**
     * A multishot receive: each arrival completes into a buffer of {@code buffers} (flags carry its
     * id) while {@link #F_MORE} is set; it ends on end of stream (result 0), an error, or
     * {@code -ENOBUFS} when the group has no free buffer, and the handler may then submit it again.
     */
    public long recvMultishot(int fd, BufferRing buffers, int flags, Completion c) {
        long sqe = prepare(OP_RECV, fd, c);
        set(sqe, 0, 0, 0, flags);
        MemorySegment s = uring.sqes;
        s.set(ValueLayout.JAVA_BYTE, sqe + 1, (byte) SQE_BUFFER_SELECT);
        s.set(ValueLayout.JAVA_SHORT, sqe + 2, RECV_MULTISHOT);
        s.set(ValueLayout.JAVA_SHORT, sqe + 40, (short) buffers.groupId());
        return token;
    }

    /**
     * A multishot accept on listening socket {@code fd}: each connection completes with its new
     * descriptor ({@code flags}: {@code SOCK_NONBLOCK | SOCK_CLOEXEC} and the like) while
     * {@link #F_MORE} is set.
     */
    public long acceptMultishot(int fd, int flags, Completion c) {
        long sqe = prepare(OP_ACCEPT, fd, c);
        set(sqe, 0, 0, 0, flags);
        uring.sqes.set(ValueLayout.JAVA_SHORT, sqe + 2, ACCEPT_MULTISHOT);
        return token;
    }

    /** {@code connect(fd, address, length)}: {@code sockaddrAddress} must stay readable until the completion. */
    public long connect(int fd, long sockaddrAddress, int sockaddrLength, Completion c) {
        set(prepare(OP_CONNECT, fd, c), sockaddrLength, sockaddrAddress, 0, 0);
        return token;
    }

    /** {@code shutdown(fd, how)}. */
    public long shutdown(int fd, int how, Completion c) {
        set(prepare(OP_SHUTDOWN, fd, c), 0, 0, how, 0);
        return token;
    }

    /**
     * Waits for {@code events} ({@link #POLLIN}, {@link #POLLOUT}) on {@code fd}; the result is the
     * ready events. With {@code multishot} it reports every readiness while {@link #F_MORE} is set.
     */
    public long pollAdd(int fd, int events, boolean multishot, Completion c) {
        set(prepare(OP_POLL_ADD, fd, c), 0, 0, multishot ? 1 : 0, events);
        return token;
    }

    /**
     * Cancels the operation of {@code token}, which then completes with {@code -ECANCELED} (or its
     * own result, if it finished first). Returns false if it is no longer in flight.
     */
    public boolean cancel(long token) {
        assert onOwner() : "Ring.cancel off its loop";
        if (closed || !handlers.isLive(token)) {
            return false;
        }
        set(entry(OP_ASYNC_CANCEL, -1, IGNORE), 0, token, 0, 0);
        return true;
    }

    /** Cancels every operation in flight on descriptor {@code fd}. */
    public void cancelAll(int fd) {
        assert onOwner() : "Ring.cancelAll off its loop";
        if (!closed) {
            set(entry(OP_ASYNC_CANCEL, fd, IGNORE), 0, 0, 0, CANCEL_FD | CANCEL_ALL);
        }
    }

    /** Whether the operation of {@code token} is still in flight. */
    public boolean inFlight(long token) {
        return handlers.isLive(token);
    }

    /** How many operations are in flight. Loop thread. */
    public int inFlight() {
        return handlers.live();
    }

    /**
     * Registers a provided-buffer ring of {@code count} (a power of two) buffers of {@code size} bytes
     * as buffer group {@code groupId}, for {@link #recvMultishot}. Allowed before the loop starts (on
     * the thread that builds it, so a lack of locked memory shows where a fallback can still be chosen)
     * or on the loop's thread.
     */
    public BufferRing registerBuffers(int groupId, int count, int size) throws IOException {
        assert onOwner() : "Ring.registerBuffers off its loop";
        if (closing || closed) {
            throw new IllegalStateException("the ring is closed");
        }
        BufferRing b = new BufferRing(this, uring, groupId, count, size);
        bufferRings.add(b);
        return b;
    }

    void unregister(BufferRing b) {
        if (bufferRings.remove(b) && !closed) {
            b.unregisterFrom(uring);
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Cancels every operation in flight, waits for their completions (their handlers see
     * {@code -ECANCELED}, or their result if they finished first), then releases the buffer rings,
     * the queues and the descriptors. Loop thread; the loop calls it last when it ends.
     */
    @Override
    public void close() {
        if (closing || closed) {
            return;
        }
        assert onOwner() : "Ring.close off its loop";
        closing = true;
        if (enabled) {
            drain();
        }
        for (BufferRing b : bufferRings) {
            b.release();
        }
        bufferRings.clear();
        while (!WAKERS.compareAndSet(this, 0, Integer.MIN_VALUE)) {
            Thread.onSpinWait(); // a waker is between its check and its write: it is one system call away
        }
        Native.INSTANCE.close(eventFd);
        uring.close();
        arena.close();
        closed = true;
    }

    private void drain() {
        set(entry(OP_ASYNC_CANCEL, -1, IGNORE), 0, 0, 0, CANCEL_ANY | CANCEL_ALL);
        long deadline = System.nanoTime() + CLOSE_PATIENCE_NANOS;
        while ((handlers.live() > 0 || wakeArmed) && System.nanoTime() < deadline) {
            boolean compensated = CarrierBlocking.begin();
            int r;
            try {
                r = uring.enter(1, 100_000_000L, true);
            } finally {
                CarrierBlocking.end(compensated);
            }
            if (r < 0 && r != -Native.ETIME && r != -Native.EINTR && r != -Native.EBUSY && r != -Native.EAGAIN) {
                LOG.log(System.Logger.Level.WARNING, "ring close: io_uring_enter failed: " + Native.strerror(-r));
                break;
            }
            try {
                reap();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "a completion handler failed while the ring closed", e);
            }
        }
        if (handlers.live() > 0) {
            LOG.log(System.Logger.Level.WARNING, "ring close: " + handlers.live()
                    + " operations did not end within 10 s of their cancellation; closing the ring anyway");
        }
    }

    @Override
    public String toString() {
        return "Ring[" + uring.sqEntries + " entries, " + handlers.live() + " in flight"
                + (closed ? ", closed" : "") + "]";
    }
}
