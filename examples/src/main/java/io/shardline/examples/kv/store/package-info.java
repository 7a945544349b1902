/**
 * One shard's data: the keyspace with its five value types and expiry, the command implementations
 * with Redis 7's replies and error texts, the replayable journal form of writes, and snapshots. Used
 * only on its shard's thread.
 */
package io.shardline.examples.kv.store;
