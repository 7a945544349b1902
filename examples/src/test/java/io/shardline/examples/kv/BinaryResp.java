package io.shardline.examples.kv;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A blocking RESP client that keeps replies as raw bytes, for comparing binary values (HyperLogLog
 * registers, DUMP payloads) that a UTF-8 decoding would blur. Owned by one test thread.
 */
final class BinaryResp implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    BinaryResp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** Sends one command and returns its whole reply, exactly as sent (nested aggregates included). */
    byte[] call(String... args) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(b);
            req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(req.toByteArray());
        out.flush();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        read(reply);
        return reply.toByteArray();
    }

    /** The payload of a bulk reply (null for a null bulk); fails on any other reply. */
    byte[] bulk(String... args) throws IOException {
        byte[] r = call(args);
        String text = new String(r, StandardCharsets.ISO_8859_1);
        if (text.startsWith("$-1")) {
            return null;
        }
        if (r[0] != '$') {
            throw new AssertionError("expected a bulk reply to " + String.join(" ", args) + ", got " + text);
        }
        int header = text.indexOf("\r\n") + 2;
        return java.util.Arrays.copyOfRange(r, header, r.length - 2);
    }

    private void read(ByteArrayOutputStream reply) throws IOException {
        String line = line();
        reply.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        switch (line.charAt(0)) {
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    reply.writeBytes(in.readNBytes(n + 2));
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    read(reply);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * n; i++) {
                    read(reply);
                }
            }
            default -> {
                // a one-line reply
            }
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed mid-reply after " + s);
            }
            s.append((char) c);
        }
        in.read();
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
