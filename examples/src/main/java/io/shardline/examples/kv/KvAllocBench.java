package io.shardline.examples.kv;

import io.shardline.shard.Shard;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./shardline bench kv-alloc}: bytes the JVM allocates per GET and per SET on the local path in
 * the steady state, measured with {@code ThreadMXBean.getCurrentThreadAllocatedBytes} on the shard's
 * own thread while a {@link KvConnection} is fed pipelined requests (16 per read, as
 * {@code redis-benchmark -P 16}) over a socketless {@link LocalConnection}. One shard, no log, 1024
 * keys with 100-byte values, every key present. Runs on the main thread, which only starts the server
 * and waits; the measuring runs on the shard.
 *
 * <p>Prints {@code get_bytes_per_op=... set_bytes_per_op=... set_value_bytes=...}: a SET stores a copy
 * of its value, which is the {@code set_value_bytes} part of its figure ("values aside").
 */
public final class KvAllocBench {
    private static final int KEYS = 1024;
    private static final int PIPELINE = 16;
    private static final int VALUE_BYTES = 100;

    /**
     * The figures of one run.
     *
     * @param getBytesPerOp bytes allocated per GET
     * @param setBytesPerOp bytes allocated per SET, its stored value included
     * @param setValueBytes what the copy of one SET's value costs
     * @param ops requests measured of each kind
     */
    record Result(double getBytesPerOp, double setBytesPerOp, long setValueBytes, long ops) {
        @Override
        public String toString() {
            return String.format("get_bytes_per_op=%.2f set_bytes_per_op=%.2f set_value_bytes=%d ops=%d",
                    getBytesPerOp, setBytesPerOp, setValueBytes, ops);
        }
    }

    private KvAllocBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args.length > 0 ? Integer.parseInt(args[0]) : 50_000));
    }

    /** Starts a one-shard in-memory server, measures {@code rounds} reads of each kind, stops it. */
    static Result run(int rounds) throws Exception {
        try (KvServer server = KvServer.start(KvConfig.inMemory(1))) {
            return server.onShard(0, () -> measure(server, rounds)).get(10, TimeUnit.MINUTES);
        }
    }

    private static Result measure(KvServer server, int rounds) {
        KvConnection kv = new KvConnection(server);
        LocalConnection socket = new LocalConnection(Shard.current().loop());
        kv.onOpen(socket);
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        ByteBuffer[] sets = batches("SET", value);
        ByteBuffer[] gets = batches("GET", null);
        run(kv, socket, sets, sets.length); // every key present from here on
        for (int i = 0; i < 5; i++) { // warm-up, so the JIT has compiled the path being measured
            run(kv, socket, sets, rounds / 5);
            run(kv, socket, gets, rounds / 5);
        }
        long ops = (long) rounds * PIPELINE;
        double get = perOp(kv, socket, gets, rounds, ops, ops * (VALUE_BYTES + 8), "GET");
        double set = perOp(kv, socket, sets, rounds, ops, ops * 5, "SET");
        return new Result(get, set, arrayBytes(VALUE_BYTES), ops);
    }

    /** Bytes allocated per request over {@code rounds} batches; checks the replies' total size. */
    private static double perOp(KvConnection kv, LocalConnection socket, ByteBuffer[] batches, int rounds, long ops,
            long replyBytes, String name) {
        long written = socket.bytesWritten;
        long before = allocated();
        run(kv, socket, batches, rounds);
        long after = allocated();
        if (socket.bytesWritten - written != replyBytes) {
            throw new IllegalStateException(name + ": " + (socket.bytesWritten - written) + " reply bytes, expected "
                    + replyBytes);
        }
        return (double) (after - before) / ops;
    }

    private static void run(KvConnection kv, LocalConnection socket, ByteBuffer[] batches, int rounds) {
        for (int r = 0; r < rounds; r++) {
            ByteBuffer b = batches[r % batches.length];
            b.position(0); // reused: a duplicate per read would count against the server
            kv.onData(socket, b);
        }
    }

    /** {@code KEYS / PIPELINE} reads, each {@code PIPELINE} requests of {@code command} on distinct keys. */
    private static ByteBuffer[] batches(String command, byte[] value) {
        ByteBuffer[] out = new ByteBuffer[KEYS / PIPELINE];
        for (int b = 0; b < out.length; b++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < PIPELINE; i++) {
                String key = String.format("key:%012d", b * PIPELINE + i);
                s.append(value == null ? "*2\r\n" : "*3\r\n").append(bulk(command)).append(bulk(key));
                if (value != null) {
                    s.append(bulk(new String(value, StandardCharsets.US_ASCII)));
                }
            }
            out[b] = ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    /** What one {@code byte[length]} costs on this JVM, measured as the SET's value copy is made. */
    private static long arrayBytes(int length) {
        byte[][] keep = new byte[1000][];
        byte[] source = new byte[length];
        long before = allocated();
        for (int i = 0; i < keep.length; i++) {
            keep[i] = Arrays.copyOf(source, length);
        }
        return (allocated() - before) / keep.length;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
