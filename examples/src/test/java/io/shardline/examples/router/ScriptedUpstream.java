package io.shardline.examples.router;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * An upstream that plays one script per connection, for failures a real server will not stage on
 * cue: it reads a request head, runs {@link Script#afterHead}, and (unless the script closed the socket)
 * then waits for the router to close the connection, counting {@link #routerClosed} down when it does.
 * Thread-safe; a virtual thread per connection.
 */
final class ScriptedUpstream implements AutoCloseable {
    /** What the upstream does once a request head has arrived; returns whether to wait for the router's close. */
    @FunctionalInterface
    interface Script {
        boolean afterHead(Socket s, OutputStream out) throws IOException;
    }

    /** Counted down when a request head has arrived. */
    final CountDownLatch headArrived = new CountDownLatch(1);
    /** Counted down when the router closed a connection the script left open. */
    final CountDownLatch routerClosed = new CountDownLatch(1);
    private final ServerSocket server;
    private final Script script;

    ScriptedUpstream(Script script) throws IOException {
        this.script = script;
        server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        RawUpstream.acceptEach(server, this::serve);
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Writes {@code text} and flushes. */
    static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Closes {@code s} with a reset, as a crashed upstream does. */
    static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            if (!RawUpstream.skipHead(in)) {
                return;
            }
            headArrived.countDown();
            if (!script.afterHead(s, s.getOutputStream())) {
                return;
            }
            while (in.read() >= 0) {
                // whatever else the router sends, until it closes
            }
            routerClosed.countDown();
        } catch (IOException e) {
            routerClosed.countDown(); // a reset is a close too
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
