package io.shardline.examples.kv.store;

import java.util.List;

/**
 * One step of {@link Keyspace#scan}: the cursor to pass next (0 when the iteration is complete) and
 * the keys found in this step. Immutable.
 */
public record ScanResult(long cursor, List<byte[]> keys) {
}
