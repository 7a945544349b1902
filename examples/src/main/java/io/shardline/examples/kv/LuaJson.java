package io.shardline.examples.kv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * The {@code cjson} library scripts get in Redis (lua-cjson 2.1 with its defaults): {@code encode},
 * {@code decode} and {@code null}, with its number format ({@code %.14g}), escapes ({@code /} as
 * {@code \/}), array detection (positive integer keys, excessively sparse arrays refused) and error
 * texts. Stateless, any thread; a table's key order in an object is luaj's iteration order.
 *
 * <p>About 400 lines: the encoder and decoder of one format, which share its escapes and errors.
 */
final class LuaJson {
    /** cjson.null: JSON null, distinct from every other value. */
    static final LuaValue NULL = new LuaUserdata(new Object());
    private static final int MAX_DEPTH = 1000;

    private LuaJson() {
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("encode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                encode(v, out, 1);
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.rawset("decode", new OneArgFunction() {
            @Override
            public LuaValue call(LuaValue v) {
                LuaString s = v.checkstring();
                Decoder d = new Decoder(s);
                LuaValue value = d.value(1);
                d.skipSpace();
                if (d.at < d.end) {
                    throw d.expected("the end");
                }
                return value;
            }
        });
        t.rawset("null", NULL);
        return t;
    }

    private static void encode(LuaValue v, ByteArrayOutputStream out, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            case LuaValue.TBOOLEAN -> out.writeBytes((v.toboolean() ? "true" : "false").getBytes(StandardCharsets.US_ASCII));
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TSTRING -> string(v.checkstring(), out);
            case LuaValue.TTABLE -> table((LuaTable) v, out, depth);
            case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                if (v != NULL) {
                    throw new LuaError("Cannot serialise userdata: type not supported");
                }
                out.writeBytes("null".getBytes(StandardCharsets.US_ASCII));
            }
            default -> throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
    }

