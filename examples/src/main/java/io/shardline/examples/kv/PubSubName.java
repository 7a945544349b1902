package io.shardline.examples.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A channel or pattern name as a map key: its bytes compared by content. Immutable, any thread; the
 * bytes are owned (copied from the request), so the name may cross shards.
 */
final class PubSubName {
    final byte[] bytes;
    private final int hash;

    PubSubName(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PubSubName n && n.hash == hash && Arrays.equals(n.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
