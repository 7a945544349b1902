/**
 * The runtime of N shards: placement and pinning, the N×N mesh of SPSC channels, cross-shard calls
 * and {@code Sharded} services. Built by the shard issue on top of {@code io.shardline.core}.
 */
package io.shardline.shard;
