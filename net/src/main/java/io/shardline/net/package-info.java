/**
 * Per-shard TCP and UDP on each shard's own reactor, behind a transport SPI (NIO first).
 * Built by the net issue.
 */
package io.shardline.net;
