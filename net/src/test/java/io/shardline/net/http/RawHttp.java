package io.shardline.net.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking HTTP/1.1 client over a plain socket that writes bytes exactly as given and reads
 * responses strictly, for tests that need to see the wire. One per test thread.
 */
final class RawHttp implements AutoCloseable {
    /** A parsed response; {@code headers} keys are lower case. */
    record Response(String statusLine, int status, Map<String, List<String>> headers, byte[] body, Map<String, String> trailers) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        String text() {
            return new String(body, ISO_8859_1);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(int port) throws IOException {
        this(new Socket(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout(20_000); // a hang guard only
    }

    /** Over a socket the caller connected (and closes). */
    RawHttp(Socket s) throws IOException {
        socket = s;
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    RawHttp send(String s) throws IOException {
        out.write(s.getBytes(ISO_8859_1));
        out.flush();
        return this;
    }

    RawHttp send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Reads one response; {@code headRequest} means it has no body whatever its fields say. */
    Response read(boolean headRequest) throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> headers = fields();
        byte[] body;
        Map<String, String> trailers = null;
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (headRequest || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (te != null) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    break;
                }
                b.write(exactly(n));
                if (!line().isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            trailers = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : fields().entrySet()) {
                trailers.put(e.getKey(), e.getValue().get(0));
            }
            body = b.toByteArray();
        } else if (cl != null) {
            body = exactly(Integer.parseInt(cl.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Response(statusLine, status, headers, body, trailers);
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Whether the server has closed: the next read sees end of stream. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException e) {
            return true; // reset
        }
    }

    private Map<String, List<String>> fields() throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String l;
        while (!(l = line()).isEmpty()) {
            int c = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, c).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(c + 1).trim());
        }
        return headers;
    }

    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("stream ended inside a line: '" + sb + "'");
            }
            if (b == '\n') {
                if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\r') {
                    throw new IOException("bare LF from the server");
                }
                return sb.substring(0, sb.length() - 1);
            }
            sb.append((char) b);
        }
    }

    byte[] exactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("stream ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
