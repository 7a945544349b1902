package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import java.nio.ByteBuffer;

/**
 * How a logged command is stored in a log record: a 4-byte argument count, then each argument as a
 * 4-byte length and its bytes. Stateless, any thread.
 */
final class ArgvCodec {
    private ArgvCodec() {
    }

    static byte[] encode(Argv argv) {
        int n = argv.count();
        int size = 4;
        for (int i = 0; i < n; i++) {
            size += 4 + argv.length(i);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(n);
        for (int i = 0; i < n; i++) {
            b.putInt(argv.length(i)).put(argv.array(i), argv.offset(i), argv.length(i));
        }
        return b.array();
    }

    /** The arguments in {@code record}; an {@link IllegalArgumentException} if it is not an encoded command. */
    static byte[][] decode(ByteBuffer record) {
        ByteBuffer b = record.duplicate();
        if (b.remaining() < 4) {
            throw new IllegalArgumentException("logged command shorter than its count");
        }
        int n = b.getInt();
        if (n < 1 || n > b.remaining() / 4) {
            throw new IllegalArgumentException("logged command has a bad argument count " + n);
        }
        byte[][] argv = new byte[n][];
        for (int i = 0; i < n; i++) {
            int len = b.remaining() >= 4 ? b.getInt() : -1;
            if (len < 0 || len > b.remaining()) {
                throw new IllegalArgumentException("logged command argument " + i + " has a bad length " + len);
            }
            argv[i] = new byte[len];
            b.get(argv[i]);
        }
        if (b.hasRemaining()) {
            throw new IllegalArgumentException("logged command has " + b.remaining() + " trailing bytes");
        }
        return argv;
    }
}
