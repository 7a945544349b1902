package io.shardline.examples.broker;

import io.shardline.core.Timer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One classic group's membership: its state, generation, chosen protocol, leader, members (in join
 * order), the members that were told their id but have not joined with it yet, and the static members
 * by instance id. Owned by the group's coordinator shard; not thread-safe. {@link GroupCoordinator}
 * drives its state machine.
 */
final class ConsumerGroup {
    /** Kafka's classic group states. */
    enum State {
        EMPTY("Empty"), PREPARING_REBALANCE("PreparingRebalance"), COMPLETING_REBALANCE("CompletingRebalance"),
        STABLE("Stable"), DEAD("Dead");

        final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }
    }

    final String groupId;
    State state = State.EMPTY;
    int generationId;
    String protocolType;
    /** The protocol of the current generation; null while Empty. */
    String protocolName;
    String leaderId;
    final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, by id, with the timer that forgets them. */
    final Map<String, Timer> pending = new HashMap<>();
    /** Static members: group.instance.id to the member id that holds it now. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    final Set<String> pendingSync = new HashSet<>();
    /** The delayed join of a rebalance (initial delay, then the rebalance timeout); also the pending-sync timeout. */
    Timer joinTimer;
    Timer syncTimer;
    /** The rebalance under way started from Empty: it waits the initial delay, not for every member. */
    boolean initialDelay;
    /** Set when a member joins during the initial delay, so the delay is extended once more. */
    boolean newMemberAdded;
    /** What the initial delayed join may still wait beyond its current delay. */
    long initialDelayRemainingMs;

    ConsumerGroup(String groupId) {
        this.groupId = groupId;
    }

    /** Puts {@code m} in the place of the member {@code oldId}, keeping the join order (a static member's new id). */
    void replaceMember(String oldId, GroupMember m) {
        List<GroupMember> all = new java.util.ArrayList<>(members.values());
        members.clear();
        for (GroupMember x : all) {
            GroupMember put = x.memberId.equals(oldId) ? m : x;
            members.put(put.memberId, put);
        }
    }

    boolean is(State s) {
        return state == s;
    }

    /**
     * Whether a member joining with these may join: any non-empty type and protocol list on an empty group,
     * else the group's type and at least one protocol every current member supports.
     */
    boolean supportsProtocols(String type, List<GroupMember.Protocol> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (GroupMember.Protocol p : protocols) {
            if (supportedByAll(p.name())) {
                return true;
            }
        }
        return false;
    }

    private boolean supportedByAll(String protocol) {
        for (GroupMember m : members.values()) {
            if (!m.supports(protocol)) {
                return false;
            }
        }
        return true;
    }

    /** Kafka's vote: each member picks its most preferred protocol all members support; the most picked wins. */
    String selectProtocol() {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember m : members.values()) {
            for (GroupMember.Protocol p : m.protocols) {
                if (supportedByAll(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int most = 0;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /** Every member has sent its JoinGroup for this rebalance and no id handed out is still to come back. */
    boolean allMembersJoined() {
        if (!pending.isEmpty()) {
            return false;
        }
        for (GroupMember m : members.values()) {
            if (m.awaitingJoin == null) {
                return false;
            }
        }
        return true;
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for them to rejoin. */
    int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /**
     * Kafka's member checks, in its order: a replaced static member is FENCED_INSTANCE_ID, a stranger
     * UNKNOWN_MEMBER_ID, a member of another generation ILLEGAL_GENERATION; NONE when it passes.
     */
    short checkMember(String memberId, String groupInstanceId, int generation) {
        if (isFenced(groupInstanceId, memberId)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        if (!members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return generation != generationId ? Errors.ILLEGAL_GENERATION : Errors.NONE;
    }

    /** Whether a request naming this instance id with this member id comes from an older, replaced member. */
    boolean isFenced(String groupInstanceId, String memberId) {
        if (groupInstanceId == null) {
            return false;
        }
        String current = staticMembers.get(groupInstanceId);
        return current != null && !current.equals(memberId);
    }
}