    private static void number(double d, ByteArrayOutputStream out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new LuaError("Cannot serialise number: must not be NaN or Inf");
        }
        out.writeBytes(g14(d).getBytes(StandardCharsets.US_ASCII));
    }

    /** C's {@code %.14g}. */
    static String g14(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e14) {
            return d == 0 && 1 / d < 0 ? "-0" : Long.toString((long) d);
        }
        String e = String.format(java.util.Locale.ROOT, "%.13e", d);
        int exp = Integer.parseInt(e.substring(e.indexOf('e') + 1));
        String s;
        if (exp < -4 || exp >= 14) {
            String mant = stripZeros(e.substring(0, e.indexOf('e')));
            s = mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        } else {
            s = stripZeros(new java.math.BigDecimal(d).round(new java.math.MathContext(14)).toPlainString());
        }
        return s;
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int n = s.length();
        while (s.charAt(n - 1) == '0') {
            n--;
        }
        if (s.charAt(n - 1) == '.') {
            n--;
        }
        return s.substring(0, n);
    }

    private static void string(LuaString s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int b = s.m_bytes[s.m_offset + i] & 0xFF;
            switch (b) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '/' -> out.writeBytes(new byte[] {'\\', '/'});
                case '\b' -> out.writeBytes(new byte[] {'\\', 'b'});
                case '\f' -> out.writeBytes(new byte[] {'\\', 'f'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> {
                    if (b < 0x20) {
                        out.writeBytes(String.format("\\u%04x", b).getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(b);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void table(LuaTable t, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) {
            throw new LuaError("Cannot serialise, excessive nesting (" + depth + ")");
        }
        int length = arrayLength(t);
        if (length > 0) {
            out.write('[');
            for (int i = 1; i <= length; i++) {
                if (i > 1) {
                    out.write(',');
                }
                encode(t.rawget(i), out, depth + 1);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
            LuaValue k = n.arg1();
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(k.checkstring(), out);
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                number(k.todouble(), out);
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise table: table key must be a number or string");
            }
            out.write(':');
            encode(n.arg(2), out, depth + 1);
        }
        out.write('}');
    }

    /** cjson's lua_array_length: the highest index when every key is a positive integer, -1 otherwise. */
    private static int arrayLength(LuaTable t) {
        double max = 0;
        int items = 0;
        for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
            LuaValue k = n.arg1();
            if (k.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double d = k.todouble();
            if (d != Math.floor(d) || d < 1) {
                return -1;
            }
            max = Math.max(max, d);
            items++;
        }
        if (max > 10 && max > items * 2.0) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return (int) max;
    }

    /** A recursive-descent JSON reader over a Lua string, with cjson's error texts. */
    private static final class Decoder {
        private final byte[] b;
        private final int start;
        final int end;
        int at;

        Decoder(LuaString s) {
            b = s.m_bytes;
            start = s.m_offset;
            at = s.m_offset;
            end = s.m_offset + s.m_length;
        }

        LuaError expected(String what) {
            return new LuaError("Expected " + what + " but found " + found() + " at character " + (at - start + 1));
        }

        /** cjson's name of the token at {@link #at}. */
        private String found() {
            if (at >= end) {
                return "T_END";
            }
            return switch (b[at]) {
                case '{' -> "T_OBJ_BEGIN";
                case '}' -> "T_OBJ_END";
                case '[' -> "T_ARR_BEGIN";
                case ']' -> "T_ARR_END";
                case '"' -> "T_STRING";
                case ':' -> "T_COLON";
                case ',' -> "T_COMMA";
                case 't' -> startsWith("true") ? "T_BOOLEAN" : "invalid token";
                case 'f' -> startsWith("false") ? "T_BOOLEAN" : "invalid token";
                case 'n' -> startsWith("null") ? "T_NULL" : "invalid token";
                default -> b[at] == '-' || (b[at] >= '0' && b[at] <= '9') ? "T_NUMBER" : "invalid token";
            };
        }

        private boolean startsWith(String w) {
            byte[] bytes = w.getBytes(StandardCharsets.US_ASCII);
            return end - at >= bytes.length && java.util.Arrays.equals(b, at, at + bytes.length, bytes, 0, bytes.length);
        }

        void skipSpace() {
            while (at < end && (b[at] == ' ' || b[at] == '\t' || b[at] == '\n' || b[at] == '\r')) {
                at++;
            }
        }

        LuaValue value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new LuaError("Found too many nested data structures (" + depth + ") at character " + (at - start + 1));
            }
            skipSpace();
            if (at >= end) {
                throw expected("value");
            }
            byte c = b[at];
            switch (c) {
                case '{':
                    return object(depth);
                case '[':
                    return array(depth);
                case '"':
                    return LuaString.valueOf(string());
                case 't':
                    return word("true", LuaValue.TRUE);
                case 'f':
                    return word("false", LuaValue.FALSE);
                case 'n':
                    return word("null", NULL);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw expected("value");
            }
        }

        private LuaValue word(String w, LuaValue v) {
            if (!startsWith(w)) {
                throw expected("value");
            }
            at += w.length();
            return v;
        }

        private LuaValue number() {
            int from = at;
            while (at < end && "+-0123456789.eE".indexOf(b[at]) >= 0) {
                at++;
            }
            try {
                return LuaValue.valueOf(Double.parseDouble(new String(b, from, at - from, StandardCharsets.US_ASCII)));
            } catch (NumberFormatException e) {
                at = from;
                throw expected("value");
            }
        }

        private byte[] string() {
            at++; // the opening quote
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (at >= end) {
                    throw new LuaError("Expected value but found unexpected end of string at character " + (at - start + 1));
                }
                byte c = b[at++];
                if (c == '"') {
                    return out.toByteArray();
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (at >= end) {
                    throw expected("value");
                }
                byte e = b[at++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF && at + 1 < end && b[at] == '\\' && b[at + 1] == 'u') {
                            at += 2;
                            int low = hex4();
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        }
                        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    }
                    default -> {
                        at -= 2;
                        throw new LuaError("Expected value but found invalid escape code at character " + (at - start + 1));
                    }
                }
            }
        }

        private int hex4() {
            if (end - at < 4) {
                throw new LuaError("Expected value but found invalid unicode escape code at character " + (at - start - 1));
            }
            try {
                int v = Integer.parseInt(new String(b, at, 4, StandardCharsets.US_ASCII), 16);
                at += 4;
                return v;
            } catch (NumberFormatException e) {
                throw new LuaError("Expected value but found invalid unicode escape code at character " + (at - start - 1));
            }
        }

        private LuaValue array(int depth) {
            at++;
            LuaTable t = new LuaTable();
            skipSpace();
            if (at < end && b[at] == ']') {
                at++;
                return t;
            }
            for (int i = 1;; i++) {
                t.rawset(i, value(depth + 1));
                skipSpace();
                if (at < end && b[at] == ',') {
                    at++;
                } else if (at < end && b[at] == ']') {
                    at++;
                    return t;
                } else {
                    throw expected("comma or array end");
                }
            }
        }

        private LuaValue object(int depth) {
            at++;
            LuaTable t = new LuaTable();
            skipSpace();
            if (at < end && b[at] == '}') {
                at++;
                return t;
            }
            while (true) {
                skipSpace();
                if (at >= end || b[at] != '"') {
                    throw expected("object key string");
                }
                LuaString key = LuaString.valueOf(string());
                skipSpace();
                if (at >= end || b[at] != ':') {
                    throw expected("colon");
                }
                at++;
                t.rawset(key, value(depth + 1));
                skipSpace();
                if (at < end && b[at] == ',') {
                    at++;
                } else if (at < end && b[at] == '}') {
                    at++;
                    return t;
                } else {
                    throw expected("comma or object end");
                }
            }
        }
    }
}
