package io.shardline.core;

/**
 * What a loop does between iterations, given how much work the last one did: the contract of
 * Agrona's {@code IdleStrategy.idle(int)}. Owned by one loop and called only on its thread; not
 * thread-safe.
 */
interface IdleStrategy {

    /** Called after every iteration with the work it did: backs off when that is 0, starts over when not. */
    void idle(int workCount);
}
