package io.shardline.examples.kv;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code struct} library scripts get in Redis (Roberto Ierusalimschy's struct 0.2, as on x86-64):
 * {@code pack}, {@code unpack} and {@code size} over formats of {@code < > !n x b B h H l L T i[n] I[n]
 * c[n] s f d}, little-endian and unaligned unless told, with its error texts. Stateless, any thread.
 */
final class LuaStruct {
    private static final int MAX_INT_SIZE = 32;
    private static final int NATIVE_ALIGN = 8;

    private LuaStruct() {
    }

    /** The parse state of one format: position, byte order and alignment. */
    private static final class Format {
        final String f;
        final String fn;
        int i;
        boolean little = true;
        int align = 1;

        Format(String f, String fn) {
            this.f = f;
            this.fn = fn;
        }

        /** The digits after an option, or {@code df} when there are none. */
        int number(int df) {
            if (i >= f.length() || !Character.isDigit(f.charAt(i))) {
                return df;
            }
            int a = 0;
            while (i < f.length() && Character.isDigit(f.charAt(i))) {
                a = a * 10 + (f.charAt(i++) - '0');
            }
            return a;
        }

        /** The size of option {@code opt} (0 for the controls), or -1 for 'c0' and 's'. */
        int size(char opt) {
            return switch (opt) {
                case 'B', 'b', 'x' -> 1;
                case 'H', 'h' -> 2;
                case 'L', 'l', 'T', 'd' -> 8;
                case 'f' -> 4;
                case 'c' -> number(1);
                case 'i', 'I' -> {
                    int sz = number(4);
                    if (sz > MAX_INT_SIZE) {
                        throw new LuaError("integral size " + sz + " is larger than limit of " + MAX_INT_SIZE);
                    }
                    yield sz;
                }
                case 's' -> -1;
                case '<', '>', '!', ' ' -> 0;
                default -> throw argError(1, "invalid format option '" + opt + "'");
            };
        }

        LuaError argError(int arg, String msg) {
            return new LuaError("bad argument #" + arg + " to '" + fn + "' (" + msg + ")");
        }

        /** Applies a control option; true when {@code opt} was one. */
        boolean control(char opt) {
            switch (opt) {
                case ' ' -> {
                    return true;
                }
                case '>' -> {
                    little = false;
                    return true;
                }
                case '<' -> {
                    little = true;
                    return true;
                }
                case '!' -> {
                    int a = number(NATIVE_ALIGN);
                    if ((a & (a - 1)) != 0) {
                        throw argError(1, "alignment " + a + " is not a power of 2");
                    }
                    align = a;
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }

        int gap(int len, int size, char opt) {
            if (opt == 'c' || opt == 's' || opt == 'x' || size <= 1) {
                return 0;
            }
            int a = Math.min(size, align);
            return (a - (len & (a - 1))) & (a - 1);
        }
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return pack(a);
            }
        });
        t.rawset("unpack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return unpack(a);
            }
        });
        t.rawset("size", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                Format fmt = new Format(a.checkjstring(1), "size");
                int total = 0;
                while (fmt.i < fmt.f.length()) {
                    char opt = fmt.f.charAt(fmt.i++);
                    int size = fmt.size(opt);
                    if (size == -1 || (opt == 'c' && size == 0)) {
                        throw fmt.argError(1, "option 's' has no fixed size");
                    }
                    fmt.control(opt);
                    total += fmt.gap(total, size, opt) + size;
                }
                return LuaValue.valueOf(total);
            }
        });
        return t;
    }

    private static Varargs pack(Varargs a) {
        Format fmt = new Format(a.checkjstring(1), "pack");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (fmt.i < fmt.f.length()) {
            char opt = fmt.f.charAt(fmt.i++);
            int size = fmt.size(opt);
            for (int g = fmt.gap(out.size(), size, opt); g > 0; g--) {
                out.write(0);
            }
            if (fmt.control(opt)) {
                continue;
            }
            switch (opt) {
                case 'x' -> out.write(0);
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double d = a.checkdouble(arg++);
                    long v = (long) d;
                    integer(out, v, size, fmt.little);
                }
                case 'f' -> integer(out, Float.floatToRawIntBits((float) a.checkdouble(arg++)) & 0xFFFFFFFFL, 4, fmt.little);
                case 'd' -> integer(out, Double.doubleToRawLongBits(a.checkdouble(arg++)), 8, fmt.little);
                case 'c', 's' -> {
                    LuaString s = a.checkstring(arg);
                    int len = s.m_length;
                    if (opt == 'c' && size == 0) {
                        size = len;
                    }
                    if (opt == 'c' && len < size) {
                        throw fmt.argError(arg + 1, "string too short"); // struct.c names the argument after it
                    }
                    int n = opt == 's' ? len : size;
                    out.write(s.m_bytes, s.m_offset, n);
                    if (opt == 's') {
                        out.write(0);
                    }
                    arg++;
                }
                default -> throw fmt.argError(1, "invalid format option '" + opt + "'");
            }
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static void integer(ByteArrayOutputStream out, long v, int size, boolean little) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[little ? k : size - 1 - k] = k < 8 ? (byte) (v >>> (8 * k)) : (byte) (v < 0 ? 0xff : 0);
        }
        out.write(b, 0, size);
    }

    private static Varargs unpack(Varargs a) {
        Format fmt = new Format(a.checkjstring(1), "unpack");
        LuaString data = a.checkstring(2);
        int pos = a.optint(3, 1) - 1;
        if (pos < 0) {
            throw fmt.argError(3, "offset must be 1 or greater");
        }
        List<LuaValue> values = new ArrayList<>();
        double previous = Double.NaN;
        while (fmt.i < fmt.f.length()) {
            char opt = fmt.f.charAt(fmt.i++);
            int size = fmt.size(opt);
            pos += fmt.gap(pos, size, opt);
            if (fmt.control(opt)) {
                continue;
            }
            if (size > 0 && data.m_length < pos + size) {
                throw fmt.argError(2, "data string too short");
            }
            switch (opt) {
                case 'x' -> {
                }
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    boolean signed = Character.isLowerCase(opt);
                    long v = 0;
                    for (int k = 0; k < Math.min(size, 8); k++) {
                        int at = fmt.little ? pos + Math.min(size, 8) - 1 - k : pos + size - Math.min(size, 8) + k;
                        v = v << 8 | (data.m_bytes[data.m_offset + at] & 0xff);
                    }
                    if (signed && size < 8 && (v & (1L << (size * 8 - 1))) != 0) {
                        v |= -1L << (size * 8);
                    }
                    previous = signed || v >= 0 ? (double) v : (double) (v >>> 1) * 2 + (v & 1);
                    values.add(LuaValue.valueOf(previous));
                }
                case 'f' -> {
                    long bits = raw(data, pos, 4, fmt.little);
                    values.add(LuaValue.valueOf(Float.intBitsToFloat((int) bits)));
                }
                case 'd' -> values.add(LuaValue.valueOf(Double.longBitsToDouble(raw(data, pos, 8, fmt.little))));
                case 'c' -> {
                    if (size == 0) {
                        if (values.isEmpty() || Double.isNaN(previous)) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        size = (int) previous;
                        values.remove(values.size() - 1);
                        if (data.m_length < pos + size) {
                            throw fmt.argError(2, "data string too short");
                        }
                    }
                    values.add(LuaString.valueOf(java.util.Arrays.copyOfRange(data.m_bytes, data.m_offset + pos, data.m_offset + pos + size)));
                }
                case 's' -> {
                    int e = pos;
                    while (e < data.m_length && data.m_bytes[data.m_offset + e] != 0) {
                        e++;
                    }
                    if (e >= data.m_length) {
                        throw fmt.argError(2, "unfinished string in data");
                    }
                    values.add(LuaString.valueOf(java.util.Arrays.copyOfRange(data.m_bytes, data.m_offset + pos, data.m_offset + e)));
                    size = e - pos + 1;
                }
                default -> throw fmt.argError(1, "invalid format option '" + opt + "'");
            }
            pos += size;
        }
        values.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
    }

    private static long raw(LuaString data, int pos, int size, boolean little) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int at = little ? pos + size - 1 - k : pos + k;
            v = v << 8 | (data.m_bytes[data.m_offset + at] & 0xff);
        }
        return v;
    }
}
