package io.shardline.examples.broker;

import io.shardline.core.Promise;
import io.shardline.core.Timer;
import java.util.List;

/**
 * One member of a classic consumer group: what it joined with, the join or sync it waits on, its
 * assignment and its session timer. Owned by the group's coordinator shard; not thread-safe.
 */
final class GroupMember {
    /** A protocol a member supports (an assignor, for consumers) and its metadata for it. */
    record Protocol(String name, byte[] metadata) {
    }

    final String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = new byte[0];
    /** The JoinGroup waiting for the rebalance to complete, or null. */
    Promise<GroupMessages.JoinResult> awaitingJoin;
    /** The SyncGroup waiting for the leader's assignment, or null. */
    Promise<GroupMessages.SyncResult> awaitingSync;
    /** Fires when the session times out; re-armed by every heartbeat, join and sync. */
    Timer session;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int sessionTimeoutMs,
            int rebalanceTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = protocols;
    }

    /** The metadata it gave for {@code protocol}, or null if it does not support it. */
    byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return null;
    }

    boolean supports(String protocol) {
        return metadata(protocol) != null;
    }

    /** Whether {@code other} is exactly the protocols (names, order and metadata) it joined with. */
    boolean matches(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            Protocol a = protocols.get(i);
            Protocol b = other.get(i);
            if (!a.name().equals(b.name()) || !java.util.Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }
}
