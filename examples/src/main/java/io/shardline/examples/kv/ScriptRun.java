package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.examples.kv.resp.RespWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import java.util.HashMap;
import java.util.Map;

/**
 * One run of a script (EVAL, EVALSHA and their _RO forms). Made and finished on the connection's shard;
 * the Lua runs on a virtual thread of its own, so no shard thread ever waits for it: each
 * {@code redis.call} is handed to the connection's shard ({@link ScriptCalls}), which runs it on its
 * key's shard, and the virtual thread parks until the reply is back. The run holds the connection
 * (its next requests wait behind {@link KvConnection#barrier}) and, through {@link TxExec#locked}, the
 * declared keys, so no other client's command on them runs in between: the script is one step.
 *
 * <p>Fields the two threads share are volatile ({@link #killed}, {@link #wrote}) or handed over
 * through {@link Loop#execute}, which orders them.
 */
final class ScriptRun {
    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final KvConnection c;
    final Loop loop;
    /** What runs: an EVAL's body, or the library of the FCALLed {@link #name}. */
    private final Prototype body;
    private final FunctionLibraries.Library library;
    /** The script's sha1, or the function's name: what error replies name. */
    final String name;
    /** The shebang's or the function's flags ({@link ScriptCache}'s bits). */
    private final int flags;
    final byte[][] keys;
    final byte[][] args;
    /** Writes refused: EVAL_RO, or a shebang without them. */
    final boolean readOnly;
    private final int clientProtocol;
    private final long thresholdNanos;
    private final long startNanos = System.nanoTime();
    /** The RESP the script's redis.call replies come in (redis.setresp); set on the virtual thread. */
    volatile int scriptResp = 2;
    /** The slot of the keys the script touched so far, in cluster mode (-1: none yet). */
    int slot = -1;
    /** SCRIPT KILL asked; seen by the count hook. */
    volatile boolean killed;
    /** A write command ran: SCRIPT KILL then answers UNKILLABLE. */
    volatile boolean wrote;
    /** The hook saw the kill: from then on every instruction raises it again, so pcall cannot swallow it. */
    boolean killSeen;
    /** The run's count hook, which knows the last position (set on the virtual thread). */
    ScriptHook hook;
    private volatile boolean busyAnnounced;
    private final Promise<byte[]> done;
    private int savedDb;
    private int savedProtocol;
    private boolean savedInExec;

    ScriptRun(KvConnection c, ScriptCache.Script script, byte[][] keys, byte[][] args, boolean readOnly, long thresholdMillis) {
        this(c, script.sha(), script.proto(), null, script.flags(), keys, args, readOnly, thresholdMillis);
    }

    /** An FCALL of {@code function} from {@code library}. */
    ScriptRun(KvConnection c, FunctionLibraries.Library library, String function, byte[][] keys, byte[][] args, boolean readOnly,
            long thresholdMillis) {
        this(c, function, library.proto(), library, library.functions().get(function).flags(), keys, args, readOnly, thresholdMillis);
    }

    private ScriptRun(KvConnection c, String name, Prototype body, FunctionLibraries.Library library, int flags, byte[][] keys,
            byte[][] args, boolean readOnly, long thresholdMillis) {
        this.c = c;
        this.loop = c.shard().loop();
        this.name = name;
        this.body = body;
        this.library = library;
        this.flags = flags;
        this.keys = keys;
        this.args = args;
        this.readOnly = readOnly;
        this.clientProtocol = c.protocol;
        this.thresholdNanos = thresholdMillis <= 0 ? 0 : thresholdMillis * 1_000_000L;
        this.done = new Promise<>(loop);
        if (keys.length > 0 && c.server.cluster() != null) {
            slot = HashSlot.of(keys[0], 0, keys[0].length);
        }
    }

    /** When the run started, for FUNCTION STATS' duration. */
    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Whether this is an FCALL (BUSY and KILL name FUNCTION then). */
    boolean isFunction() {
        return library != null;
    }

