package io.shardline.examples.broker.wire;

/**
 * A request that does not parse as its API and version say it should. Thrown on the connection's shard;
 * the connection closes, as a Kafka broker closes it on an {@code InvalidRequestException}.
 */
public final class MalformedRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedRequestException(String message) {
        super(message, null, false, false);
    }
}
