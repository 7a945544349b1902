/**
 * Shard-addressed RPC between processes over {@code io.shardline.net}. Built by the rpc issue.
 */
package io.shardline.rpc;
