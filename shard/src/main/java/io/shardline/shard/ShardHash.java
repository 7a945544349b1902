package io.shardline.shard;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The documented key→shard routing; stateless, any thread.
 *
 * <p>{@code shard = CRC32C(bytes(key)) mod n}, the CRC taken as an unsigned 32-bit number, where
 * bytes(key) is the key itself for a {@code byte[]}, UTF-8 for a {@link CharSequence}, and the 8-byte
 * big-endian two's complement for an integral number. CRC32C is specified (RFC 3720) and
 * hardware-accelerated, so a key lands on the same shard in every run, JVM and language. Other key
 * types are refused: their {@code hashCode} may differ between JVMs.
 */
public final class ShardHash {
    private ShardHash() {
    }

    /** The shard of {@code key} among {@code shards}. */
    public static int shardOf(byte[] key, int shards) {
        CRC32C crc = new CRC32C();
        crc.update(key, 0, key.length);
        return reduce(crc.getValue(), shards);
    }

    public static int shardOf(CharSequence key, int shards) {
        return shardOf(key.toString().getBytes(StandardCharsets.UTF_8), shards);
    }

    public static int shardOf(long key, int shards) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--) {
            b[i] = (byte) key;
            key >>>= 8;
        }
        return shardOf(b, shards);
    }

    /** Dispatches on the key's type; see the class comment for which types are accepted. */
    public static int shardOf(Object key, int shards) {
        return switch (key) {
            case byte[] b -> shardOf(b, shards);
            case CharSequence s -> shardOf(s, shards);
            case Long l -> shardOf(l.longValue(), shards);
            case Integer i -> shardOf(i.longValue(), shards);
            case Short s -> shardOf(s.longValue(), shards);
            case Byte b -> shardOf(b.longValue(), shards);
            case null -> throw new IllegalArgumentException("a shard key must not be null");
            default -> throw new IllegalArgumentException("cannot route a key of type " + key.getClass().getName()
                    + ": use byte[], a CharSequence or an integral number (hashCode is not stable across JVMs)");
        };
    }

    private static int reduce(long crc, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shard count must be at least 1, was " + shards);
        }
        return (int) (crc % shards);
    }
}
