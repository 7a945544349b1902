package io.shardline.examples.router;

import io.shardline.core.Loop;
import io.shardline.core.Timer;
import io.shardline.net.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * One shard's access-log lines in nginx's {@code combined} format, collected in a shard-local buffer
 * and handed to the {@link AccessLog} writer when it fills or every {@value #FLUSH_MILLIS} ms, so the
 * shard never writes a file. Owned by one shard; not thread-safe.
 *
 * <pre>{@code
 * $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"
 * }</pre>
 * As nginx does, {@code "}, {@code \} and bytes outside printable ASCII in the quoted fields are
 * written as {@code \xHH}, and an absent field is {@code -}.
 */
final class AccessLogBuffer {
    static final int FLUSH_MILLIS = 200;
    private static final int CHUNK = 64 * 1024;
    private static final DateTimeFormatter TIME_LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneId.systemDefault());
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final AccessLog log;
    private final Timer flush;
    private byte[] buf = new byte[CHUNK];
    private int n;
    private long second = Long.MIN_VALUE;
    private byte[] time;

    AccessLogBuffer(Loop loop, AccessLog log) {
        this.log = log;
        this.flush = loop.timer(this::flush);
    }

    /** Adds the line of one exchange: {@code status} answered, {@code bodyBytes} of response body sent. */
    void log(HttpRequest r, int status, long bodyBytes, long epochMillis) {
        SocketAddress remote = r.remoteAddress();
        put(remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "-");
        put(" - ");
        String user = basicUser(r.headers().get("authorization"));
        if (user == null) {
            put("-");
        } else {
            escaped(user);
        }
        put(" [");
        putTime(epochMillis);
        put("] \"");
        escaped(r.method());
        put(" ");
        escaped(r.target());
        put(r.minorVersion() == 0 ? " HTTP/1.0\" " : " HTTP/1.1\" ");
        put(Integer.toString(status));
        put(" ");
        put(Long.toString(bodyBytes));
        put(" \"");
        quoted(r.headers().get("referer"));
        put("\" \"");
        quoted(r.headers().get("user-agent"));
        put("\"\n");
        if (n >= CHUNK - 1024) {
            flush();
        } else if (!flush.isScheduled()) {
            flush.schedule(Duration.ofMillis(FLUSH_MILLIS));
        }
    }

    /** Hands the lines so far to the writer. */
    void flush() {
        flush.cancel();
        if (n == 0) {
            return;
        }
        log.offer(Arrays.copyOf(buf, n));
        n = 0;
    }

    /** The user of a {@code Basic} Authorization value (as nginx's $remote_user), or null. */
    static String basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String creds = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.ISO_8859_1); // bytes as they came: escaped() writes the non-ASCII ones as \xHH
            int colon = creds.indexOf(':');
            return colon < 0 ? null : creds.substring(0, colon);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private void putTime(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s != second) {
            second = s;
            time = TIME_LOCAL.format(Instant.ofEpochSecond(s)).getBytes(StandardCharsets.US_ASCII);
        }
        room(time.length);
        System.arraycopy(time, 0, buf, n, time.length);
        n += time.length;
    }

    private void quoted(String v) {
        if (v == null) {
            put("-");
        } else {
            escaped(v);
        }
    }

    private void put(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[n++] = (byte) s.charAt(i);
        }
    }

    /** {@code s} (ISO-8859-1, as fields are), with {@code "}, {@code \} and non-printable bytes as {@code \xHH}. */
    private void escaped(String s) {
        room(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i) & 0xff;
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                buf[n++] = '\\';
                buf[n++] = 'x';
                buf[n++] = HEX[c >> 4];
                buf[n++] = HEX[c & 15];
            } else {
                buf[n++] = (byte) c;
            }
        }
    }

    private void room(int k) {
        if (n + k > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + k));
        }
    }
}
