package io.shardline.examples.broker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** A bare Kafka-wire client for tests that send what no real client would. Not thread-safe. */
final class RawKafka implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawKafka(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A request frame: size, header v1 (or v2 with an empty tag section), then {@code body}. */
    static byte[] request(int key, int version, int correlationId, boolean headerV2, byte[] body) {
        byte[] client = "raw".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + client.length + (headerV2 ? 1 : 0) + body.length);
        b.putInt(b.capacity() - 4).putShort((short) key).putShort((short) version).putInt(correlationId);
        b.putShort((short) client.length).put(client);
        if (headerV2) {
            b.put((byte) 0);
        }
        b.put(body);
        return b.array();
    }

    void send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    /** The next response's bytes after its size (correlation id first). */
    ByteBuffer receive() throws IOException {
        int size = in.readInt();
        byte[] b = new byte[size];
        in.readFully(b);
        return ByteBuffer.wrap(b);
    }

    /** Whether the broker closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                int size = in.readInt();
                in.skipNBytes(size);
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One uncompressed RecordBatch v2 with {@code count} records of value {@code value}, CRC set. */
    static byte[] batch(int count, byte[] value, long timestamp) {
        return batch(count, value, timestamp, -1, (short) -1, -1);
    }

    /** As {@link #batch(int, byte[], long)}, from an idempotent producer with this id, epoch and base sequence. */
    static byte[] batch(int count, byte[] value, long timestamp, long producerId, short epoch, int baseSequence) {
        ByteBuffer records = ByteBuffer.allocate(count * (value.length + 32));
        for (int i = 0; i < count; i++) {
            ByteBuffer r = ByteBuffer.allocate(value.length + 24);
            r.put((byte) 0); // attributes
            varlong(r, 0); // timestamp delta
            varlong(r, i); // offset delta
            varlong(r, -1); // key length: null
            varlong(r, value.length);
            r.put(value);
            varlong(r, 0); // headers
            r.flip();
            varlong(records, r.remaining());
            records.put(r);
        }
        records.flip();
        ByteBuffer b = ByteBuffer.allocate(61 + records.remaining());
        b.putLong(0).putInt(b.capacity() - 12).putInt(-1).put((byte) 2).putInt(0).putShort((short) 0).putInt(count - 1)
                .putLong(timestamp).putLong(timestamp).putLong(producerId).putShort(epoch).putInt(baseSequence).putInt(count)
                .put(records);
        byte[] bytes = b.array();
        CRC32C crc = new CRC32C();
        crc.update(bytes, 21, bytes.length - 21);
        ByteBuffer.wrap(bytes).putInt(17, (int) crc.getValue());
        return bytes;
    }

    private static void varlong(ByteBuffer b, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            b.put((byte) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        b.put((byte) z);
    }

    /** A Produce v3 response for one partition: {error, base offset}, after checking its correlation id. */
    static long[] produceResult(ByteBuffer r, int correlationId) {
        org.junit.jupiter.api.Assertions.assertEquals(correlationId, r.getInt());
        org.junit.jupiter.api.Assertions.assertEquals(1, r.getInt());
        r.position(r.position() + 2 + r.getShort(r.position()));
        org.junit.jupiter.api.Assertions.assertEquals(1, r.getInt());
        r.getInt(); // partition
        return new long[] {r.getShort(), r.getLong()};
    }

    /** A Produce v3 body (classic encoding) for one partition. */
    static byte[] produceV3(String topic, int partition, short acks, byte[] records) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 4 + 4 + 2 + t.length + 4 + 4 + 4 + records.length);
        b.putShort((short) -1).putShort(acks).putInt(30_000).putInt(1).putShort((short) t.length).put(t).putInt(1)
                .putInt(partition).putInt(records.length).put(records);
        return b.array();
    }
}
