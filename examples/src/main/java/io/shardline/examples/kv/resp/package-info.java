/**
 * The Redis wire protocol, byte for byte as Redis 7 speaks it: {@link io.shardline.examples.kv.resp.RespRequestParser}
 * turns a connection's reads into requests ({@link io.shardline.examples.kv.resp.RespArgs}), and
 * {@link io.shardline.examples.kv.resp.RespWriter} encodes replies in RESP2 or RESP3. Each instance
 * belongs to one connection on one shard; neither allocates per request in steady state.
 */
package io.shardline.examples.kv.resp;
