package io.shardline.net;

import java.time.Duration;

/**
 * Per-connection limits and timeouts; immutable.
 *
 * @param lowWatermark      queued bytes under which an unwritable connection becomes writable again
 * @param highWatermark     queued bytes over which a connection reports itself unwritable
 * @param maxQueuedBytes    queued bytes over which the connection is closed with an error
 * @param idleTimeout       close after this long with no read and no write; {@link Duration#ZERO} = never
 * @param readTimeout       close after this long with no bytes read; {@link Duration#ZERO} = never
 */
public record ConnectionOptions(int lowWatermark, int highWatermark, long maxQueuedBytes, Duration idleTimeout,
                                Duration readTimeout) {

    public static final ConnectionOptions DEFAULT =
            new ConnectionOptions(32 * 1024, 64 * 1024, 16L * 1024 * 1024, Duration.ZERO, Duration.ZERO);

    public ConnectionOptions {
        if (lowWatermark < 0 || highWatermark <= lowWatermark) {
            throw new IllegalArgumentException("watermarks need 0 <= low < high, were low=" + lowWatermark
                    + " high=" + highWatermark);
        }
        if (maxQueuedBytes < highWatermark) {
            throw new IllegalArgumentException("maxQueuedBytes (" + maxQueuedBytes + ") must be at least the high watermark ("
                    + highWatermark + ")");
        }
        if (idleTimeout.isNegative() || readTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    public ConnectionOptions withWatermarks(int low, int high) {
        return new ConnectionOptions(low, high, Math.max(maxQueuedBytes, high), idleTimeout, readTimeout);
    }

    public ConnectionOptions withMaxQueuedBytes(long max) {
        return new ConnectionOptions(lowWatermark, highWatermark, max, idleTimeout, readTimeout);
    }

    public ConnectionOptions withIdleTimeout(Duration timeout) {
        return new ConnectionOptions(lowWatermark, highWatermark, maxQueuedBytes, timeout, readTimeout);
    }

    public ConnectionOptions withReadTimeout(Duration timeout) {
        return new ConnectionOptions(lowWatermark, highWatermark, maxQueuedBytes, idleTimeout, timeout);
    }
}
