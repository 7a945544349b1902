package io.shardline.net;

/** Something registered with a loop's selector; called on that loop when its key is ready. */
interface IoReady extends OpenMembers.Member {
    void ready(int readyOps);
}
