package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.examples.broker.wire.KafkaReader;
import io.shardline.examples.broker.wire.KafkaWriter;
import io.shardline.examples.broker.wire.MalformedRequestException;
import io.shardline.examples.broker.wire.RequestHeader;
import java.nio.ByteBuffer;

/**
 * Reads a request's header and hands the body to its API. Stateless; runs on the connection's shard.
 *
 * <p>As a Kafka broker does: an API it does not know, or a version of one outside the advertised range,
 * closes the connection, except ApiVersions, which answers any version with a v0 UNSUPPORTED_VERSION
 * error listing every API, so an old or new client can find a version both sides speak.
 */
final class Requests {
    private Requests() {
    }

    /**
     * The response frame's future, or null when none is sent (Produce with acks=0): a {@link ByteBuffer},
     * or a {@code ByteBuffer[]} to write in order (Fetch, whose batches are not copied into the frame).
     */
    static Future<?> handle(BrokerConnection c, ByteBuffer frame) {
        KafkaReader in = new KafkaReader(frame);
        short key = in.int16();
        short version = in.int16();
        Api api = Api.of(key);
        if (api == null) {
            throw new MalformedRequestException("unknown API key " + key);
        }
        if (!api.supports(version)) {
            if (api == Api.API_VERSIONS) {
                RequestHeader h = RequestHeader.read(in, key, version, version >= api.firstFlexible);
                return Future.succeeded(ApiVersionsApi.response(h.correlationId(), (short) 0, Errors.UNSUPPORTED_VERSION));
            }
            throw new MalformedRequestException("unsupported version " + version + " of " + api);
        }
        boolean flexible = api.flexible(version);
        RequestHeader h = RequestHeader.read(in, key, version, flexible);
        return switch (api) {
            case API_VERSIONS -> ApiVersionsApi.handle(h, in);
            case METADATA -> MetadataApi.handle(c, h, in);
            case PRODUCE -> ProduceApi.handle(c, h, in);
            case FETCH -> FetchApi.handle(c, h, in);
            case LIST_OFFSETS -> ListOffsetsApi.handle(c, h, in);
            case CREATE_TOPICS -> CreateTopicsApi.handle(c, h, in);
            case DELETE_TOPICS -> DeleteTopicsApi.handle(c, h, in);
            case DESCRIBE_CONFIGS -> DescribeConfigsApi.handle(c, h, in);
            case INIT_PRODUCER_ID -> InitProducerIdApi.handle(c, h, in);
            case FIND_COORDINATOR -> FindCoordinatorApi.handle(c, h, in);
            case JOIN_GROUP -> JoinGroupApi.handle(c, h, in);
            case SYNC_GROUP -> SyncGroupApi.handle(c, h, in);
            case HEARTBEAT -> HeartbeatApi.handle(c, h, in);
            case LEAVE_GROUP -> LeaveGroupApi.handle(c, h, in);
            case OFFSET_COMMIT -> OffsetCommitApi.handle(c, h, in);
            case OFFSET_FETCH -> OffsetFetchApi.handle(c, h, in);
            case DESCRIBE_GROUPS -> DescribeGroupsApi.handle(c, h, in);
            case LIST_GROUPS -> ListGroupsApi.handle(c, h, in);
            case OFFSET_FOR_LEADER_EPOCH -> OffsetForLeaderEpochApi.handle(c, h, in);
        };
    }

    /** A response writer for {@code h}: header v1 for flexible versions (ApiVersions keeps v0). */
    static KafkaWriter writer(RequestHeader h) {
        Api api = Api.of(h.apiKey());
        return new KafkaWriter(h.correlationId(), api != Api.API_VERSIONS && api.flexible(h.apiVersion()));
    }

    /** As {@link #writer(RequestHeader)}, sized for a body of about {@code expectedBytes}. */
    static KafkaWriter writer(RequestHeader h, int expectedBytes) {
        Api api = Api.of(h.apiKey());
        return new KafkaWriter(h.correlationId(), api != Api.API_VERSIONS && api.flexible(h.apiVersion()), expectedBytes);
    }

    static boolean flexible(RequestHeader h) {
        return Api.of(h.apiKey()).flexible(h.apiVersion());
    }
}
