package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;
import java.util.ArrayList;
import java.util.List;

/**
 * BITFIELD and BITFIELD_RO (bitops.c's bitfieldGeneric): every operation is parsed and checked first,
 * then the key is looked up (grown to the highest bit a write reaches), then the operations run in
 * order with the OVERFLOW mode in force when each was given. Stateless; runs on the keyspace's thread.
 */
final class BitField {
    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    private static final int WRAP = 0;
    private static final int SAT = 1;
    private static final int FAIL = 2;

    /** One parsed operation. */
    private record Op(int code, long offset, int bits, boolean signed, long value, int overflow) {
    }

    private BitField() {
    }

    static void run(BitCommands bits, Keyspace ks, Argv argv, boolean readOnlyCommand, ReplySink out, Journal journal) {
        List<Op> ops = new ArrayList<>();
        int overflow = WRAP;
        boolean readOnly = true;
        long highestWrite = 0;
        for (int j = 2; j < argv.count(); j++) {
            int remaining = argv.count() - j - 1;
            byte[] sub = argv.bytes(j);
            int code;
            if (Args.is(sub, "get") && remaining >= 2) {
                code = GET;
            } else if (Args.is(sub, "set") && remaining >= 3) {
                code = SET;
            } else if (Args.is(sub, "incrby") && remaining >= 3) {
                code = INCRBY;
            } else if (Args.is(sub, "overflow") && remaining >= 1) {
                byte[] mode = argv.bytes(++j);
                if (Args.is(mode, "wrap")) {
                    overflow = WRAP;
                } else if (Args.is(mode, "sat")) {
                    overflow = SAT;
                } else if (Args.is(mode, "fail")) {
                    overflow = FAIL;
                } else {
                    out.error(Errors.BITFIELD_OVERFLOW);
                    return;
                }
                continue;
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
            byte[] type = argv.bytes(j + 1);
            boolean signed = type.length > 0 && (type[0] == 'i' || type[0] == 'I');
            if (type.length == 0 || !(signed || type[0] == 'u' || type[0] == 'U')) {
                out.error(Errors.BITFIELD_TYPE);
                return;
            }
            byte[] width = java.util.Arrays.copyOfRange(type, 1, type.length);
            long w = Numbers.isLong(width) ? Numbers.toLong(width) : -1;
            if (w < 1 || (signed && w > 64) || (!signed && w > 63)) {
                out.error(Errors.BITFIELD_TYPE);
                return;
            }
            long offset = BitCommands.bitOffset(argv.bytes(j + 2), true, (int) w, out);
            if (offset == BitCommands.BAD_OFFSET) {
                return;
            }
            long value = 0;
            if (code != GET) {
                readOnly = false;
                highestWrite = Math.max(highestWrite, offset + w - 1);
                if (!Numbers.isLong(argv, j + 3)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                value = Numbers.toLong(argv, j + 3);
            }
            ops.add(new Op(code, offset, (int) w, signed, value, overflow));
            j += code == GET ? 2 : 3;
        }
        Entry e;
        if (readOnly) {
            e = ks.lookup(new Bytes(argv.bytes(1)), ValueType.STRING, out);
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
        } else {
            if (readOnlyCommand) {
                out.error(Errors.BITFIELD_RO);
                return;
            }
            e = bits.growForBit(new Bytes(argv.bytes(1)), highestWrite, out);
            if (e == null) {
                return;
            }
        }
        out.arrayHeader(ops.size());
        for (Op op : ops) {
            byte[] s = e == null ? new byte[0] : e.string();
            if (op.code == GET) {
                out.integer(get(s, op.offset, op.bits, op.signed));
                continue;
            }
            long old = get(s, op.offset, op.bits, op.signed);
            long next = op.code == INCRBY ? old + op.value : op.value;
            long base = op.code == INCRBY ? old : op.value;
            long incr = op.code == INCRBY ? op.value : 0;
            long[] limit = new long[1];
            boolean overflowed = op.signed ? signedOverflow(base, incr, op.bits, op.overflow, limit)
                    : unsignedOverflow(base, incr, op.bits, op.overflow, limit);
            if (overflowed) {
                next = limit[0];
            }
            if (overflowed && op.overflow == FAIL) {
                out.nullBulk();
            } else {
                out.integer(op.code == INCRBY ? next : old);
                set(s, op.offset, op.bits, next);
            }
        }
        if (!readOnly) {
            journal.append(argv); // replays to the same bytes from the same start
            ks.notifier().notify(Notifier.STRING, "setbit", argv, 1);
        }
    }

    /** The field's value, zero past the end of {@code s}; sign-extended when {@code signed}. */
    static long get(byte[] s, long offset, int bits, boolean signed) {
        long v = 0;
        for (int j = 0; j < bits; j++, offset++) {
            long index = offset >> 3;
            int bit = index < s.length ? (s[(int) index] >> (7 - (int) (offset & 7))) & 1 : 0;
            v = (v << 1) | bit;
        }
        if (signed && bits < 64 && (v & (1L << (bits - 1))) != 0) {
            v |= -1L << bits;
        }
        return v;
    }

    /** Writes the low {@code bits} of {@code value}; the caller grew {@code s} to hold them. */
    static void set(byte[] s, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++, offset++) {
            boolean on = (value & (1L << (bits - 1 - j))) != 0;
            int index = (int) (offset >> 3);
            int mask = 1 << (7 - (int) (offset & 7));
            s[index] = (byte) (on ? s[index] | mask : s[index] & ~mask);
        }
    }

    /** checkUnsignedBitfieldOverflow: whether {@code value + incr} leaves u{@code bits}; the value to store in limit[0]. */
    static boolean unsignedOverflow(long value, long incr, int bits, int mode, long[] limit) {
        long max = (1L << bits) - 1; // bits <= 63
        long maxIncr = max - value;
        long minIncr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            limit[0] = mode == WRAP ? (value + incr) & ~(-1L << bits) : max;
            return true;
        }
        if (incr < 0 && incr < minIncr) {
            limit[0] = mode == WRAP ? (value + incr) & ~(-1L << bits) : 0;
            return true;
        }
        return false;
    }

    /** checkSignedBitfieldOverflow: the same for i{@code bits}. */
    static boolean signedOverflow(long value, long incr, int bits, int mode, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxIncr = max - value; // may wrap; used only once value is known in range, as in Redis
        long minIncr = min - value;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            limit[0] = mode == WRAP ? wrapSigned(value, incr, bits) : max;
            return true;
        }
        if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            limit[0] = mode == WRAP ? wrapSigned(value, incr, bits) : min;
            return true;
        }
        return false;
    }

    private static long wrapSigned(long value, long incr, int bits) {
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            c = (c & (1L << (bits - 1))) != 0 ? c | mask : c & ~mask;
        }
        return c;
    }
}
