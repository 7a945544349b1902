package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Redis' conversions between RESP replies and Lua values, both ways, as its {@code script_lua.c} does
 * them: a command's reply becomes the value {@code redis.call} returns, and a script's value becomes
 * the client's reply. Stateless; called on the thread that runs the script's Lua (the values are its).
 */
final class LuaReplies {
    private LuaReplies() {
    }

    /** The Lua value of the one RESP reply in {@code resp} (RESP2 or RESP3, as the script's setresp asked). */
    static LuaValue toLua(byte[] resp) {
        int[] at = {0};
        return parse(resp, at, true);
    }

    /** An error's table: {@code {err="CODE msg"}}, the code ERR when the text has none (luaPushErrorBuff). */
    static LuaTable errorTable(String dashed) {
        String code;
        String msg;
        if (dashed.startsWith("-")) {
            int space = dashed.indexOf(' ');
            if (space < 0) {
                code = "ERR";
                msg = dashed.substring(1);
            } else {
                code = dashed.substring(1, space);
                msg = dashed.substring(space + 1);
            }
        } else {
            code = "ERR";
            msg = dashed;
        }
        msg = strip(msg);
        LuaTable t = new LuaTable();
        t.rawset("err", LuaValue.valueOf(code + " " + msg));
        return t;
    }

