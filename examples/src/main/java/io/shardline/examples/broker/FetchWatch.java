package io.shardline.examples.broker;

import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A long-polling Fetch waiting on some of one shard's partitions: it completes with true when one of them
 * gets new data (its high watermark passes what the fetch saw), with false when its time is up on the
 * shard's timer wheel, whichever comes first. Owned by that shard; not thread-safe.
 */
final class FetchWatch {
    final Promise<Boolean> done;
    private final List<PartitionLog> on = new ArrayList<>(2);
    private Timer timer;

    FetchWatch(Loop loop) {
        this.done = new Promise<>(loop);
    }

    void watch(PartitionLog p) {
        on.add(p);
        p.addWatch(this);
    }

    void startTimer(Loop loop, long maxWaitMs) {
        timer = loop.schedule(Duration.ofMillis(maxWaitMs), () -> fire(false));
    }

    /** Ends the wait (new data, time up, or the partition closing) and unhooks it from every partition. */
    void fire(boolean data) {
        if (done.isDone()) {
            return;
        }
        if (timer != null) {
            timer.cancel();
        }
        for (PartitionLog p : on) {
            p.removeWatch(this);
        }
        done.succeed(data);
    }
}
