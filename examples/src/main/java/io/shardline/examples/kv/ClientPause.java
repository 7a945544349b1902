package io.shardline.examples.kv;

import io.shardline.core.Loop;
import io.shardline.core.Timer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One shard's part of CLIENT PAUSE: while a pause holds, the commands it covers (every command, or in
 * WRITE mode those that may change data or be propagated) from this shard's connections wait here,
 * in arrival order, and run when the pause ends on the shard's timer or CLIENT UNPAUSE lifts it.
 * CLIENT PAUSE sets it on every shard through the mesh. Owned by its shard: every method runs on that
 * shard's thread.
 */
final class ClientPause {
    private final Loop loop;
    private boolean active;
    private boolean all;
    /** When the pause ends, epoch ms, as Redis' client_pause_end_time. */
    private long endMillis;
    private Timer timer;
    private final ArrayDeque<Runnable> parked = new ArrayDeque<>();

    ClientPause(Loop loop) {
        this.loop = loop;
    }

    /** Whether a command of {@code spec} must wait now. */
    boolean holds(CommandSpec spec) {
        return active && (all || mayWrite(spec));
    }

    /** Redis' PAUSE WRITE covers write and may-replicate commands (PUBLISH, EVAL, PFCOUNT...). */
    private static boolean mayWrite(CommandSpec spec) {
        return spec.write() || switch (spec.name()) {
            case "publish", "spublish", "pfcount", "eval", "evalsha", "fcall", "script", "function" -> true;
            default -> false;
        };
    }

    /**
     * Pauses until {@code end} (epoch ms, {@code now} being the time here); a pause already holding is
     * only made longer or stricter, never shorter or looser, as Redis' pauseClients.
     */
    void pause(long end, boolean everything, long now) {
        if (active) {
            all |= everything;
            if (end <= endMillis) {
                return;
            }
        } else {
            all = everything;
        }
        active = true;
        endMillis = end;
        if (timer != null) {
            timer.cancel();
        }
        timer = loop.schedule(Duration.ofMillis(Math.max(0, end - now)), this::unpause);
    }

    /** Ends the pause (its time is up, or CLIENT UNPAUSE): the waiting commands run, in order. */
    void unpause() {
        active = false;
        all = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        int n = parked.size(); // one that parks again (a new pause) waits for the next release
        for (int i = 0; i < n; i++) {
            parked.poll().run();
        }
    }

    /** Runs {@code resume} when the pause ends. */
    void park(Runnable resume) {
        parked.add(resume);
    }
}
