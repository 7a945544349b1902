package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.MalformedRequestException;
import io.shardline.net.Connection;
import io.shardline.net.ConnectionHandler;
import io.shardline.net.FrameTooLongException;
import io.shardline.shard.Shard;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client connection: splits the stream into size-prefixed frames, hands each to {@link Requests},
 * and writes the responses in request order however the shards that serve them interleave. Owned by the
 * shard the connection lives on; every method runs there.
 *
 * <p>A Kafka broker reads one request at a time per connection; this one pipelines up to
 * {@value #MAX_PENDING} and then stops reading until responses drain. A frame over the request limit,
 * a request that does not parse or an API it does not know closes the connection, as Kafka closes it.
 */
final class BrokerConnection implements ConnectionHandler {
    private static final Logger LOG = Logger.getLogger(BrokerConnection.class.getName());
    static final int MAX_PENDING = 64;

    final BrokerServer server;
    /** Each a {@link ByteBuffer} or a {@code ByteBuffer[]} (see {@link Requests#handle}). */
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private final BiConsumer<Object, Throwable> onReply = (v, e) -> drain();
    private FrameAssembler decoder;
    private Connection connection;
    private Shard shard;
    private boolean closing;
    /** Reading is paused for too many pending responses. */
    private boolean paused;
    /** Reading is paused for a socket that does not take what is written (a slow consumer). */
    private boolean unwritable;

    BrokerConnection(BrokerServer server) {
        this.server = server;
    }

    Shard shard() {
        return shard;
    }

    /** The client's address as Kafka reports it in DescribeGroups ("/127.0.0.1"). */
    String clientHost() {
        return connection.remoteAddress() instanceof java.net.InetSocketAddress a ? String.valueOf(a.getAddress())
                : String.valueOf(connection.remoteAddress());
    }

    BrokerShard local() {
        return server.shards().local();
    }

    BrokerConfig config() {
        return server.config();
    }

    @Override
    public void onOpen(Connection c) {
        connection = c;
        shard = Shard.current();
        decoder = new FrameAssembler(server.config().maxRequestBytes(), this::onFrame);
    }

    @Override
    public void onWritabilityChanged(Connection c, boolean writable) {
        // Like a Kafka broker muting a channel whose response is still going out: no new requests meanwhile.
        unwritable = !writable;
        if (unwritable) {
            c.pauseReading();
        } else if (!paused) {
            c.resumeReading();
        }
    }

    @Override
    public void onData(Connection c, ByteBuffer data) {
        if (closing) {
            return;
        }
        try {
            decoder.decode(data);
        } catch (FrameTooLongException e) {
            close("a request over socket.request.max.bytes: " + e.getMessage());
        }
    }

    private void onFrame(ByteBuffer frame) {
        if (closing) {
            return;
        }
        Future<?> response;
        try {
            response = Requests.handle(this, frame);
        } catch (MalformedRequestException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
            close("a malformed request: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request failed on shard " + shard.id() + "; closing the connection", e);
            close("an internal error");
            return;
        }
        if (response == null) {
            return; // acks=0: no response, and nothing to keep in line for
        }
        pending.add(response);
        if (!response.isDone()) {
            response.whenComplete(onReply);
        }
        drain();
        if (pending.size() >= MAX_PENDING && !paused) {
            paused = true;
            connection.pauseReading();
        }
    }

    /** Writes every finished response at the head of the line, in order. */
    private void drain() {
        Future<?> head;
        while ((head = pending.peek()) != null && head.isDone()) {
            pending.poll();
            if (head.isFailed()) {
                LOG.log(Level.WARNING, "a request failed on shard " + shard.id() + "; closing the connection", head.cause());
                close("an internal error");
                return;
            }
            if (!write(head.getNow())) {
                return; // closed
            }
        }
        if (paused && pending.size() < MAX_PENDING / 2) {
            paused = false;
            if (!unwritable) {
                connection.resumeReading();
            }
        }
    }

    /**
     * Writes a response, its buffers in order when it comes in parts: each joins the outbound queue, and
     * the transport sends them together in its pass (one copy, into the queue). False once closed.
     */
    private boolean write(Object response) {
        if (response instanceof ByteBuffer[] parts) {
            for (ByteBuffer part : parts) {
                if (!connection.write(part)) {
                    return false;
                }
            }
            return true;
        }
        return connection.write((ByteBuffer) response);
    }

    /** Closes the connection now, dropping responses not yet written. */
    void close(String why) {
        if (!closing) {
            closing = true;
            LOG.log(Level.FINE, () -> "closing connection " + connection.remoteAddress() + " after " + why);
            pending.clear();
            connection.close();
        }
    }
}
