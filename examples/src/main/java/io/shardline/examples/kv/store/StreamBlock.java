package io.shardline.examples.kv.store;

/**
 * What an XREAD or XREADGROUP with BLOCK left when it found nothing to serve: the keys it waits on,
 * its timeout (0: forever) and the command to run again when one of them grows, with {@code $}
 * already turned into the ids it stood for. Immutable, any thread.
 *
 * @param keys the stream keys, in argument order
 * @param timeoutMillis how long to wait; 0 waits forever
 * @param retry the command to run again on a wake-up
 */
public record StreamBlock(byte[][] keys, long timeoutMillis, byte[][] retry) {
}
