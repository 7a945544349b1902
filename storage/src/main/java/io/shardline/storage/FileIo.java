package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A loop's file I/O backend: owned by one loop, and every method is called on that loop's thread.
 * Each call returns at once; the blocking work runs elsewhere and its future completes on the loop,
 * delivered through the loop's {@code poll()} contract, so the loop's thread never blocks on a disk.
 *
 * <p>The data path (read, write, force, close) is a set of typed operations so that an io_uring
 * backend can submit them as they are; {@link #run} carries the rarer metadata work (directory
 * listings, renames, a recovery scan) that has no typed operation.
 */
public interface FileIo extends AutoCloseable {

    /** The loop whose thread calls this backend and receives its completions. */
    Loop loop();

    /**
     * Opens {@code path} for reading and writing, creating it if {@code create}; with O_DIRECT when
     * {@code direct} and the file system allows it, buffered otherwise (the handle says which).
     */
    Future<FileHandle> open(Path path, boolean create, boolean direct);

    /** Reads from {@code position} until {@code dst} is full or the file ends; the count read. */
    Future<Integer> read(FileHandle file, long position, ByteBuffer dst);

    /** Writes all of {@code src} at {@code position}. Do not touch {@code src} until this completes. */
    Future<Void> write(FileHandle file, long position, ByteBuffer src);

    /** Forces written data to the device ({@code fdatasync}; with {@code metadata}, {@code fsync}). */
    Future<Void> force(FileHandle file, boolean metadata);

    /**
     * Writes all of {@code src} at {@code position}, then forces the file as {@link #force} does: the
     * durable append in one request, so a backend can hand both to the kernel at once. On a file opened
     * with O_DSYNC ({@link FileHandle#dsync()}) the write alone is durable, and unless {@code metadata}
     * asks for an {@code fsync} no force follows it. Do not touch {@code src} until this completes.
     */
    default Future<Void> writeAndForce(FileHandle file, long position, ByteBuffer src, boolean metadata) {
        if (file.dsync() && !metadata) {
            return write(file, position, src);
        }
        return write(file, position, src).flatMap(v -> force(file, metadata));
    }

    /**
     * Closes the file once the operations already asked of it have ended (so its descriptor is never
     * reused under one of them); operations asked after the call fail.
     */
    Future<Void> close(FileHandle file);

    /** Runs {@code call} where blocking is allowed; for metadata work with no typed operation. */
    <T> Future<T> run(BlockingCall<T> call);

    /** Stops the backend: operations not yet started fail with the loop's closed error. On the loop. */
    @Override
    void close();

    /** A piece of blocking file work. */
    @FunctionalInterface
    interface BlockingCall<T> {
        T call() throws Exception;
    }
}
