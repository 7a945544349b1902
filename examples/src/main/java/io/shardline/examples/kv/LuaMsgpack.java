package io.shardline.examples.kv;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code cmsgpack} library scripts get in Redis (lua-cmsgpack 0.4): {@code pack} of any number of
 * values and {@code unpack}, {@code unpack_one}, {@code unpack_limit}, with its encodings (smallest
 * integer form, float32 when exact, str8, arrays for tables with keys 1..n, nesting past 16 as nil) and
 * error texts. Stateless, any thread.
 */
final class LuaMsgpack {
    private static final int MAX_NESTING = 16;

    private LuaMsgpack() {
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("pack", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() == 0) {
                    throw new LuaError("MessagePack pack needs input.");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 1; i <= a.narg(); i++) {
                    encode(a.arg(i), out, 0);
                }
                return LuaString.valueOf(out.toByteArray());
            }
        });
        t.rawset("unpack", unpacker(0, false));
        t.rawset("unpack_one", unpacker(1, true));
        t.rawset("unpack_limit", unpacker(-1, true));
        return t;
    }

    /** {@code limit} 0: all values; 1: one; -1: the limit given as the second argument. */
    private static LuaValue unpacker(int limit, boolean withOffset) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                LuaString s = a.checkstring(1);
                int max = limit >= 0 ? limit : a.checkint(2);
                int offset = withOffset ? a.optint(limit == -1 ? 3 : 2, 0) : 0;
                if (offset < 0 || max < 0) {
                    throw new LuaError("Invalid request to unpack with offset of " + offset + " and limit of " + max + ".");
                }
                Reader r = new Reader(s, offset);
                java.util.List<LuaValue> values = new java.util.ArrayList<>();
                while (r.at < r.end && (max == 0 || values.size() < max)) {
                    values.add(r.value());
                }
                LuaValue[] out = new LuaValue[values.size() + (withOffset ? 1 : 0)];
                int i = 0;
                if (withOffset) {
                    out[i++] = LuaValue.valueOf(r.at >= r.end ? -1 : r.at - r.start);
                }
                for (LuaValue v : values) {
                    out[i++] = v;
                }
                return LuaValue.varargsOf(out);
            }
        };
    }

    private static void encode(LuaValue v, ByteArrayOutputStream out, int level) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                int n = s.m_length;
                if (n < 32) {
                    out.write(0xa0 | n);
                } else if (n <= 0xff) {
                    out.write(0xd9);
                    out.write(n);
                } else if (n <= 0xffff) {
                    out.write(0xda);
                    be(out, n, 2);
                } else {
                    out.write(0xdb);
                    be(out, n, 4);
                }
                out.write(s.m_bytes, s.m_offset, n);
            }
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(v.todouble(), out);
            case LuaValue.TTABLE -> {
                if (level >= MAX_NESTING) {
                    out.write(0xc0);
                    return;
                }
                table((LuaTable) v, out, level + 1);
            }
            default -> out.write(0xc0);
        }
    }

    private static void number(double d, ByteArrayOutputStream out) {
        if (!Double.isInfinite(d) && !Double.isNaN(d) && d == (long) d && Math.abs(d) < 0x1p63) {
            integer((long) d, out);
            return;
        }
        float f = (float) d;
        if ((double) f == d) {
            out.write(0xca);
            be(out, Float.floatToRawIntBits(f) & 0xFFFFFFFFL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void integer(long n, ByteArrayOutputStream out) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                out.write((int) n);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) (n & 0xff));
        } else if (n >= -128) {
            out.write(0xd0);
            out.write((int) (n & 0xff));
        } else if (n >= -32768) {
            out.write(0xd1);
            be(out, n, 2);
        } else if (n >= Integer.MIN_VALUE) {
            out.write(0xd2);
            be(out, n, 4);
        } else {
            out.write(0xd3);
            be(out, n, 8);
        }
    }

    /** lua-cmsgpack's table_is_an_array: every key a positive integer and they run 1..n. */
    private static void table(LuaTable t, ByteArrayOutputStream out, int level) {
        int count = 0;
        double max = 0;
        boolean array = true;
        for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
            LuaValue k = n.arg1();
            count++;
            if (array && k.type() == LuaValue.TNUMBER && k.todouble() >= 1 && k.todouble() == Math.floor(k.todouble())) {
                max = Math.max(max, k.todouble());
            } else {
                array = false;
            }
        }
        if (array && max == count) {
            header(out, count, 0x90, 0xdc, 0xdd);
            for (int i = 1; i <= count; i++) {
                encode(t.rawget(i), out, level);
            }
            return;
        }
        header(out, count, 0x80, 0xde, 0xdf);
        for (Varargs n = t.next(LuaValue.NIL); !n.arg1().isnil(); n = t.next(n.arg1())) {
            encode(n.arg1(), out, level);
            encode(n.arg(2), out, level);
        }
    }

    private static void header(ByteArrayOutputStream out, int n, int fix, int b16, int b32) {
        if (n <= 15) {
            out.write(fix | n);
        } else if (n <= 0xffff) {
            out.write(b16);
            be(out, n, 2);
        } else {
            out.write(b32);
            be(out, n, 4);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /** A MessagePack reader over a Lua string. */
    private static final class Reader {
        private final byte[] b;
        final int start;
        final int end;
        int at;

        Reader(LuaString s, int offset) {
            b = s.m_bytes;
            start = s.m_offset;
            end = s.m_offset + s.m_length;
            at = start + offset;
        }

        private long u(int bytes) {
            if (end - at < bytes) {
                throw new LuaError("Missing bytes in input.");
            }
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                v = v << 8 | (b[at++] & 0xff);
            }
            return v;
        }

        private LuaValue bytes(long n) {
            if (end - at < n) {
                throw new LuaError("Missing bytes in input.");
            }
            LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(b, at, at + (int) n));
            at += (int) n;
            return s;
        }

        private LuaValue array(long n) {
            LuaTable t = new LuaTable();
            for (int i = 1; i <= n; i++) {
                t.rawset(i, value());
            }
            return t;
        }

        private LuaValue map(long n) {
            LuaTable t = new LuaTable();
            for (long i = 0; i < n; i++) {
                LuaValue k = value();
                LuaValue v = value();
                if (!k.isnil()) {
                    t.rawset(k, v);
                }
            }
            return t;
        }

        LuaValue value() {
            int c = (int) u(1);
            if (c <= 0x7f) {
                return LuaValue.valueOf(c);
            }
            if (c >= 0xe0) {
                return LuaValue.valueOf((byte) c);
            }
            if ((c & 0xe0) == 0xa0) {
                return bytes(c & 0x1f);
            }
            if ((c & 0xf0) == 0x90) {
                return array(c & 0x0f);
            }
            if ((c & 0xf0) == 0x80) {
                return map(c & 0x0f);
            }
            return switch (c) {
                case 0xc0 -> LuaValue.NIL;
                case 0xc2 -> LuaValue.FALSE;
                case 0xc3 -> LuaValue.TRUE;
                case 0xcc -> LuaValue.valueOf(u(1));
                case 0xcd -> LuaValue.valueOf(u(2));
                case 0xce -> LuaValue.valueOf(u(4));
                case 0xcf -> LuaValue.valueOf((double) u(8));
                case 0xd0 -> LuaValue.valueOf((byte) u(1));
                case 0xd1 -> LuaValue.valueOf((short) u(2));
                case 0xd2 -> LuaValue.valueOf((int) u(4));
                case 0xd3 -> LuaValue.valueOf((double) u(8));
                case 0xca -> LuaValue.valueOf(Float.intBitsToFloat((int) u(4)));
                case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(u(8)));
                case 0xc4, 0xd9 -> bytes(u(1));
                case 0xc5, 0xda -> bytes(u(2));
                case 0xc6, 0xdb -> bytes(u(4));
                case 0xdc -> array(u(2));
                case 0xdd -> array(u(4));
                case 0xde -> map(u(2));
                case 0xdf -> map(u(4));
                default -> throw new LuaError("Bad data format in input.");
            };
        }
    }
}
