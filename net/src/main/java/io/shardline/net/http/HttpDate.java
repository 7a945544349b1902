package io.shardline.net.http;

import io.shardline.core.Loop;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One shard's {@code Date} header line, made at most once a second; owned by that shard's loop, not
 * thread-safe. A loop service, so every HTTP connection of the shard shares it and none shares it
 * with another shard.
 *
 * <p>Checked on use rather than refreshed by a timer, so an idle shard is not woken every second.
 */
final class HttpDate {
    /** RFC 9110's IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private long second = Long.MIN_VALUE;
    private byte[] line;

    private HttpDate() {
    }

    /** The shard's cache; call on the loop. */
    static HttpDate of(Loop loop) {
        HttpDate d = loop.service(HttpDate.class);
        if (d == null) {
            d = new HttpDate();
            loop.putService(HttpDate.class, d);
        }
        return d;
    }

    /** {@code "Date: <IMF-fixdate>\r\n"} for now; shared, do not modify. */
    byte[] line() {
        long now = System.currentTimeMillis() / 1000;
        if (now != second) {
            second = now;
            line = ("Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(now)) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        return line;
    }
}
