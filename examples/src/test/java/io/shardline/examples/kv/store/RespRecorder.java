package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * A {@link ReplySink} for tests that records the RESP2 or RESP3 bytes a reply would put on the wire.
 * Scores are spelled as Redis 7.2+ does (shortest digits, {@code 1.5}, {@code 0.1}), or, with
 * {@link #printfG17}, as Redis 7.0's {@code %.17g} ({@code 0.10000000000000001}). Not thread-safe.
 */
final class RespRecorder implements ReplySink {
    private final int protocol;
    private final boolean printfG17;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    RespRecorder(int protocol) {
        this(protocol, false);
    }

    RespRecorder(int protocol, boolean printfG17) {
        this.protocol = protocol;
        this.printfG17 = printfG17;
    }

    /** What was recorded, as Latin-1 text (one char per byte), and starts afresh. */
    String take() {
        String s = bytes.toString(StandardCharsets.ISO_8859_1);
        bytes.reset();
        return s;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public ReplySink simple(String text) {
        line("+" + text);
        return this;
    }

    @Override
    public ReplySink error(String text) {
        line("-" + text);
        return this;
    }

    @Override
    public ReplySink integer(long value) {
        line(":" + value);
        return this;
    }

    @Override
    public ReplySink bulk(byte[] value) {
        line("$" + value.length);
        bytes.writeBytes(value);
        line("");
        return this;
    }

    @Override
    public ReplySink bulk(byte[] value, int offset, int length) {
        return bulk(java.util.Arrays.copyOfRange(value, offset, offset + length));
    }

    @Override
    public ReplySink bulk(String value) {
        bulk(value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    @Override
    public ReplySink nullBulk() {
        line(protocol == 2 ? "$-1" : "_");
        return this;
    }

    @Override
    public ReplySink nullArray() {
        line(protocol == 2 ? "*-1" : "_");
        return this;
    }

    @Override
    public ReplySink arrayHeader(long count) {
        line("*" + count);
        return this;
    }

    @Override
    public ReplySink mapHeader(long pairs) {
        line(protocol == 2 ? "*" + 2 * pairs : "%" + pairs);
        return this;
    }

    @Override
    public ReplySink setHeader(long count) {
        line((protocol == 2 ? "*" : "~") + count);
        return this;
    }

    @Override
    public ReplySink doubleValue(double value) {
        String text = printfG17 ? printfG17(value) : redis72(value);
        if (protocol == 2) {
            bulk(text);
        } else {
            line("," + text);
        }
        return this;
    }

    @Override
    public ReplySink bool(boolean value) {
        line(protocol == 2 ? (value ? ":1" : ":0") : (value ? "#t" : "#f"));
        return this;
    }

    private void line(String s) {
        bytes.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        bytes.write('\r');
        bytes.write('\n');
    }

    /** Redis 7.2+ d2string: integers up to 2^62 plainly, else fpconv's shortest digits and layout. */
    static String redis72(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        if (d >= -0x1p62 && d <= 0x1p62 && (long) d == d) {
            return Long.toString((long) d);
        }
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = -shortest.scale(); // value = digits · 10^k
        int n = digits.length();
        int exp = Math.abs(k + n - 1);
        String sign = d < 0 ? "-" : "";
        if (k >= 0 && exp < n + 7) {
            return sign + digits + "0".repeat(k);
        }
        if (k < 0 && (k > -7 || exp < 4)) {
            int offset = n + k;
            return offset <= 0 ? sign + "0." + "0".repeat(-offset) + digits
                    : sign + digits.substring(0, offset) + "." + digits.substring(offset);
        }
        StringBuilder s = new StringBuilder(sign).append(digits.charAt(0));
        if (n > 1) {
            s.append('.').append(digits, 1, n);
        }
        return s.append('e').append(k + n - 1 < 0 ? '-' : '+').append(exp).toString();
    }

    /** C's {@code %.17g}, as Redis 7.0 spells scores. */
    static String printfG17(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(d).round(new MathContext(17, RoundingMode.HALF_EVEN));
        int x = r.precision() - r.scale() - 1; // decimal exponent of the first digit
        if (x < -4 || x >= 17) {
            BigDecimal mantissa = r.movePointLeft(x).stripTrailingZeros();
            String m = mantissa.toPlainString();
            String e = String.format("%02d", Math.abs(x));
            return m + "e" + (x < 0 ? "-" : "+") + e;
        }
        String plain = r.toPlainString();
        if (plain.indexOf('.') >= 0) {
            plain = plain.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return plain;
    }
}
