/**
 * Real programs built on Shardline: the Redis-compatible KV server ({@code kv}), the TCP echo server
 * ({@code echo}) and the demo of shards messaging each other ({@code demo}).
 */
package io.shardline.examples;
