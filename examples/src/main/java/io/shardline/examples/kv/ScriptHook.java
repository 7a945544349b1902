package io.shardline.examples.kv;

import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.DebugLib;

/**
 * The count hook of one Lua state (a script run's, or FUNCTION LOAD's when {@code run} is null), used on
 * that state's thread: every instruction, as luaj calls it; see {@link ScriptRun#interrupt}. It also keeps
 * the position of the Lua frame that returned last: luaj runs a tail call after its caller returned,
 * so an error there carries no position, and Redis' reply names the line of that {@code return}.
 */
final class ScriptHook extends DebugLib {
    private final ScriptRun run;
    private int count;
    private Prototype[] protos = new Prototype[16];
    private int[] pcs = new int[16];
    private int depth;
    private Prototype lastProto;
    private int lastPc;
    /** FUNCTION LOAD's limit on a library's top level (Redis': 500 ms). */
    private final long loadDeadline = System.nanoTime() + 500_000_000L;

    ScriptHook(ScriptRun run) {
        this.run = run;
        if (run != null) {
            run.hook = this;
        }
    }

    @Override
    public void onCall(LuaClosure c, Varargs varargs, LuaValue[] stack) {
        super.onCall(c, varargs, stack);
        push(c.p);
    }

    @Override
    public void onCall(LuaFunction f) {
        super.onCall(f);
        push(null);
    }

    private void push(Prototype p) {
        if (depth == protos.length) {
            protos = java.util.Arrays.copyOf(protos, depth * 2);
            pcs = java.util.Arrays.copyOf(pcs, depth * 2);
        }
        protos[depth] = p;
        pcs[depth++] = 0;
    }

    @Override
    public void onReturn() {
        super.onReturn();
        if (depth > 0) {
            depth--;
            if (protos[depth] != null) {
                lastProto = protos[depth];
                lastPc = pcs[depth];
            }
            protos[depth] = null;
        }
    }

    @Override
    public void onInstruction(int pc, Varargs v, int top) {
        super.onInstruction(pc, v, top);
        if (depth > 0) {
            pcs[depth - 1] = pc;
        }
        if (++count >= 1000 || (run != null && run.killSeen)) { // the clock every thousand instructions; a kill at once
            count = 0;
            if (run != null) {
                run.interrupt();
            } else if (System.nanoTime() > loadDeadline) {
                // FUNCTION LOAD runs a library's body on a shard thread: bounded, as Redis bounds it
                throw LuaSandbox.raised("FUNCTION LOAD timeout");
            }
        }
    }

    /** {@code @user_script:<line>} of the Lua frame that returned last, or null. */
    String lastPosition() {
        if (lastProto == null || lastProto.lineinfo == null || lastPc >= lastProto.lineinfo.length) {
            return null;
        }
        return lastProto.source.tojstring() + ":" + lastProto.lineinfo[lastPc];
    }
}
