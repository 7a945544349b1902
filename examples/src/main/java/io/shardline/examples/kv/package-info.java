/**
 * A Redis-compatible key-value server on Shardline ({@code ./shardline kv}). A key lives in Redis
 * Cluster's hash slot ({@link io.shardline.examples.kv.HashSlot}) and on the shard a
 * {@link io.shardline.examples.kv.SlotTable} gives that slot; {@link io.shardline.examples.kv.KvConnection} parses a client's requests on the
 * shard its connection lives on and {@link io.shardline.examples.kv.Dispatcher} looks each up once in
 * the {@link io.shardline.examples.kv.CommandTable} and runs it on the connection, on its key's shard,
 * or split over several shards, keeping pipelined replies in order. Each shard
 * ({@link io.shardline.examples.kv.KvShard}) owns its slice of the data (package {@code store}) and logs
 * its writes through {@code storage}; package {@code resp} is the protocol codec. Packages depend one
 * way: this one on {@code store} and {@code resp}, {@code store} on {@code resp}.
 */
package io.shardline.examples.kv;
