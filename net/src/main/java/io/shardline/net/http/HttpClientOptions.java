package io.shardline.net.http;

import io.shardline.net.ConnectionOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * An HTTP client connection's limits; immutable.
 *
 * @param maxHeaderBytes  a response head with longer fields fails the response (and the connection)
 * @param maxBodyBytes    a longer response body fails
 * @param connectTimeout  how long a connect may take
 * @param connection      write limits and idle/read timeouts of the connection
 */
public record HttpClientOptions(int maxHeaderBytes, long maxBodyBytes, Duration connectTimeout,
                                ConnectionOptions connection) {

    public static final HttpClientOptions DEFAULT =
            new HttpClientOptions(64 * 1024, Long.MAX_VALUE, Duration.ofSeconds(10), ConnectionOptions.DEFAULT);

    public HttpClientOptions {
        Objects.requireNonNull(connection, "connection options");
        if (maxHeaderBytes < 64 || maxBodyBytes < 0 || !connectTimeout.isPositive()) {
            throw new IllegalArgumentException("bad client limits");
        }
    }
}
