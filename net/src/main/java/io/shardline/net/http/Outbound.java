package io.shardline.net.http;

import io.shardline.net.Connection;
import java.nio.ByteBuffer;

/**
 * A connection's output staging: heads, small bodies and chunk framing are encoded into one direct
 * scratch buffer and handed to the connection in one write per batch. Owned by the connection's shard;
 * not thread-safe.
 *
 * <p>Pipelined responses made in one pass go out in one write: the caller {@link #flush()}es once
 * when its pass over the input is done. The connection copies what the socket does not take at once,
 * so the scratch buffer is reused at once.
 */
final class Outbound {
    private final Connection connection;
    private ByteBuffer out;
    /**
     * Where a number's digits are made, last digit first, then copied in one bulk put: a direct
     * buffer's per-byte puts and the reversal cost more than the head's other fields together.
     */
    private final byte[] digits = new byte[20];

    Outbound(Connection connection, int capacity) {
        this.connection = connection;
        this.out = ByteBuffer.allocateDirect(capacity);
    }

    Connection connection() {
        return connection;
    }

    /** The scratch buffer with at least {@code n} bytes free (flushing, or growing for a large head). */
    ByteBuffer room(int n) {
        if (out.remaining() < n) {
            flush();
            if (out.capacity() < n) {
                out = ByteBuffer.allocateDirect(Math.max(n, out.capacity() * 2));
            }
        }
        return out;
    }

    void put(byte[] b) {
        room(b.length).put(b);
    }

    void put(byte[] b, int off, int len) {
        if (len > out.capacity()) {
            flush();
            connection.write(ByteBuffer.wrap(b, off, len));
            return;
        }
        room(len).put(b, off, len);
    }

    /** Writes {@code data} (consumed): copied into the batch when it fits, else after the batch. */
    void put(ByteBuffer data) {
        if (data.remaining() <= out.remaining()) {
            out.put(data);
            return;
        }
        flush();
        if (data.remaining() <= out.capacity() / 2) {
            out.put(data);
        } else {
            connection.write(data);
        }
    }

    /** Decimal digits of {@code v} (non-negative), with no allocation. */
    void putDecimal(long v) {
        int i = digits.length;
        do {
            digits[--i] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
        put(digits, i, digits.length - i);
    }

    void putHex(long v) {
        int i = digits.length;
        do {
            digits[--i] = (byte) Character.forDigit((int) (v & 15), 16);
            v >>>= 4;
        } while (v != 0);
        put(digits, i, digits.length - i);
    }

    void crlf() {
        room(2).put((byte) '\r').put((byte) '\n');
    }

    /** Hands what is staged to the connection. */
    void flush() {
        if (out.position() > 0) {
            out.flip();
            connection.write(out);
            out.clear();
        }
    }
}
