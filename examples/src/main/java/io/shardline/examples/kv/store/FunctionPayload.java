package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.List;

/**
 * FUNCTION DUMP's payload, as rdb.c writes it for the function libraries: each library's code after the
 * RDB function opcode ({@code RDB_OPCODE_FUNCTION2}), then the RDB version as two little-endian bytes
 * and the CRC-64 of all of it, as DUMP's payload ends. Stateless, any thread.
 *
 * <p>The code is written uncompressed, as {@link RdbWriter} writes strings; Redis compresses code over
 * 20 bytes with LZF, which a reader takes either way, so payloads restore both ways but are not always
 * the same bytes.
 */
public final class FunctionPayload {
    /** RDB_OPCODE_FUNCTION2 (7.0 GA on). */
    private static final int FUNCTION2 = 245;
    /** RDB_OPCODE_FUNCTION_PRE_GA: 7.0 release candidates wrote it; its library metadata came first. */
    private static final int FUNCTION_PRE_GA = 246;

    /** Why a payload is refused, as Redis words it (without the leading {@code ERR }). */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private FunctionPayload() {
    }

    /** The payload holding {@code codes}, each one library's code. */
    public static byte[] dump(List<byte[]> codes) {
        RdbWriter w = new RdbWriter();
        for (byte[] code : codes) {
            w.write(FUNCTION2);
            w.string(code);
        }
        return w.sealed();
    }

    /** The libraries' codes in {@code payload}, checked as FUNCTION RESTORE checks it. */
    public static List<byte[]> restore(byte[] payload) throws Refused {
        if (!RdbReader.footerValid(payload)) {
            throw new Refused("DUMP payload version or checksum are wrong");
        }
        RdbInput in = new RdbInput(payload, 0, payload.length - 10);
        List<byte[]> codes = new ArrayList<>();
        try {
            while (in.remaining() > 0) {
                int type = in.readByte();
                if (type == FUNCTION_PRE_GA) {
                    throw new Refused("Pre-GA function format not supported");
                }
                if (type != FUNCTION2) {
                    throw new Refused("given type is not a function");
                }
                codes.add(in.readString());
            }
        } catch (RdbInput.Corrupt e) {
            throw new Refused("failed loading the given functions payload");
        }
        return codes;
    }
}
