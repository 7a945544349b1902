// Hand-written rather than a dependency: RDB strings use LZF (liblzf's format), decompression is a
// few dozen lines, and no LZF library on the build's path speaks exactly liblzf's block format.
package io.shardline.examples.kv.store;

/**
 * liblzf decompression, as Redis stores compressed RDB strings and quicklist nodes. Stateless, any
 * thread.
 *
 * <p>The stream is a series of runs: a control byte below 32 starts a literal run of {@code ctrl + 1}
 * bytes; otherwise its top 3 bits are a length (7 means "add the next byte"), and the low 5 bits with
 * the next byte are a distance back into the output, from which {@code length + 2} bytes are copied
 * (overlapping copies repeat bytes, so the copy goes byte by byte).
 */
final class Lzf {
    private Lzf() {
    }

    /**
     * Decompresses {@code in[from, to)} into exactly {@code outLength} bytes; null if the stream is
     * corrupt or does not fill the output exactly.
     */
    static byte[] decompress(byte[] in, int from, int to, int outLength) {
        byte[] out = new byte[outLength];
        int ip = from;
        int op = 0;
        while (ip < to) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLength || ip + run > to) {
                    return null;
                }
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
                continue;
            }
            int len = ctrl >>> 5;
            int ref = op - ((ctrl & 0x1F) << 8) - 1;
            if (len == 7) {
                if (ip >= to) {
                    return null;
                }
                len += in[ip++] & 0xFF;
            }
            if (ip >= to) {
                return null;
            }
            ref -= in[ip++] & 0xFF;
            len += 2;
            if (ref < 0 || op + len > outLength) {
                return null;
            }
            for (int k = 0; k < len; k++) {
                out[op++] = out[ref++];
            }
        }
        return op == outLength ? out : null;
    }
}
