package io.shardline.core;

/** The JVM's monotonic clock; stateless, usable from any thread. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
