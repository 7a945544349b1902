package io.shardline.examples.router;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A keep-alive HTTP/1.1 client on one socket, for tests that send fields a library would not; one thread. */
final class RawClient implements AutoCloseable {
    /** A response: status, fields by lower-case name, body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }

        String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(60_000); // a hang guard only
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    /** {@code GET path} with {@code Host: test} and the extra header lines given ({@code "Name: value"}). */
    Response get(String path, String... headers) throws IOException {
        return send("GET", path, null, headers);
    }

    Response send(String method, String path, byte[] body, String... headers) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        boolean host = false;
        for (String h : headers) {
            host |= h.regionMatches(true, 0, "host:", 0, 5);
            sb.append(h).append("\r\n");
        }
        if (!host) {
            sb.append("Host: test\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        }
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read(method.equals("HEAD"));
    }

    /** Sends {@code GET path} and reads only the response's head: the body is the caller's to read from {@link #in()}. */
    Response getHead(String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readHead();
    }

    /** The next response's status line and fields, with an empty body (what follows stays unread). */
    Response readHead() throws IOException {
        String status = line();
        Map<String, List<String>> h = new LinkedHashMap<>();
        String l;
        while (!(l = line()).isEmpty()) {
            int c = l.indexOf(':');
            h.computeIfAbsent(l.substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(l.substring(c + 1).trim());
        }
        return new Response(Integer.parseInt(status.substring(9, 12)), h, new byte[0]);
    }

    Response read(boolean head) throws IOException {
        Response r = readHead();
        int code = r.status();
        Map<String, List<String>> h = r.headers();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (!head && code != 204 && code != 304) {
            if (h.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(h.get("content-length").get(0))));
            } else if (h.containsKey("transfer-encoding")) {
                int n;
                while ((n = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0) {
                    body.write(in.readNBytes(n));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else {
                body.write(in.readAllBytes());
            }
        }
        return new Response(code, h, body.toByteArray());
    }

    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        if (b < 0 && sb.isEmpty()) {
            throw new IOException("connection closed");
        }
        return sb.toString();
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
