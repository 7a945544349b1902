package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One raw RESP connection of a differential test, sending commands written as lines and reading
 * replies and push frames as text ({@link RawResp}); not thread-safe.
 */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    String call(String line) throws IOException {
        send(line);
        return read();
    }

    void send(String line) throws IOException {
        out.write(RawResp.encode(RawResp.split(line)));
        out.flush();
    }

    /** The next reply or push frame. */
    String read() throws IOException {
        return RawResp.readReply(in);
    }

    /** The KV shard {@code c} lives on, from CLIENT INFO. */
    static int shardOf(RawClient c) throws IOException {
        String info = c.call("CLIENT INFO");
        Matcher m = Pattern.compile("shard=(\\d+)").matcher(info);
        assertTrue(m.find(), info);
        return Integer.parseInt(m.group(1));
    }

    /** A connection to the KV server on a shard other than {@code notOn}. */
    static RawClient otherShard(int port, int notOn) throws IOException {
        for (int i = 0; i < 200; i++) {
            RawClient c = new RawClient(port);
            if (shardOf(c) != notOn) {
                return c;
            }
            c.close();
        }
        throw new AssertionError("no connection landed off shard " + notOn);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
