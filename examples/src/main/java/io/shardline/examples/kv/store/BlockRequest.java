package io.shardline.examples.kv.store;

/**
 * What a blocking command left when it found nothing to serve (XREAD and XREADGROUP with BLOCK today):
 * the keys it waits on, its timeout (0: forever) and the command to run again when one of them is
 * written, with anything relative to the moment of the call (XREAD's {@code $}) already turned into
 * what it stood for. Immutable, any thread.
 *
 * @param keys the stream keys, in argument order
 * @param timeoutMillis how long to wait; 0 waits forever
 * @param retry the command to run again on a wake-up
 * @param endsIfKeyGone whether the wait ends with an error once a key is deleted (XREADGROUP), rather
 *     than going on (XREAD)
 */
public record BlockRequest(byte[][] keys, long timeoutMillis, byte[][] retry, boolean endsIfKeyGone) {
    /** Redis' reply to a group reader whose stream was deleted while it waited. */
    public static final String KEY_GONE = "UNBLOCKED the stream key no longer exists";
}
