package io.shardline.examples.kv;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Raw RESP for tests: encode a command, read one whole reply as its exact text. Stateless. */
final class RawResp {
    private RawResp() {
    }

    static String[] split(String line) {
        List<String> parts = new ArrayList<>();
        for (String p : line.split(" ")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return parts.toArray(new String[0]);
    }

    static byte[] encode(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One complete reply, nested aggregates included, exactly as sent. */
    static String readReply(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readInto(in, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void readInto(InputStream in, ByteArrayOutputStream out) throws IOException {
        String line = readLine(in);
        out.writeBytes((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int len = Integer.parseInt(line.substring(1));
                if (len >= 0) {
                    out.writeBytes(in.readNBytes(len + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readInto(in, out);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    readInto(in, out);
                }
            }
            default -> {
                // simple string, error, integer, null, double, boolean, big number: one line
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed mid-reply after: " + line.toString(StandardCharsets.UTF_8));
            }
            if (prev == '\r' && c == '\n') {
                byte[] b = line.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
            }
            line.write(c);
            prev = c;
        }
    }
}