    private static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '\r' || s.charAt(from) == '\n')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '\r' || s.charAt(to - 1) == '\n')) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Parses the reply at {@code at[0]}; with {@code keep} false only skips it (an attribute's part). */
    private static LuaValue parse(byte[] b, int[] at, boolean keep) {
        byte type = b[at[0]];
        int lineEnd = lineEnd(b, at[0]);
        String line = new String(b, at[0] + 1, lineEnd - at[0] - 1, StandardCharsets.ISO_8859_1);
        at[0] = lineEnd + 2;
        switch (type) {
            case ':':
                return LuaValue.valueOf((double) Long.parseLong(line));
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(b, at[0], at[0] + n));
                at[0] += n + 2;
                return s;
            }
            case '+': {
                LuaTable t = new LuaTable();
                t.rawset("ok", LuaString.valueOf(line.getBytes(StandardCharsets.ISO_8859_1)));
                return t;
            }
            case '-': {
                LuaTable t = errorTable("-" + new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                t.rawset("ignore_error_stats_update", LuaValue.TRUE);
                return t;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaTable t = new LuaTable();
                for (int i = 1; i <= n; i++) {
                    LuaValue v = parse(b, at, keep);
                    if (keep) {
                        t.rawset(i, v);
                    }
                }
                return t;
            }
            case '%': {
                int n = Integer.parseInt(line);
                LuaTable map = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = parse(b, at, keep);
                    LuaValue v = parse(b, at, keep);
                    if (keep && !k.isnil()) {
                        map.rawset(k, v);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset("map", map);
                return t;
            }
            case '~': {
                int n = Integer.parseInt(line);
                LuaTable set = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = parse(b, at, keep);
                    if (keep && !k.isnil()) {
                        set.rawset(k, LuaValue.TRUE);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset("set", set);
                return t;
            }
            case '_':
                return LuaValue.NIL;
            case '#':
                return LuaValue.valueOf(line.equals("t"));
            case ',': {
                LuaTable t = new LuaTable();
                t.rawset("double", LuaValue.valueOf(parseDouble(line)));
                return t;
            }
            case '(': {
                LuaTable t = new LuaTable();
                t.rawset("big_number", LuaValue.valueOf(line));
                return t;
            }
            case '=': {
                int n = Integer.parseInt(line);
                String format = new String(b, at[0], 3, StandardCharsets.ISO_8859_1);
                LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(b, at[0] + 4, at[0] + n));
                at[0] += n + 2;
                LuaTable v = new LuaTable();
                v.rawset("string", s);
                v.rawset("format", LuaValue.valueOf(format));
                LuaTable t = new LuaTable();
                t.rawset("verbatim_string", v);
                return t;
            }
            case '|': { // attributes are not shown to scripts: skip them, keep the reply they annotate
                int n = Integer.parseInt(line);
                for (int i = 0; i < 2 * n; i++) {
                    parse(b, at, false);
                }
                return parse(b, at, keep);
            }
            default:
                throw new IllegalStateException("not a RESP reply: " + (char) type);
        }
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan", "-nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static int lineEnd(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("truncated RESP reply");
    }

    /**
     * Writes the script's value {@code v} as the client's reply (luaReplyToRedisReply): {@code out} is in
     * the client's protocol, {@code scriptResp} the one the script chose with {@code redis.setresp}.
     */
    static void toResp(LuaValue v, RespWriter out, int scriptResp, int depth) {
        if (depth > 1000) { // as Lua's own stack limit would stop Redis' recursion
            out.error("ERR reached lua stack limit");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                out.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 2) {
                    if (v.toboolean()) {
                        out.integer(1);
                    } else {
                        out.nullBulk();
                    }
                } else {
                    out.bool(v.toboolean());
                }
            }
            case LuaValue.TNUMBER -> out.integer(toLongLong(v.todouble()));
            case LuaValue.TTABLE -> table((LuaTable) v, out, scriptResp, depth);
            default -> out.nullBulk();
        }
    }

    /** C's (long long) cast of a double as x86-64 does it: out of range or NaN gives LLONG_MIN. */
    static long toLongLong(double d) {
        return d >= -0x1p63 && d < 0x1p63 ? (long) d : Long.MIN_VALUE;
    }

    private static void table(LuaTable t, RespWriter out, int scriptResp, int depth) {
        LuaValue err = t.rawget("err");
        if (err.type() == LuaValue.TSTRING) {
            out.error(oneLine(err.tojstring()));
            return;
        }
        LuaValue ok = t.rawget("ok");
        if (ok.type() == LuaValue.TSTRING) {
            out.simple(oneLine(ok.tojstring()));
            return;
        }
        LuaValue dbl = t.rawget("double");
        if (dbl.type() == LuaValue.TNUMBER) {
            out.doubleValue(dbl.todouble());
            return;
        }
        LuaValue big = t.rawget("big_number");
        if (big.type() == LuaValue.TSTRING) {
            String n = oneLine(big.tojstring());
            if (out.protocol() == 3) {
                out.raw(("(" + n + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else {
                out.bulk(n);
            }
            return;
        }
        LuaValue verbatim = t.rawget("verbatim_string");
        if (verbatim.istable()) {
            LuaValue format = verbatim.rawget("format");
            LuaValue text = verbatim.rawget("string");
            if (format.type() == LuaValue.TSTRING && text.type() == LuaValue.TSTRING) {
                LuaString s = text.checkstring();
                if (out.protocol() == 3) {
                    byte[] f = (format.tojstring() + "xxx").substring(0, 3).getBytes(StandardCharsets.UTF_8);
                    out.raw(("=" + (s.m_length + 4) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.raw(f);
                    out.raw(new byte[] {':'});
                    out.raw(s.m_bytes, s.m_offset, s.m_length);
                    out.crlf();
                } else {
                    out.bulk(s.m_bytes, s.m_offset, s.m_length);
                }
                return;
            }
        }
        LuaValue map = t.rawget("map");
        if (map.istable()) {
            LuaTable m = (LuaTable) map;
            out.mapHeader(count(m));
            for (Varargs n = m.next(LuaValue.NIL); !n.arg1().isnil(); n = m.next(n.arg1())) {
                toResp(n.arg1(), out, scriptResp, depth + 1);
                toResp(n.arg(2), out, scriptResp, depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget("set");
        if (set.istable()) {
            LuaTable s = (LuaTable) set;
            out.setHeader(count(s));
            for (Varargs n = s.next(LuaValue.NIL); !n.arg1().isnil(); n = s.next(n.arg1())) {
                toResp(n.arg1(), out, scriptResp, depth + 1);
            }
            return;
        }
        int len = 0;
        while (!t.rawget(len + 1).isnil()) {
            len++;
        }
        out.arrayHeader(len);
        for (int i = 1; i <= len; i++) {
            toResp(t.rawget(i), out, scriptResp, depth + 1);
        }
    }

    private static int count(LuaTable t) {
        int n = 0;
        for (Varargs e = t.next(LuaValue.NIL); !e.arg1().isnil(); e = t.next(e.arg1())) {
            n++;
        }
        return n;
    }

    /** A status or error line: CR and LF become spaces, as Redis maps them. */
    private static String oneLine(String s) {
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
