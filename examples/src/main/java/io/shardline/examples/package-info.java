/**
 * Real programs built on Shardline: the demo now; the Redis-protocol KV store and the echo server as
 * their issues land.
 */
package io.shardline.examples;
