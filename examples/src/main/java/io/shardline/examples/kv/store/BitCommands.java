// About 400 lines: Redis' bitops.c family (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP) shares its range and
// bit-order helpers here; BITFIELD and BITFIELD_RO enter here and run in BitField.
package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO, as Redis 7.2 runs them
 * (bitops.c): bit 0 is the most significant bit of byte 0. Owned by one shard; not thread-safe.
 *
 * <p>7.2 and 7.0 differ in one place: 7.2 checks BITCOUNT's and BITPOS's arguments before looking the
 * key up, so a missing key with bad arguments is an error, not 0; this follows 7.2.
 *
 * <p>Journal forms: SETBIT and BITFIELD are logged as sent (they replay to the same bytes; BITFIELD
 * only when it wrote); BITOP as the {@code SET dest <result>} or {@code DEL dest} it amounts to.
 */
public final class BitCommands {
    private static final byte[] SET = Args.bytes("SET");
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] APPEND = Args.bytes("APPEND");
    private static final byte[] EMPTY = new byte[0];
    /** Returned by {@link #bitOffset} after it replied an error. */
    static final long BAD_OFFSET = -1;

    private final Keyspace ks;
    /** Keys looked up where the request holds them; {@link Keyspace#add} copies one it keeps. */
    private final Bytes probe = Bytes.probe();

    BitCommands(Keyspace ks) {
        this.ks = ks;
    }

    /**
     * getBitOffsetFromArgument: a bit offset below 2^32 (proto-max-bulk-len in bits), {@code #n} meaning
     * n·{@code bits} where {@code hash}; else {@link #BAD_OFFSET} after replying the error.
     */
    static long bitOffset(byte[] arg, boolean hash, int bits, ReplySink out) {
        boolean useHash = hash && bits > 0 && arg.length > 0 && arg[0] == '#';
        byte[] digits = useHash ? java.util.Arrays.copyOfRange(arg, 1, arg.length) : arg;
        if (!Numbers.isLong(digits)) {
            out.error(Errors.BIT_OFFSET);
            return BAD_OFFSET;
        }
        long offset = Numbers.toLong(digits);
        if (useHash) {
            offset *= bits; // wraps as C's multiplication does; a negative result is refused below
        }
        if (offset < 0 || (offset >> 3) >= StringRangeCommands.MAX_STRING) {
            out.error(Errors.BIT_OFFSET);
            return BAD_OFFSET;
        }
        return offset;
    }

    /**
     * lookupStringForBitCommand: the string entry of {@code key} grown (zero-padded) to hold bit
     * {@code maxBit}, created if missing; null after replying WRONGTYPE.
     */
    Entry growForBit(Bytes key, long maxBit, ReplySink out) {
        int bytes = (int) (maxBit >> 3) + 1;
        Entry e = ks.lookup(key, ValueType.STRING, out);
        grew = false;
        if (e == Keyspace.WRONG_TYPE) {
            return null;
        }
        if (e == null) {
            grew = true;
            e = ks.add(key, ValueType.STRING, new byte[bytes]);
        } else if (e.string().length < bytes) {
            grew = true;
            e.setString(java.util.Arrays.copyOf(e.string(), bytes));
        }
        e.markRaw();
        return e;
    }

    private boolean grew; // whether the last growForBit created or lengthened the string (SETBIT's "dirty")

    public void setbit(Argv argv, ReplySink out, Journal journal) {
        long offset = bitOffset(argv.bytes(2), false, 0, out);
        if (offset == BAD_OFFSET) {
            return;
        }
        if (!Numbers.isLong(argv, 3) || (Numbers.toLong(argv, 3) & ~1L) != 0) {
            out.error(Errors.BIT_VALUE);
            return;
        }
        boolean on = Numbers.toLong(argv, 3) == 1;
        Entry e = growForBit(new Bytes(argv.bytes(1)), offset, out);
        if (e == null) {
            return;
        }
        byte[] s = e.string();
        int index = (int) (offset >> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        boolean was = (s[index] & mask) != 0;
        s[index] = (byte) (on ? s[index] | mask : s[index] & ~mask);
        out.integer(was ? 1 : 0);
        journal.append(argv);
        if (grew || was != on) { // setbitCommand: an event only when something changed
            ks.notifier().notify(Notifier.STRING, "setbit", argv, 1);
        }
    }

    public void getbit(Argv argv, ReplySink out, Journal journal) {
        long offset = bitOffset(argv.bytes(2), false, 0, out);
        if (offset == BAD_OFFSET) {
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        byte[] s = e == null ? EMPTY : e.string();
        int index = (int) (offset >> 3);
        out.integer(index < s.length && (s[index] & (1 << (7 - (int) (offset & 7)))) != 0 ? 1 : 0);
    }

    /** BITCOUNT key [start end [BYTE | BIT]]. */
    public void bitcount(Argv argv, ReplySink out, Journal journal) {
        long start = 0;
        long end = 0;
        boolean isBit = false;
        if (argv.count() == 4 || argv.count() == 5) {
            if (!Numbers.isLong(argv, 2) || !Numbers.isLong(argv, 3)) {
                out.error(Errors.NOT_INTEGER);
                return;
            }
            start = Numbers.toLong(argv, 2);
            end = Numbers.toLong(argv, 3);
            if (argv.count() == 5) {
                if (argv.equalsIgnoreCase(4, "bit")) {
                    isBit = true;
                } else if (!argv.equalsIgnoreCase(4, "byte")) {
                    out.error(Errors.SYNTAX);
                    return;
                }
            }
        } else if (argv.count() != 2) {
            out.error(Errors.SYNTAX);
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.integer(0);
            return;
        }
        byte[] p = e.string();
        int firstMask = 0;
        int lastMask = 0;
        if (argv.count() == 2) {
            start = 0;
            end = p.length - 1;
        } else {
            long total = p.length;
            if (start < 0 && end < 0 && start > end) {
                out.integer(0);
                return;
            }
            if (isBit) {
                total <<= 3;
            }
            start = clampIndex(start, total);
            end = clampIndex(end, total);
            if (end >= total) {
                end = total - 1;
            }
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        }
        if (start > end) {
            out.integer(0);
            return;
        }
        long count = 0;
        for (int i = (int) start; i <= end; i++) {
            count += Integer.bitCount(p[i] & 0xFF);
        }
        count -= Integer.bitCount(p[(int) start] & firstMask) + Integer.bitCount(p[(int) end] & lastMask);
        out.integer(count);
    }

    /** A negative index counted from {@code total}, then floored at 0 (the caller caps the top). */
    private static long clampIndex(long index, long total) {
        return Math.max(index < 0 ? index + total : index, 0);
    }

    /** BITPOS key bit [start [end [BYTE | BIT]]]. */
    public void bitpos(Argv argv, ReplySink out, Journal journal) {
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long bit = Numbers.toLong(argv, 2);
        if (bit != 0 && bit != 1) {
            out.error(Errors.BITPOS_BIT);
            return;
        }
        long start = 0;
        long end = 0;
        boolean isBit = false;
        boolean endGiven = false;
        if (argv.count() >= 4 && argv.count() <= 6) {
            if (!Numbers.isLong(argv, 3)) {
                out.error(Errors.NOT_INTEGER);
                return;
            }
            start = Numbers.toLong(argv, 3);
            if (argv.count() == 6) {
                if (argv.equalsIgnoreCase(5, "bit")) {
                    isBit = true;
                } else if (!argv.equalsIgnoreCase(5, "byte")) {
                    out.error(Errors.SYNTAX);
                    return;
                }
            }
            if (argv.count() >= 5) {
                if (!Numbers.isLong(argv, 4)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                end = Numbers.toLong(argv, 4);
                endGiven = true;
            }
        } else if (argv.count() != 3) {
            out.error(Errors.SYNTAX);
            return;
        }
        Entry e = ks.lookup(probe.point(argv, 1), ValueType.STRING, out);
        if (e == Keyspace.WRONG_TYPE) {
            return;
        }
        if (e == null) {
            out.integer(bit == 1 ? -1 : 0); // a missing key is an endless run of 0 bits
            return;
        }
        byte[] p = e.string();
        int firstMask = 0;
        int lastMask = 0;
        if (argv.count() == 3) {
            start = 0;
            end = p.length - 1;
        } else {
            long total = isBit ? (long) p.length << 3 : p.length;
            if (!endGiven) {
                end = total - 1;
            }
            start = clampIndex(start, total);
            end = clampIndex(end, total);
            if (end >= total) {
                end = total - 1;
            }
            if (isBit && start <= end) {
                firstMask = ~((1 << (8 - (int) (start & 7))) - 1) & 0xFF;
                lastMask = (1 << (7 - (int) (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        }
        if (start > end) {
            out.integer(-1);
            return;
        }
        out.integer(bitpos(p, (int) start, (int) end, firstMask, lastMask, bit == 1, endGiven));
    }

    /** The walk of bitposCommand over bytes {@code [start, end]} with the edge masks of a BIT range. */
    private static long bitpos(byte[] p, int start, int end, int firstMask, int lastMask, boolean bit, boolean endGiven) {
        long bytes = end - start + 1;
        long pos;
        find:
        {
            if (firstMask != 0) {
                int c = bit ? p[start] & ~firstMask : p[start] | firstMask;
                if (lastMask != 0 && bytes == 1) {
                    c = bit ? c & ~lastMask : c | lastMask;
                }
                pos = firstBit(new byte[] {(byte) c}, 0, 1, bit);
                if (bytes == 1 || (pos != -1 && pos != 8)) {
                    break find;
                }
                start++;
                bytes--;
            }
            long current = bytes - (lastMask != 0 ? 1 : 0);
            if (current > 0) {
                pos = firstBit(p, start, (int) current, bit);
                if (bytes == current || (pos != -1 && pos != current << 3)) {
                    break find;
                }
                start += (int) current;
                bytes -= current;
            }
            int c = bit ? p[end] & ~lastMask : p[end] | lastMask;
            pos = firstBit(new byte[] {(byte) c}, 0, 1, bit);
        }
        // With an explicit end, the bits right of the range are not zero padding: no clear bit there.
        if (endGiven && !bit && pos == bytes << 3) {
            return -1;
        }
        return pos == -1 ? -1 : pos + ((long) start << 3);
    }

    /**
     * redisBitpos: the first bit equal to {@code bit} in {@code count} bytes from {@code from}; if none,
     * -1 when looking for a 1, {@code count·8} (the padding right after) when looking for a 0.
     */
    static long firstBit(byte[] s, int from, int count, boolean bit) {
        int skip = bit ? 0 : 0xFF;
        for (int i = 0; i < count; i++) {
            int b = s[from + i] & 0xFF;
            if (b != skip) {
                int v = bit ? b : ~b & 0xFF;
                return (long) i * 8 + Integer.numberOfLeadingZeros(v) - 24;
            }
        }
        return bit ? -1 : (long) count * 8;
    }

    /** BITOP AND | OR | XOR | NOT destkey key [key ...]. */
    public void bitop(Argv argv, ReplySink out, Journal journal) {
        int op = bitopOp(argv, out);
        if (op < 0) {
            return;
        }
        byte[][] sources = new byte[argv.count() - 3][];
        for (int j = 0; j < sources.length; j++) {
            Entry e = ks.lookup(probe.point(argv, j + 3), ValueType.STRING, out);
            if (e == Keyspace.WRONG_TYPE) {
                return;
            }
            sources[j] = e == null ? null : e.string();
        }
        byte[] result = bitop(op, sources);
        storeResult(argv.bytes(2), result, journal);
        out.integer(result.length);
    }

    /** BITOP's operation (0 AND, 1 OR, 2 XOR, 3 NOT), or -1 after replying the error. */
    public static int bitopOp(Argv argv, ReplySink out) {
        byte[] name = argv.bytes(1);
        int op = Args.is(name, "and") ? 0 : Args.is(name, "or") ? 1 : Args.is(name, "xor") ? 2 : Args.is(name, "not") ? 3 : -1;
        if (op < 0) {
            out.error(Errors.SYNTAX);
        } else if (op == 3 && argv.count() != 4) {
            out.error(Errors.BITOP_NOT);
            return -1;
        }
        return op;
    }

    /** The bytes BITOP {@code op} makes of {@code sources} (null for a missing key, read as empty). */
    public static byte[] bitop(int op, byte[][] sources) {
        int max = 0;
        for (byte[] s : sources) {
            max = Math.max(max, s == null ? 0 : s.length);
        }
        byte[] r = new byte[max];
        for (int j = 0; j < max; j++) {
            int v = at(sources[0], j);
            if (op == 3) {
                v = ~v;
            }
            for (int i = 1; i < sources.length; i++) {
                int b = at(sources[i], j);
                v = switch (op) {
                    case 0 -> v & b;
                    case 1 -> v | b;
                    default -> v ^ b;
                };
            }
            r[j] = (byte) v;
        }
        return r;
    }

    private static int at(byte[] s, int j) {
        return s != null && j < s.length ? s[j] & 0xFF : 0;
    }

    /** BITOP's write: {@code dest} becomes {@code result} with no TTL, or is deleted when it is empty. */
    void storeResult(byte[] dest, byte[] result, Journal journal) {
        if (result.length > 0) {
            ks.setString(dest, result).markRaw(); // BITOP stores a raw object of its own, however short
            journal.append(new byte[][] {SET, dest, result});
            journal.append(new byte[][] {APPEND, dest, new byte[0]}); // replayed, it is raw again
            ks.notifier().notify(Notifier.STRING, "set", dest);
        } else if (ks.delete(dest)) {
            journal.append(new byte[][] {DEL, dest});
            ks.notifier().notify(Notifier.GENERIC, "del", dest);
        }
    }

    public void bitfield(Argv argv, ReplySink out, Journal journal) {
        BitField.run(this, ks, argv, false, out, journal);
    }

    public void bitfieldRo(Argv argv, ReplySink out, Journal journal) {
        BitField.run(this, ks, argv, true, out, journal);
    }
}
