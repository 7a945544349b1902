package io.shardline.net;

import java.nio.ByteBuffer;

/**
 * Writes back whatever arrives: the echo server's handler, and the smallest correct handler with
 * backpressure. One per connection, used on that connection's shard only; open for tests to extend.
 *
 * <p>Backpressure: while the peer does not read what it is sent (the write queue is over its high
 * watermark), the handler stops reading from it, so a slow reader costs the server at most the
 * watermark, never an unbounded queue.
 */
public class EchoHandler implements ConnectionHandler {

    @Override
    public void onData(Connection connection, ByteBuffer data) {
        connection.write(data);
    }

    @Override
    public void onWritabilityChanged(Connection connection, boolean writable) {
        if (writable) {
            connection.resumeReading();
        } else {
            connection.pauseReading();
        }
    }
}
