package io.shardline.examples.router;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An upstream written by hand, for what the JDK's server will not do: while {@link #broken} it
 * accepts and closes every connection before answering (a reset, not a refusal); otherwise it answers
 * each request on a keep-alive connection with {@link #response}. Thread-safe; a virtual thread per
 * connection.
 */
final class RawUpstream implements AutoCloseable {
    final AtomicInteger accepts = new AtomicInteger();
    volatile boolean broken;
    volatile String response;
    private final ServerSocket server;

    RawUpstream(String body) throws IOException {
        this.response = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        acceptEach(server, this::serve);
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Accepts on {@code server} until it closes, serving each connection on a virtual thread of its own. */
    static void acceptEach(ServerSocket server, Consumer<Socket> serve) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve.accept(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void serve(Socket s) {
        accepts.incrementAndGet();
        try (s) {
            if (broken) {
                s.setSoLinger(true, 0); // a reset
                return;
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                if (!skipHead(in)) { // the tests send no bodies here
                    return;
                }
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException e) {
            // the router closed the connection
        }
    }

    /** Reads to the blank line that ends a request head; false if the input ended first. */
    static boolean skipHead(InputStream in) throws IOException {
        int run = 0;
        int b;
        while (run < 4 && (b = in.read()) >= 0) {
            run = (b == '\r' && (run == 0 || run == 2)) || (b == '\n' && (run == 1 || run == 3)) ? run + 1 : 0;
        }
        return run == 4;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
