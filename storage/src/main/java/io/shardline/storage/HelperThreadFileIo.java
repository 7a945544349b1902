package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.PollSource;
import io.shardline.core.Promise;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.SpscUnboundedArrayQueue;

/**
 * The {@link FileIo} backend that runs blocking file calls on one helper thread per loop. Owned by
 * its loop: every public method is called on the loop's thread; only the helper thread runs the
 * calls. Completions travel back on a single-producer queue that the loop drains as a
 * {@link PollSource}; the helper wakes the loop only if it is parked, and the loop unparks the helper
 * only if it sleeps.
 *
 * <p>Cost: one thread per loop that does file I/O, and two queue hops per operation. The queues grow
 * with what is in flight, which the callers bound (a log keeps one write and one flush in flight).
 */
public final class HelperThreadFileIo implements FileIo, PollSource {
    private static final int QUEUE_CHUNK = 256;

    private final Loop loop;
    private final SpscUnboundedArrayQueue<FileOp<?>> submissions = new SpscUnboundedArrayQueue<>(QUEUE_CHUNK);
    private final SpscUnboundedArrayQueue<FileOp<?>> completions = new SpscUnboundedArrayQueue<>(QUEUE_CHUNK);
    private final Thread helper;
    private final AutoCloseable registration;
    /** Written by the helper before it parks, read by the loop after each submission. */
    private volatile boolean helperParked;
    private volatile boolean stopping;
    private boolean closed;

    /** Starts the helper thread and registers the completion source with {@code loop}. On the loop. */
    public HelperThreadFileIo(Loop loop) {
        this.loop = loop;
        this.registration = loop.register(this);
        this.helper = Thread.ofPlatform().daemon().name(loop.name() + "-io").unstarted(this::runHelper);
        helper.start();
        loop.onClose(this::close);
    }

    @Override
    public Loop loop() {
        return loop;
    }

    @Override
    public Future<FileHandle> open(Path path, boolean create, boolean direct) {
        return run(() -> FileOpener.open(path, create, direct));
    }

    @Override
    public Future<Integer> read(FileHandle file, long position, ByteBuffer dst) {
        return run(() -> file.readFully(position, dst));
    }

    @Override
    public Future<Void> write(FileHandle file, long position, ByteBuffer src) {
        return run(() -> {
            file.writeFully(position, src);
            return null;
        });
    }

    @Override
    public Future<Void> force(FileHandle file, boolean metadata) {
        return run(() -> {
            file.channel().force(metadata);
            return null;
        });
    }

    /**
     * One job on the helper thread: the write and the force with no trip through the loop between them;
     * on an O_DSYNC file the write alone, which is durable when it returns.
     */
    @Override
    public Future<Void> writeAndForce(FileHandle file, long position, ByteBuffer src, boolean metadata) {
        return run(() -> {
            file.writeFully(position, src);
            if (metadata || !file.dsync()) {
                file.channel().force(metadata);
            }
            return null;
        });
    }

    /** Runs after every operation asked before it: they share the one helper thread, in order. */
    @Override
    public Future<Void> close(FileHandle file) {
        return run(() -> {
            file.channel().close();
            return null;
        });
    }

    @Override
    public <T> Future<T> run(BlockingCall<T> call) {
        assert loop.inLoop() : "file I/O of " + loop + " called from " + Thread.currentThread().getName();
        Promise<T> promise = new Promise<>(loop);
        if (closed) {
            promise.fail(new LoopClosedException("file I/O of " + loop + " is closed"));
            return promise;
        }
        submissions.offer(new FileOp<>(call, promise));
        // Dekker with the helper: publish the operation, then look at its parked flag.
        VarHandle.fullFence();
        if (helperParked) {
            LockSupport.unpark(helper);
        }
        return promise;
    }

    /** Completes finished operations on the loop. */
    @Override
    public int poll() {
        int n = 0;
        FileOp<?> op;
        while ((op = completions.relaxedPoll()) != null) {
            op.complete();
            n++;
        }
        return n;
    }

    /** Whether {@link #close} has begun: the helper starts no further operation. Any thread. */
    boolean isStopping() {
        return stopping;
    }

    @Override
    public void close() {
        assert loop.inLoop() || loop.isTerminated();
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        LockSupport.unpark(helper);
        boolean joined;
        try {
            // The helper finishes the call it is in (a write or a force is not interrupted midway).
            helper.join(java.time.Duration.ofSeconds(30));
            joined = !helper.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            joined = false;
        }
        poll();
        LoopClosedException cause = new LoopClosedException("file I/O of " + loop + " stopped before the operation ran");
        if (joined) {
            FileOp<?> op;
            while ((op = submissions.relaxedPoll()) != null) {
                op.abandon(cause);
            }
        }
        try {
            registration.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void runHelper() {
        // Once the loop closes, nothing more goes to the disk; the loop fails what is left queued.
        while (!stopping) {
            FileOp<?> op = submissions.relaxedPoll();
            if (op == null) {
                helperParked = true;
                // Dekker with the loop: announce the park, then look at the queue once more.
                VarHandle.fullFence();
                if (submissions.isEmpty() && !stopping) {
                    LockSupport.park(this);
                }
                helperParked = false;
                continue;
            }
            op.runBlocking();
            completions.offer(op);
            loop.wakeup();
        }
    }
}
