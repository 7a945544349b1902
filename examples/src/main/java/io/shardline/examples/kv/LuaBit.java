package io.shardline.examples.kv;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code bit} library scripts get in Redis (LuaBitOp 1.0): 32-bit operations whose results are
 * signed 32-bit numbers. Stateless, any thread.
 */
final class LuaBit {
    private LuaBit() {
    }

    /** A number as LuaBitOp reads it: modulo 2^32, into a signed 32-bit integer. */
    private static int bit(Varargs a, int i) {
        LuaValue v = a.arg(i);
        if (!v.isnumber()) {
            throw new LuaError("bad argument #" + i + " to '?' (number expected, got " + v.typename() + ")");
        }
        double d = v.todouble();
        return (int) (long) Math.rint(d % 4294967296.0); // as LuaBitOp's add-2^52 trick: round, then keep 32 bits
    }

    private interface Op {
        int apply(Varargs a);
    }

    private static LuaValue fn(Op op) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                return LuaValue.valueOf(op.apply(a));
            }
        };
    }

    static LuaTable library() {
        LuaTable t = new LuaTable();
        t.rawset("tobit", fn(a -> bit(a, 1)));
        t.rawset("bnot", fn(a -> ~bit(a, 1)));
        t.rawset("band", fn(a -> {
            int r = bit(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r &= bit(a, i);
            }
            return r;
        }));
        t.rawset("bor", fn(a -> {
            int r = bit(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r |= bit(a, i);
            }
            return r;
        }));
        t.rawset("bxor", fn(a -> {
            int r = bit(a, 1);
            for (int i = 2; i <= a.narg(); i++) {
                r ^= bit(a, i);
            }
            return r;
        }));
        t.rawset("lshift", fn(a -> bit(a, 1) << (bit(a, 2) & 31)));
        t.rawset("rshift", fn(a -> bit(a, 1) >>> (bit(a, 2) & 31)));
        t.rawset("arshift", fn(a -> bit(a, 1) >> (bit(a, 2) & 31)));
        t.rawset("rol", fn(a -> Integer.rotateLeft(bit(a, 1), bit(a, 2) & 31)));
        t.rawset("ror", fn(a -> Integer.rotateRight(bit(a, 1), bit(a, 2) & 31)));
        t.rawset("bswap", fn(a -> Integer.reverseBytes(bit(a, 1))));
        t.rawset("tohex", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                int x = bit(a, 1);
                int n = a.isnoneornil(2) ? 8 : bit(a, 2);
                boolean upper = n < 0;
                if (upper) {
                    n = -n;
                }
                n = Math.min(n, 8);
                String hex = String.format(upper ? "%08X" : "%08x", x);
                return LuaValue.valueOf(hex.substring(8 - n));
            }
        });
        return t;
    }
}
