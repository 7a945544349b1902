package io.shardline.examples.router;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;

/**
 * The access log file and the one thread that writes it; thread-safe. Shards never touch the file:
 * each fills its own {@link AccessLogBuffer} and hands full chunks here through a bounded lock-free
 * queue; when the queue is full (the disk is slower than the traffic) a chunk is dropped and counted,
 * so a slow disk never blocks a shard nor grows memory without bound.
 *
 * <p>{@link #reopen} points the writer at a (possibly new) path, as a reload does: a rotated log is
 * picked up with a SIGHUP, as nginx does with USR1.
 */
public final class AccessLog implements AutoCloseable {
    private static final long IDLE_PARK_NANOS = 50_000_000;
    private final MpscArrayQueue<byte[]> queue = new MpscArrayQueue<>(1024);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile Path path;
    private volatile boolean reopen;
    private volatile boolean stop;

    public AccessLog(Path path) {
        this.path = path;
        this.writer = new Thread(this::run, "router-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code chunk} (whole lines) for the file; false (and counted) when the queue is full. */
    boolean offer(byte[] chunk) {
        if (!queue.offer(chunk)) {
            dropped.increment();
            return false;
        }
        LockSupport.unpark(writer);
        return true;
    }

    /** Chunks dropped because the writer fell behind. */
    public long dropped() {
        return dropped.sum();
    }

    /** Writes from now on to {@code p}, reopening the file (log rotation); null stops writing. */
    void reopen(Path p) {
        path = p;
        reopen = true;
        LockSupport.unpark(writer);
    }

    /** Writes what is queued, then stops the writer. */
    @Override
    public void close() {
        stop = true;
        LockSupport.unpark(writer);
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        FileChannel ch = open(path);
        while (true) {
            if (reopen) {
                reopen = false;
                closeQuietly(ch);
                ch = open(path);
            }
            byte[] b;
            boolean wrote = false;
            while ((b = queue.poll()) != null) {
                wrote = true;
                ch = write(ch, b);
            }
            if (stop && queue.isEmpty()) {
                break;
            }
            if (!wrote) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
        closeQuietly(ch);
    }

    private FileChannel write(FileChannel ch, byte[] b) {
        if (ch == null) {
            dropped.increment();
            return null;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            return ch;
        } catch (IOException e) {
            System.err.println("shardline router: access log " + path + ": " + e.getMessage());
            dropped.increment();
            closeQuietly(ch);
            return null;
        }
    }

    private static FileChannel open(Path p) {
        if (p == null) {
            return null;
        }
        try {
            return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("shardline router: cannot open access log " + p + ": " + e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a log we stop writing: nothing left to lose
            }
        }
    }
}
