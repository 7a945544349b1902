package io.shardline.perf;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal blocking RESP2 client over one socket to 127.0.0.1, for the {@code kv} suite's own traffic
 * (PING, INFO, the memory loader's pipelined SETs): commands are written as arrays of bulk strings and
 * buffered until {@link #flush()}; replies are read one at a time. Owned by one thread; not thread-safe.
 */
final class RespClient implements AutoCloseable {
    /** A reply that is an error ("-ERR ..."), as the server wrote it after the dash. */
    static final class ErrorReply extends IOException {
        ErrorReply(String message) {
            super(message);
        }
    }

    private static final int TIMEOUT_MILLIS = 60_000;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    }

    static RespClient connect(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            return new RespClient(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends one command and returns its reply as text ({@link #readReply()}). */
    String call(String... args) throws IOException {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        send(raw);
        flush();
        return readReply();
    }

    /** Buffers one command; nothing is written to the socket before {@link #flush()} or a full buffer. */
    void send(byte[]... args) throws IOException {
        header('*', args.length);
        for (byte[] a : args) {
            header('$', a.length);
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    /**
     * The next reply as text: a simple string or an integer as written, a bulk string's content (null
     * for a null bulk), an array's elements joined by newlines; an error reply throws {@link ErrorReply}.
     */
    String readReply() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the server closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+', ':' -> line;
            case '-' -> throw new ErrorReply(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n + 2);
                if (b.length < n + 2) {
                    throw new EOFException("the server closed the connection in a bulk reply");
                }
                yield new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    all.append(i == 0 ? "" : "\n").append(readReply());
                }
                yield all.toString();
            }
            default -> throw new IOException("not a RESP2 reply: type byte " + type + ", line '" + line + "'");
        };
    }

    private void header(char type, int n) throws IOException {
        out.write(type);
        out.write(Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
        out.write('\r');
        out.write('\n');
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("the server closed the connection in a reply");
            }
            b.write(c);
        }
        if (in.read() != '\n') {
            throw new IOException("a reply line without its \\n");
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
