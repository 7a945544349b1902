package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.DoubleFormat;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code redis.call} and {@code redis.pcall} of one script run: the arguments become a request, which
 * the run sends to the server and waits for ({@link ScriptRun#call}), and the reply becomes a Lua value
 * by Redis' rules; {@code call} raises an error reply, {@code pcall} returns it as {@code {err=...}}.
 * Used on the run's virtual thread only.
 */
final class RedisCall extends VarArgFunction {
    private final ScriptRun run;
    private final boolean raise;

    RedisCall(ScriptRun run, boolean raise) {
        this.run = run;
        this.raise = raise;
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue reply;
        byte[][] argv;
        try {
            argv = argv(args);
        } catch (LuaError e) {
            if (raise) {
                throw e;
            }
            return e.getMessageObject();
        }
        reply = LuaReplies.toLua(run.call(argv));
        if (raise && reply.istable() && ((LuaTable) reply).rawget("err").isstring()) {
            throw new LuaError(reply);
        }
        return reply;
    }

    /**
     * The request of a redis.call: strings as they are, numbers as C's {@code %.17g} prints them (as
     * Redis does, so no precision is lost), anything else refused with Redis' error.
     */
    static byte[][] argv(Varargs args) {
        int argc = args.narg();
        if (argc == 0) {
            throw LuaSandbox.raised("Please specify at least one argument for this redis lib call");
        }
        byte[][] argv = new byte[argc][];
        for (int j = 0; j < argc; j++) {
            LuaValue v = args.arg(j + 1);
            if (v.type() == LuaValue.TNUMBER) {
                argv[j] = DoubleFormat.REDIS_7_0.format(v.todouble()).getBytes(StandardCharsets.US_ASCII);
            } else if (v.type() == LuaValue.TSTRING) {
                LuaString s = v.checkstring();
                argv[j] = java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
            } else {
                throw LuaSandbox.raised("Lua redis lib command arguments must be strings or integers");
            }
        }
        return argv;
    }
}
