package io.shardline.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code kv} suite's memory loader: SETs {@code count} distinct keys ({@code key:000000000000},
 * {@code key:000000000001}, ...) with {@code valueBytes}-byte values into a server over one connection,
 * pipelined in batches ({@value #BATCH} commands written, then their replies read), so both servers
 * hold exactly the same data. redis-benchmark's {@code -r} cannot do this: its random keys repeat.
 * Stateless, any thread.
 */
final class KeyLoader {
    static final int BATCH = 1000;
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);

    private KeyLoader() {
    }

    /** The {@code i}-th key: "key:" and 12 digits, as redis-benchmark's keys look. */
    static byte[] key(long i) {
        return String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** The {@code i}-th value: its number, then 'v's, {@code valueBytes} bytes in all. */
    static byte[] value(long i, int valueBytes) {
        byte[] v = new byte[valueBytes];
        Arrays.fill(v, (byte) 'v');
        byte[] n = Long.toString(i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, v, 0, Math.min(n.length, valueBytes));
        return v;
    }

    /**
     * Loads the keys into the server on {@code port}; fails with the server's error (an -OOM, say) at
     * the first reply that is not OK, naming how many keys were in before it.
     */
    static void load(int port, long count, int valueBytes) throws IOException {
        try (RespClient c = RespClient.connect(port)) {
            for (long start = 0; start < count; start += BATCH) {
                long end = Math.min(count, start + BATCH);
                for (long i = start; i < end; i++) {
                    c.send(SET, key(i), value(i, valueBytes));
                }
                c.flush();
                for (long i = start; i < end; i++) {
                    String reply;
                    try {
                        reply = c.readReply();
                    } catch (RespClient.ErrorReply e) {
                        throw new IOException("SET of key " + i + " failed: -" + e.getMessage(), e);
                    }
                    if (!"OK".equals(reply)) {
                        throw new IOException("SET of key " + i + " replied '" + reply + "', not OK");
                    }
                }
            }
        }
    }
}
