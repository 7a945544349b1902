package io.shardline.net;

/** Something registered with a loop's selector; called on that loop when its key is ready. */
interface IoReady {
    void ready(int readyOps);

    /** The transport is closing: release the socket. */
    void closeForShutdown();
}
