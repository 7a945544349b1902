package io.shardline.perf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RESP2 bytes for the {@code kv-features} suite's load, stateless and for any thread: commands encoded once, before a run, as the
 * arrays of bulk strings a client sends, and replies shown readably in messages.
 */
final class Resp {
    private Resp() {
    }

    /** The command {@code args} as a RESP2 array of bulk strings. */
    static byte[] command(String... args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(ascii("*" + args.length + "\r\n"));
        for (String a : args) {
            byte[] raw = a.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(ascii("$" + raw.length + "\r\n"));
            b.writeBytes(raw);
            b.writeBytes(ascii("\r\n"));
        }
        return b.toByteArray();
    }

    /** {@code parts} one after the other: a pipeline. */
    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** A bulk string reply. */
    static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The first {@code n} bytes of {@code b} in quotes, CR and LF as \r and \n, other control bytes as \xNN. */
    static String printable(byte[] b, int n) {
        StringBuilder s = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == '\r') {
                s.append("\\r");
            } else if (c == '\n') {
                s.append("\\n");
            } else if (c < 0x20 || c >= 0x7F) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        return s.append('"').toString();
    }
}
