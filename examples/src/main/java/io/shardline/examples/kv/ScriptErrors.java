package io.shardline.examples.kv;

import java.lang.reflect.Field;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * The error reply of a script that failed, as Redis 7 words it: the error (a table's {@code err}, or
 * {@code ERR} and Lua's message) then {@code script: <name>, on @user_script:<line>.}. Stateless, any
 * thread.
 *
 * <p>luaj spells a position {@code @user_script:3 msg}; C Lua, whose texts Redis returns, spells it
 * {@code user_script:3: msg}: positions are respelled. Lua's own runtime messages (luaj's wording of a
 * nil index or arithmetic on nil) are luaj's, not C Lua's: a known difference.
 */
final class ScriptErrors {
    private static final Pattern POSITION = Pattern.compile("^@?([^\\s:]+):(\\d+) ", Pattern.DOTALL);
    private static final Pattern TOKEN = Pattern.compile(" (\\d+) \\((.*)\\)$", Pattern.DOTALL);
    private static final Field FILELINE;
    private static final Field TRACEBACK;

    static {
        try {
            FILELINE = LuaError.class.getDeclaredField("fileline");
            FILELINE.setAccessible(true); // luaj keeps the position it found apart, but not public
            TRACEBACK = LuaError.class.getDeclaredField("traceback");
            TRACEBACK.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ScriptErrors() {
    }

    /**
     * {@code msg} with a luaj position prefix respelled as C Lua's, and luaj's token notation of a syntax
     * error ({@code unexpected symbol 43 (+)}) as C Lua's ({@code unexpected symbol near '+'}).
     */
    static String cStyle(String msg) {
        Matcher m = POSITION.matcher(msg);
        String out = m.find() ? m.group(1) + ":" + m.group(2) + ": " + msg.substring(m.end()) : msg;
        Matcher t = TOKEN.matcher(out);
        if (t.find()) {
            String token = t.group(1).equals("286") ? "<eof>" : t.group(2);
            out = out.substring(0, t.start()) + " near '" + token + "'";
        }
        return out;
    }

    /** luaj appends a stack traceback to the message once its debug library runs; Redis' texts have none. */
    static void dropTraceback(LuaError e) {
        try {
            TRACEBACK.set(e, null);
        } catch (IllegalAccessException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The value a Lua error gives pcall: a table as it is, a message with C Lua's position spelling. */
    static LuaValue luaMessage(LuaError e) {
        dropTraceback(e);
        LuaValue m = e.getMessageObject();
        return m != null && m.isstring() ? LuaValue.valueOf(cStyle(m.tojstring())) : m;
    }

    /**
     * The reply text (no leading '-') for a run of {@code name} that raised {@code e}; {@code fallback}
     * is the position to name when luaj gave the error none (a tail call's).
     */
    static String of(LuaError e, String name, String fallback) {
        dropTraceback(e);
        LuaValue obj = e.getMessageObject();
        String fileline = fileline(e);
        String msg;
        if (obj != null && obj.istable()) {
            LuaValue err = obj.rawget("err");
            msg = err.isstring() ? err.tojstring() : "ERR unknown error";
        } else {
            String text = cStyle(obj == null ? String.valueOf(e.getMessage()) : obj.tojstring());
            if (fileline == null && fallback != null) {
                text = cStyle(fallback + " " + text);
            }
            msg = "ERR " + text;
        }
        if (fileline == null) {
            fileline = fallback;
        }
        if (fileline != null) {
            int colon = fileline.lastIndexOf(':');
            if (colon > 0) {
                String source = fileline.substring(0, colon);
                msg += " script: " + name + ", on " + (source.startsWith("@") ? source : "@" + source) + ":" + fileline.substring(colon + 1) + ".";
            }
        }
        return msg.replace('\r', ' ').replace('\n', ' ');
    }

    private static String fileline(LuaError e) {
        try {
            return (String) FILELINE.get(e);
        } catch (IllegalAccessException ex) {
            return null;
        }
    }
}
