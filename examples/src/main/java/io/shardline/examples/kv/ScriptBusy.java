package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One shard's view of the scripts that run past {@code busy-reply-threshold} (Redis' BUSY state) and
 * the runs its own connections started (for SCRIPT KILL). A run that passes the threshold tells every
 * shard through the mesh, and again when it ends; meanwhile each shard answers BUSY to the commands
 * Redis refuses then. Owned by the {@link KvShard}; used on its thread only.
 */
final class ScriptBusy {
    static final String BUSY = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    static final String BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    static final String NOTBUSY = "NOTBUSY No scripts in execution right now.";
    static final String UNKILLABLE = "UNKILLABLE Sorry the script already executed write commands against the dataset. "
            + "You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";
    /** What Redis still runs while a script is busy (its {@code allow-busy} commands). */
    private static final Set<String> ALLOWED = Set.of("auth", "hello", "quit", "reset", "shutdown", "multi", "discard",
            "watch", "unwatch");

    /** A busy run somewhere: the shard of its connection, and whether it is an FCALL. */
    private record Busy(int home, boolean function) {
    }

    /** Busy runs anywhere, by run id, oldest first. */
    private final LinkedHashMap<Long, Busy> busy = new LinkedHashMap<>();
    /** The runs this shard's connections started and that have not ended. */
    private final Map<Long, ScriptRun> running = new HashMap<>();

    void started(ScriptRun run) {
        running.put(run.id, run);
    }

    /**
     * On the run's shard once it ended; a run that was busy tells every shard it is not any more. Done
     * once every shard knows, so the script's client, once answered, gets no BUSY anywhere.
     */
    Future<?> ended(ScriptRun run, boolean wasBusy) {
        running.remove(run.id);
        if (!wasBusy) {
            return Future.succeeded(null);
        }
        long id = run.id;
        return EveryShard.call(run.c.shard(), () -> {
            run.c.server.shards().local().scriptBusy.busy.remove(id);
            return null;
        });
    }

    /** On the run's shard when the run passed the threshold: every shard then answers BUSY. */
    void announce(ScriptRun run) {
        if (!running.containsKey(run.id)) {
            return; // it ended before the news went out
        }
        long id = run.id;
        Busy b = new Busy(run.c.shard().id(), run.isFunction());
        EveryShard.call(run.c.shard(), () -> {
            run.c.server.shards().local().scriptBusy.busy.put(id, b);
            return null;
        });
    }

    /** The BUSY error that refuses {@code spec} now, or null; one test when no script is busy. */
    String refusal(CommandSpec spec, Argv argv) {
        if (busy.isEmpty() || ALLOWED.contains(spec.name())) {
            return null;
        }
        if (spec.name().equals("script") || spec.name().equals("function")) {
            String s = argv.count() > 1 ? ConnectionCommands.lower(argv.bytes(1)) : "";
            if (s.equals("kill") || (spec.name().equals("function") && s.equals("stats"))) {
                return null;
            }
        }
        return busy.values().iterator().next().function() ? BUSY_FUNCTION : BUSY;
    }

    /**
     * SCRIPT KILL ({@code function} false) or FUNCTION KILL: kills the oldest busy run, unless it wrote
     * (UNKILLABLE) or is of the other kind (BUSY, as Redis answers); NOTBUSY when none.
     */
    Future<byte[]> kill(KvConnection c, boolean function) {
        if (busy.isEmpty()) {
            return Future.succeeded(RespWriter.errorBytes(NOTBUSY));
        }
        Map.Entry<Long, Busy> oldest = busy.entrySet().iterator().next();
        long id = oldest.getKey();
        int home = oldest.getValue().home();
        java.util.function.Supplier<Future<byte[]>> kill = () -> {
            ScriptRun run = c.server.shards().local().scriptBusy.running.get(id);
            if (run == null) {
                return Future.succeeded(RespWriter.errorBytes(NOTBUSY));
            }
            if (run.wrote) {
                return Future.succeeded(RespWriter.errorBytes(UNKILLABLE));
            }
            if (run.isFunction() != function) {
                return Future.succeeded(RespWriter.errorBytes(run.isFunction() ? BUSY_FUNCTION : BUSY));
            }
            run.killed = true;
            return Future.succeeded(RespWriter.forReply(2).simple("OK").toByteArray());
        };
        return home == c.shard().id() ? kill.get() : c.shard().submitToAsync(home, kill);
    }

    /** A run of this shard's connections now, as FUNCTION STATS shows it, or null. */
    ScriptRun runningFunction() {
        for (ScriptRun r : running.values()) {
            if (r.isFunction()) {
                return r;
            }
        }
        return null;
    }
}
