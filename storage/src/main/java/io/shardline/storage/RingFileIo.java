package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.LoopClosedException;
import io.shardline.core.Promise;
import io.shardline.core.ring.Completion;
import io.shardline.core.ring.Ring;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The {@link FileIo} backend on its loop's own io_uring {@link Ring}. Owned by its loop: every method
 * is called on the loop's thread, and completions arrive there from the ring's poll, so reads,
 * writes and forces ({@code fdatasync}, or {@code fsync} with metadata) need no thread of their own
 * and share the loop's one {@code io_uring_enter} per pass with its sockets.
 *
 * <p>Work the ring has no operation for here runs on a {@link HelperThreadFileIo} started the first
 * time such work comes: {@link #run} (directory listings, renames, a log's recovery scan, closing
 * files), {@link #open} (a file must be opened with {@code open(2)} and wrapped in a
 * {@code FileChannel} for that blocking code), and the rare read or write of a heap buffer or of a
 * handle whose descriptor is unknown. A log's appends, forces and reads never touch that thread. A
 * {@link #close(FileHandle)} waits for the ring operations in flight on the file, so its descriptor
 * is never closed (and reused) under one.
 *
 * <p>Cost: one small operation object per call in flight, pooled and reused; no allocation for the
 * ring's submission itself.
 */
public final class RingFileIo implements FileIo {
    private static final int POOL = 64;

    private final Loop loop;
    private final Ring ring;
    private final ArrayDeque<Op> free = new ArrayDeque<>();
    private HelperThreadFileIo helper;
    private boolean closed;

    /** A backend on {@code ring}, the ring of {@code loop}; stops with the loop. On the loop. */
    public RingFileIo(Loop loop, Ring ring) {
        this.loop = loop;
        this.ring = ring;
        loop.onClose(this::close);
    }

    @Override
    public Loop loop() {
        return loop;
    }

    /** Whether the helper thread for work without a ring operation has been started. On the loop. */
    boolean helperStarted() {
        return helper != null;
    }

    private HelperThreadFileIo helper() {
        if (helper == null) {
            helper = new HelperThreadFileIo(loop);
        }
        return helper;
    }

    @Override
    public Future<FileHandle> open(Path path, boolean create, boolean direct) {
        return run(() -> FileOpener.open(path, create, direct));
    }

    @Override
    public Future<Integer> read(FileHandle file, long position, ByteBuffer dst) {
        if (file.fd() < 0 || !dst.isDirect()) {
            return closed ? closedFuture() : helper().read(file, position, dst);
        }
        Promise<Integer> p = new Promise<>(loop);
        start(Op.READ, file, position, dst, false, p);
        return p;
    }

    @Override
    public Future<Void> write(FileHandle file, long position, ByteBuffer src) {
        if (file.fd() < 0 || !src.isDirect()) {
            return closed ? closedFuture() : helper().write(file, position, src);
        }
        Promise<Void> p = new Promise<>(loop);
        start(Op.WRITE, file, position, src, false, p);
        return p;
    }

    /**
     * On an O_DSYNC file one write, durable when it completes: one ring entry, which the kernel's
     * worker finishes with the write's own sync, where a write and a linked {@code fdatasync} take the
     * worker twice (an always log made 11-23% more durable appends per second so, in four paired
     * rounds on a quiet disk). On other files the write and the force as two linked ring entries in
     * one submission: the kernel starts the force as soon as the write has ended, with no trip through
     * the loop between them.
     */
    @Override
    public Future<Void> writeAndForce(FileHandle file, long position, ByteBuffer src, boolean metadata) {
        if (file.fd() < 0 || !src.isDirect()) {
            return closed ? closedFuture() : helper().writeAndForce(file, position, src, metadata);
        }
        Promise<Void> p = new Promise<>(loop);
        // On an O_DSYNC file the write is the durable append: one ring operation and no force.
        start(file.dsync() && !metadata ? Op.WRITE : Op.WRITE_SYNC, file, position, src, metadata, p);
        return p;
    }

    @Override
    public Future<Void> force(FileHandle file, boolean metadata) {
        if (file.fd() < 0) {
            return closed ? closedFuture() : helper().force(file, metadata);
        }
        Promise<Void> p = new Promise<>(loop);
        start(Op.FORCE, file, 0, null, metadata, p);
        return p;
    }

    /**
     * Waits for the ring operations in flight on the file, then closes its channel on the helper
     * thread; once the backend has stopped (the loop is ending), on the loop's thread itself, so that
     * no descriptor is left open.
     */
    @Override
    public Future<Void> close(FileHandle file) {
        assert loop.inLoop() || loop.isTerminated() : "file I/O of " + loop + " called from " + Thread.currentThread().getName();
        file.closing = true;
        if (file.ringOps == 0) {
            return closeChannel(file);
        }
        Promise<Void> p = new Promise<>(loop);
        file.closeWhenIdle = () -> closeChannel(file).whenComplete((v, e) -> p.tryComplete(v, e));
        return p;
    }

    private Future<Void> closeChannel(FileHandle file) {
        if (!closed) {
            return helper().close(file);
        }
        try {
            file.channel().close();
            return Future.succeeded(null);
        } catch (IOException e) {
            return Future.failed(e);
        }
    }

    @Override
    public <T> Future<T> run(BlockingCall<T> call) {
        assert loop.inLoop() : "file I/O of " + loop + " called from " + Thread.currentThread().getName();
        return closed ? closedFuture() : helper().run(call);
    }

    /** Stops the backend: later calls fail; operations in flight end as the ring closes them. On the loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (helper != null) {
            helper.close();
        }
    }

    private <T> Future<T> closedFuture() {
        return Future.failed(closedException(""));
    }

    private LoopClosedException closedException(String detail) {
        return new LoopClosedException("file I/O of " + loop + " is closed" + detail);
    }

    private void start(int kind, FileHandle file, long position, ByteBuffer buffer, boolean metadata, Promise<?> promise) {
        assert loop.inLoop() : "file I/O of " + loop + " called from " + Thread.currentThread().getName();
        if (closed) {
            promise.tryFail(closedException(""));
            return;
        }
        if (file.closing) {
            promise.tryFail(new StorageException(file.path(), "file is closed"));
            return;
        }
        file.ringOps++;
        Op op = free.poll();
        if (op == null) {
            op = new Op();
        }
        op.kind = kind;
        op.file = file;
        op.position = position;
        op.buffer = buffer;
        op.metadata = metadata;
        op.done = 0;
        op.promise = promise;
        op.submit();
    }

    /** One call in flight: resubmitted after a short read or write, recycled when its future completes. */
    private final class Op implements Completion {
        static final int READ = 0;
        static final int WRITE = 1;
        static final int FORCE = 2;
        /** A write with its force linked behind it; {@link #sync} receives the force's completion. */
        static final int WRITE_SYNC = 3;

        int kind;
        FileHandle file;
        long position;
        /** Held while the kernel may touch its memory. */
        ByteBuffer buffer;
        boolean metadata;
        int done;
        int asked;
        Promise<?> promise;
        /** The linked force's handler, and what the two completions of a WRITE_SYNC submission said. */
        private final Completion sync = this::synced;
        private int awaiting;
        private int writeResult;
        private int syncResult;

        void submit() {
            try {
                int fd = file.fd();
                if (kind == FORCE) {
                    ring.fsync(fd, !metadata, this);
                    return;
                }
                asked = buffer.remaining();
                long address = MemorySegment.ofBuffer(buffer).address();
                if (kind == WRITE_SYNC) {
                    awaiting = 2;
                    ring.writeThenFsync(fd, address, asked, position + done, !metadata, this, sync);
                } else if (kind == READ) {
                    ring.read(fd, address, asked, position + done, this);
                } else {
                    ring.write(fd, address, asked, position + done, this);
                }
            } catch (IllegalStateException e) {
                finish(null, closedException(": " + e.getMessage()));
            } catch (RuntimeException e) {
                finish(null, e);
            }
        }

        @Override
        public void complete(int result, int flags) {
            if (kind == WRITE_SYNC) {
                writeResult = result;
                if (--awaiting == 0) {
                    linkedDone();
                }
                return;
            }
            ended(result);
        }

        private void synced(int result, int flags) {
            syncResult = result;
            if (--awaiting == 0) {
                linkedDone();
            }
        }

        /** Both completions of a write and its linked force are in (in whichever order they came). */
        private void linkedDone() {
            int w = writeResult;
            if (w < 0) {
                ended(w);
            } else if (w < asked) {
                // A short write cut the link (the force said -ECANCELED): write the rest, with its force.
                done += w;
                buffer.position(buffer.position() + w);
                if (w == 0) {
                    finish(null, wroteNothing());
                } else {
                    submit();
                }
            } else {
                buffer.position(buffer.position() + w);
                kind = FORCE; // the write is whole: the force's result is the outcome
                ended(syncResult);
            }
        }

        private void ended(int result) {
            if (result == -Ring.ECANCELED) {
                finish(null, new LoopClosedException("file I/O of " + loop + " stopped before the operation ended"));
            } else if (result < 0) {
                String what = kind == READ ? "read" : kind == FORCE ? (metadata ? "fsync" : "fdatasync") : "write";
                finish(null, new IOException(what + " of " + file.path() + " failed: " + NativeFiles.strerror(-result)));
            } else if (kind == FORCE) {
                finish(null, null);
            } else {
                done += result;
                buffer.position(buffer.position() + result);
                if (kind == READ) {
                    // The end of the file, or a short direct read (reading on would be unaligned): done.
                    boolean more = result > 0 && buffer.hasRemaining() && !(file.direct() && result < asked);
                    if (more) {
                        submit();
                    } else {
                        finish(done, null);
                    }
                } else if (!buffer.hasRemaining()) {
                    finish(null, null);
                } else if (result == 0) {
                    finish(null, wroteNothing());
                } else {
                    submit();
                }
            }
        }

        private IOException wroteNothing() {
            return new IOException("write of " + file.path() + " wrote nothing at byte " + (position + done));
        }

        @SuppressWarnings("unchecked")
        private void finish(Object value, Throwable failure) {
            Promise<Object> p = (Promise<Object>) promise;
            FileHandle f = file;
            promise = null;
            file = null;
            buffer = null;
            if (free.size() < POOL) {
                free.push(this); // before the continuations run: one that submits again reuses it
            }
            if (--f.ringOps == 0 && f.closeWhenIdle != null) {
                Runnable close = f.closeWhenIdle;
                f.closeWhenIdle = null;
                close.run();
            }
            p.tryComplete(value, failure);
        }
    }
}
