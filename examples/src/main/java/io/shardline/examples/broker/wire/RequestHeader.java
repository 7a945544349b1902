package io.shardline.examples.broker.wire;

/**
 * A request's header (v1, or v2 with tagged fields for flexible versions). Immutable, any thread.
 *
 * @param apiKey the API
 * @param apiVersion its version
 * @param correlationId echoed in the response
 * @param clientId the client's id, may be null
 */
public record RequestHeader(short apiKey, short apiVersion, int correlationId, String clientId) {

    /** Reads a header; {@code flexible} says whether it is v2 (tagged fields after the client id). */
    public static RequestHeader read(KafkaReader in, short apiKey, short apiVersion, boolean flexible) {
        int correlationId = in.int32();
        String clientId = in.string(false); // a classic nullable string in v1 and v2 alike
        if (flexible) {
            in.skipTaggedFields();
        }
        return new RequestHeader(apiKey, apiVersion, correlationId, clientId);
    }
}
