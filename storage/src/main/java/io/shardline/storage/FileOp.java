package io.shardline.storage;

import io.shardline.core.Promise;

/**
 * One file operation in flight: created and completed on the owning loop, run on the I/O thread. The
 * queues between the two threads publish its fields (release on offer, acquire on poll).
 */
final class FileOp<T> {
    final FileIo.BlockingCall<T> call;
    final Promise<T> promise;
    private T value;
    private Throwable failure;

    FileOp(FileIo.BlockingCall<T> call, Promise<T> promise) {
        this.call = call;
        this.promise = promise;
    }

    /** On the I/O thread. */
    void runBlocking() {
        try {
            value = call.call();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** On the loop, after {@link #runBlocking}. */
    void complete() {
        promise.tryComplete(value, failure);
    }

    /** On the loop, for an operation that will never run. */
    void abandon(Throwable cause) {
        promise.tryFail(cause);
    }
}
