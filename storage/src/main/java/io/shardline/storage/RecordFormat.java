package io.shardline.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How a record is framed in a segment: a 4-byte big-endian payload length, a 4-byte CRC32C over the
 * length field and the payload, then the payload. Covering the length makes a zeroed header invalid,
 * so the zero padding after the last record never parses as one. Stateless, any thread.
 */
final class RecordFormat {
    static final int HEADER = 8;

    private RecordFormat() {
    }

    /** The bytes a record of {@code payloadLength} takes in a segment. */
    static int size(int payloadLength) {
        return HEADER + payloadLength;
    }

    /**
     * Writes the framed record at {@code dst}'s position and advances it; {@code payload} is left as
     * it was. {@code crc} is the caller's own, reused: nothing is allocated per record.
     */
    static void write(CRC32C crc, ByteBuffer dst, ByteBuffer payload) {
        int start = dst.position();
        int length = payload.remaining();
        int from = payload.position();
        dst.putInt(length);
        dst.putInt(0);
        dst.put(payload);
        payload.position(from);
        dst.putInt(start + 4, crc(crc, dst, start, length));
    }

    /** The checksum of the record at {@code at} (absolute) with {@code length} payload bytes in {@code buf}. */
    static int crc(CRC32C crc, ByteBuffer buf, int at, int length) {
        // Narrow the buffer in place rather than slicing it: no allocation on the append path.
        int position = buf.position();
        int limit = buf.limit();
        crc.reset();
        buf.limit(at + 4).position(at);
        crc.update(buf);
        buf.limit(at + HEADER + length).position(at + HEADER);
        crc.update(buf);
        buf.limit(limit).position(position);
        return (int) crc.getValue();
    }

    /**
     * The payload length of a valid record at {@code at} in {@code buf} (which holds {@code limit}
     * bytes), or -1 if the bytes there are not a whole valid record.
     */
    static int validLength(CRC32C crc, ByteBuffer buf, int at, int limit, int maxPayload) {
        if (at + HEADER > limit) {
            return -1;
        }
        int length = buf.getInt(at);
        if (length < 0 || length > maxPayload || (long) at + HEADER + length > limit) {
            return -1;
        }
        return buf.getInt(at + 4) == crc(crc, buf, at, length) ? length : -1;
    }
}