    /** Starts the run (on the connection's shard); the future is the client's reply. */
    Future<byte[]> start() {
        savedDb = c.db;
        savedProtocol = c.protocol;
        savedInExec = c.inExec;
        c.inExec = true; // the run holds its keys as EXEC does: its commands skip the intent-lock checks
        c.barrier = done;
        c.server.shards().local().scriptBusy.started(this);
        Thread.ofVirtual().name("script-", id).start(this::runLua);
        return done;
    }

    /** The virtual thread: runs the Lua, converts its value to the client's reply, hands it back. */
    private void runLua() {
        byte[] reply;
        try {
            Globals g = LuaSandbox.create(this);
            LuaValue value;
            if (library == null) {
                g.rawset("KEYS", array(keys));
                g.rawset("ARGV", array(args));
                value = new LuaClosure(body, g).call();
            } else { // the library's body again, in this run's state, for the function's callback
                Map<String, LuaValue> callbacks = new HashMap<>();
                LuaTable redis = (LuaTable) g.rawget("redis");
                redis.rawset("register_function", FunctionLibraries.registrar(new HashMap<>(), callbacks));
                new LuaClosure(body, g).call();
                redis.rawset("register_function", LuaValue.NIL);
                value = callbacks.get(name).call(array(keys), array(args));
            }
            RespWriter out = RespWriter.forReply(clientProtocol);
            LuaReplies.toResp(value, out, scriptResp, 0);
            reply = out.toByteArray();
        } catch (LuaError e) {
            reply = RespWriter.errorBytes(ScriptErrors.of(e, name, hook == null ? null : hook.lastPosition()));
        } catch (StackOverflowError e) {
            reply = RespWriter.errorBytes("ERR Error running script " + name + ", stack overflow");
        } catch (RuntimeException e) {
            reply = RespWriter.errorBytes("ERR Error running script " + name + ", " + KvShard.failureText(e));
        } catch (OutOfMemoryError e) {
            // a script that grew past the heap: it fails alone; its locks and its connection are given back
            reply = RespWriter.errorBytes("ERR Error running script " + name + ", not enough memory");
        }
        byte[] r = reply;
        loop.execute(() -> finish(r));
    }

    private void finish(byte[] reply) {
        c.db = savedDb; // a SELECT inside the script chose its own database only
        c.protocol = savedProtocol;
        c.inExec = savedInExec;
        c.server.shards().local().scriptBusy.ended(this, busyAnnounced).whenComplete((v, e) -> done.trySucceed(reply));
    }

    /**
     * Runs one redis.call (on the virtual thread): hands the request to the connection's shard and parks
     * until its reply, in the script's RESP, is back.
     */
    byte[] call(byte[][] argv) {
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                ScriptCalls.run(this, argv).whenComplete((bytes, e) ->
                        reply.complete(e != null ? RespWriter.errorBytes("ERR " + KvShard.failureText(e)) : bytes));
            } catch (RuntimeException e) {
                reply.complete(RespWriter.errorBytes("ERR " + KvShard.failureText(e)));
            }
            c.barrier = done; // a multi-hop command set its own; the connection still waits for the script
        });
        return reply.join();
    }

    /** From the count hook (virtual thread): raises a kill, and says once when the run passed the busy threshold. */
    void interrupt() {
        if (killed) {
            killSeen = true;
            throw new LuaError(LuaReplies.errorTable("Script killed by user with SCRIPT KILL..."));
        }
        if (!busyAnnounced && thresholdNanos > 0 && System.nanoTime() - startNanos > thresholdNanos) {
            busyAnnounced = true;
            loop.execute(() -> c.server.shards().local().scriptBusy.announce(this));
        }
    }

    private static LuaTable array(byte[][] values) {
        LuaTable t = new LuaTable(values.length, 0);
        for (int i = 0; i < values.length; i++) {
            t.rawset(i + 1, LuaValue.valueOf(values[i]));
        }
        return t;
    }
}
