package io.shardline.examples.broker;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads and stamps Kafka RecordBatch v2 headers in place; the records themselves, compressed or not, stay
 * as the client sent them. Stateless, any thread.
 *
 * <p>Layout: baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32
 * (CRC32C of everything after it), attributes int16, lastOffsetDelta int32, baseTimestamp int64,
 * maxTimestamp int64, producerId int64, producerEpoch int16, baseSequence int32, record count int32.
 */
final class RecordBatches {
    static final int HEADER = 61;
    static final int LENGTH_OFFSET = 8;
    static final int EPOCH_OFFSET = 12;
    static final int MAGIC_OFFSET = 16;
    static final int CRC_OFFSET = 17;
    static final int ATTRIBUTES_OFFSET = 21;
    static final int LAST_DELTA_OFFSET = 23;
    static final int BASE_TIMESTAMP_OFFSET = 27;
    static final int MAX_TIMESTAMP_OFFSET = 35;
    static final int PRODUCER_ID_OFFSET = 43;
    static final int PRODUCER_EPOCH_OFFSET = 51;
    static final int BASE_SEQUENCE_OFFSET = 53;
    static final int COUNT_OFFSET = 57;
    static final int TIMESTAMP_TYPE_BIT = 0x08;
    static final int CONTROL_BIT = 0x20;

    private RecordBatches() {
    }

    /**
     * Checks a Produce partition's records, which must be exactly one v2 batch: gives {@link Errors#NONE}
     * or the code a Kafka broker answers with.
     */
    static short validate(byte[] records, int maxMessageBytes) {
        if (records == null || records.length < HEADER) {
            // Kafka: "Produce requests with version 3+ must have at least one record batch" (or a short one).
            return records == null || records.length == 0 ? Errors.INVALID_RECORD : Errors.CORRUPT_MESSAGE;
        }
        ByteBuffer b = ByteBuffer.wrap(records);
        int batchLength = b.getInt(LENGTH_OFFSET);
        if (batchLength < HEADER - 12 || batchLength > records.length - 12) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (b.get(MAGIC_OFFSET) != 2) {
            return Errors.INVALID_RECORD; // produce v3+ takes message format v2 only
        }
        if (batchLength + 12 != records.length) {
            return Errors.INVALID_RECORD; // more than one batch per partition
        }
        if (records.length > maxMessageBytes) {
            return Errors.MESSAGE_TOO_LARGE;
        }
        if (crc(records) != b.getInt(CRC_OFFSET)) {
            return Errors.CORRUPT_MESSAGE;
        }
        int count = b.getInt(COUNT_OFFSET);
        if (count <= 0 || b.getInt(LAST_DELTA_OFFSET) != count - 1) {
            return Errors.INVALID_RECORD;
        }
        short attributes = b.getShort(ATTRIBUTES_OFFSET);
        if ((attributes & 0x07) > 4) {
            return Errors.CORRUPT_MESSAGE; // no such compression codec
        }
        if ((attributes & CONTROL_BIT) != 0) {
            return Errors.INVALID_RECORD; // Kafka: clients must not send control records
        }
        if (b.getLong(PRODUCER_ID_OFFSET) >= 0 && b.getInt(BASE_SEQUENCE_OFFSET) < 0) {
            return Errors.INVALID_RECORD; // Kafka: an idempotent batch needs a sequence number
        }
        return Errors.NONE;
    }

    /** CRC32C of the batch from its attributes to its end, as an int. */
    static int crc(byte[] batch) {
        CRC32C c = new CRC32C();
        c.update(batch, ATTRIBUTES_OFFSET, batch.length - ATTRIBUTES_OFFSET);
        return (int) c.getValue();
    }

    /**
     * Sets the broker's part of a batch: its base offset and leader epoch (outside the CRC) and, for a
     * LogAppendTime topic, the timestamp type and max timestamp (inside it, so the CRC is redone).
     */
    static void stamp(byte[] batch, long baseOffset, boolean logAppendTime, long nowMillis) {
        ByteBuffer b = ByteBuffer.wrap(batch);
        b.putLong(0, baseOffset);
        b.putInt(EPOCH_OFFSET, 0);
        if (logAppendTime) {
            b.putShort(ATTRIBUTES_OFFSET, (short) (b.getShort(ATTRIBUTES_OFFSET) | TIMESTAMP_TYPE_BIT));
            b.putLong(MAX_TIMESTAMP_OFFSET, nowMillis);
            b.putInt(CRC_OFFSET, crc(batch));
        }
    }

    static int recordCount(ByteBuffer batch) {
        return batch.getInt(batch.position() + LAST_DELTA_OFFSET) + 1;
    }

    static long baseOffset(ByteBuffer batch) {
        return batch.getLong(batch.position());
    }

    /** The producer id of an idempotent batch, -1 for any other. */
    static long producerId(ByteBuffer batch) {
        return batch.getLong(batch.position() + PRODUCER_ID_OFFSET);
    }

    static short producerEpoch(ByteBuffer batch) {
        return batch.getShort(batch.position() + PRODUCER_EPOCH_OFFSET);
    }

    static int baseSequence(ByteBuffer batch) {
        return batch.getInt(batch.position() + BASE_SEQUENCE_OFFSET);
    }

    static int lastOffsetDelta(ByteBuffer batch) {
        return batch.getInt(batch.position() + LAST_DELTA_OFFSET);
    }

    static long maxTimestamp(ByteBuffer batch) {
        return batch.getLong(batch.position() + MAX_TIMESTAMP_OFFSET);
    }

    /**
     * The offset and timestamp of the first record at or after {@code target} in an uncompressed
     * batch; for a compressed one (not decompressed here), or a LogAppendTime batch, the batch's base
     * offset and max timestamp. Null if no record qualifies.
     */
    static long[] firstAtOrAfter(ByteBuffer batch, long target) {
        int p = batch.position();
        long base = batch.getLong(p);
        long maxTs = batch.getLong(p + MAX_TIMESTAMP_OFFSET);
        if (maxTs < target) {
            return null;
        }
        short attributes = batch.getShort(p + ATTRIBUTES_OFFSET);
        if ((attributes & 0x07) != 0 || (attributes & TIMESTAMP_TYPE_BIT) != 0) {
            return new long[] {base, maxTs};
        }
        long baseTs = batch.getLong(p + BASE_TIMESTAMP_OFFSET);
        int count = batch.getInt(p + COUNT_OFFSET);
        ByteBuffer r = batch.duplicate().position(p + HEADER);
        try {
            for (int i = 0; i < count; i++) {
                int length = (int) zigzag(varlong(r));
                int start = r.position();
                r.get(); // attributes
                long ts = baseTs + zigzag(varlong(r));
                long offsetDelta = zigzag(varlong(r));
                if (ts >= target) {
                    return new long[] {base + offsetDelta, ts};
                }
                r.position(start + length);
            }
        } catch (RuntimeException malformed) {
            // The CRC held but the records inside do not parse (a client's doing): answer for the batch.
        }
        return new long[] {base, maxTs};
    }

    private static long varlong(ByteBuffer r) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = r.get() & 0xFF;
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        return v;
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
