package io.shardline.examples.broker;

import java.util.List;
import java.util.Map;

/**
 * What the group APIs hand the coordinator shard and what it answers: immutable records that cross the
 * mesh (a byte[] inside is handed over, not shared), any thread.
 */
final class GroupMessages {
    private GroupMessages() {
    }

    /** A JoinGroup as it reaches the coordinator; {@code requireKnownMemberId} is true from v4 on. */
    record JoinRequest(String groupId, int sessionTimeoutMs, int rebalanceTimeoutMs, String memberId,
            String groupInstanceId, String protocolType, List<GroupMember.Protocol> protocols, String clientId,
            String clientHost, boolean requireKnownMemberId) {
    }

    /** A member of a JoinGroup response's list (the leader's only). */
    record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    record JoinResult(short error, int generationId, String protocolType, String protocolName, String leader,
            String memberId, List<JoinedMember> members) {
        static JoinResult error(short error, String memberId) {
            return new JoinResult(error, -1, null, null, "", memberId, List.of());
        }
    }

    record SyncRequest(String groupId, int generationId, String memberId, String groupInstanceId, String protocolType,
            String protocolName, Map<String, byte[]> assignments) {
    }

    record SyncResult(short error, String protocolType, String protocolName, byte[] assignment) {
        static SyncResult error(short error) {
            return new SyncResult(error, null, null, new byte[0]);
        }
    }

    /** A member leaving: by member id, or (static) by instance id with an empty member id. */
    record Leaving(String memberId, String groupInstanceId) {
    }

    record LeaveResult(short error, List<Short> members) {
    }

    /** A group as ListGroups gives it. */
    record Listing(String groupId, String protocolType, String state) {
    }

    /** A group as DescribeGroups gives it; metadata and assignments only while Stable, as in Kafka. */
    record Described(String groupId, String state, String protocolType, String protocolData, List<DescribedMember> members) {
    }

    record DescribedMember(String memberId, String groupInstanceId, String clientId, String clientHost, byte[] metadata,
            byte[] assignment) {
    }
}
