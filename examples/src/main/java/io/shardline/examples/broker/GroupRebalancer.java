package io.shardline.examples.broker;

import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.examples.broker.GroupMessages.JoinResult;
import io.shardline.examples.broker.GroupMessages.JoinedMember;
import io.shardline.examples.broker.GroupMessages.SyncResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transitions of Kafka's classic group state machine that rebalances, timers and departures drive:
 * preparing a rebalance (the initial delayed join from Empty, else waiting for every member up to the
 * rebalance timeout), completing it (dropping who did not rejoin, the next generation, the protocol vote,
 * the join responses), the pending-sync timeout, session expiry and member removal. {@link GroupCoordinator}
 * validates requests and calls in here. Owned by the coordinator's shard; not thread-safe.
 */
final class GroupRebalancer {
    private final Loop loop;
    private final GroupConfig config;
    /** The coordinator's groups, to forget an empty one. */
    private final Map<String, ConsumerGroup> groups;

    GroupRebalancer(Loop loop, GroupConfig config, Map<String, ConsumerGroup> groups) {
        this.loop = loop;
        this.config = config;
        this.groups = groups;
    }

    List<JoinedMember> memberList(ConsumerGroup g) {
        List<JoinedMember> list = new ArrayList<>(g.members.size());
        for (GroupMember x : g.members.values()) {
            list.add(new JoinedMember(x.memberId, x.groupInstanceId, x.metadata(g.protocolName)));
        }
        return list;
    }


    void maybePrepareRebalance(ConsumerGroup g) {
        if (g.is(ConsumerGroup.State.STABLE) || g.is(ConsumerGroup.State.COMPLETING_REBALANCE)
                || g.is(ConsumerGroup.State.EMPTY)) {
            prepareRebalance(g);
        }
    }

    private void prepareRebalance(ConsumerGroup g) {
        if (g.is(ConsumerGroup.State.COMPLETING_REBALANCE)) {
            // Whoever waits on the leader's assignment must join again.
            for (GroupMember m : g.members.values()) {
                m.assignment = new byte[0];
                if (m.awaitingSync != null) {
                    m.awaitingSync.trySucceed(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
                    m.awaitingSync = null;
                }
            }
        }
        cancelSyncTimer(g);
        if (g.joinTimer == null) {
            g.joinTimer = loop.timer(() -> onJoinTimer(g));
        }
        int rebalance = Math.max(g.rebalanceTimeoutMs(), 1);
        if (g.is(ConsumerGroup.State.EMPTY)) {
            long delay = Math.min(config.initialRebalanceDelayMs(), rebalance);
            g.initialDelayRemainingMs = Math.max(rebalance - config.initialRebalanceDelayMs(), 0);
            g.newMemberAdded = false;
            g.joinTimer.schedule(Duration.ofMillis(delay));
            g.state = ConsumerGroup.State.PREPARING_REBALANCE;
            g.initialDelay = true;
        } else {
            g.joinTimer.schedule(Duration.ofMillis(rebalance));
            g.state = ConsumerGroup.State.PREPARING_REBALANCE;
            g.initialDelay = false;
        }
    }

    private void onJoinTimer(ConsumerGroup g) {
        if (!g.is(ConsumerGroup.State.PREPARING_REBALANCE)) {
            return;
        }
        if (g.initialDelay && g.newMemberAdded && g.initialDelayRemainingMs > 0) {
            long delay = Math.min(config.initialRebalanceDelayMs(), g.initialDelayRemainingMs);
            g.initialDelayRemainingMs -= delay;
            g.newMemberAdded = false;
            g.joinTimer.schedule(Duration.ofMillis(Math.max(delay, 1)));
            return;
        }
        completeJoin(g);
    }

    /** Completes a rebalance early once every member is back; the initial delay always runs its course. */
    void tryCompleteJoin(ConsumerGroup g) {
        if (g.is(ConsumerGroup.State.PREPARING_REBALANCE) && !g.initialDelay && g.allMembersJoined()) {
            g.joinTimer.cancel();
            completeJoin(g);
        }
    }

    private void completeJoin(ConsumerGroup g) {
        g.joinTimer.cancel();
        for (GroupMember m : new ArrayList<>(g.members.values())) {
            if (m.awaitingJoin == null) {
                removeMember(g, m); // did not rejoin in time
            }
        }
        if (g.leaderId == null || !g.members.containsKey(g.leaderId)) {
            g.leaderId = g.members.isEmpty() ? null : g.members.keySet().iterator().next();
        }
        g.generationId++;
        g.pendingSync.clear();
        if (g.members.isEmpty()) {
            g.state = ConsumerGroup.State.EMPTY;
            g.protocolName = null;
            g.protocolType = null;
            maybeForget(g);
            return;
        }
        g.protocolName = g.selectProtocol();
        g.state = ConsumerGroup.State.COMPLETING_REBALANCE;
        List<JoinedMember> all = memberList(g);
        for (GroupMember m : g.members.values()) {
            List<JoinedMember> list = m.memberId.equals(g.leaderId) ? all : List.of();
            Promise<JoinResult> p = m.awaitingJoin;
            m.awaitingJoin = null;
            g.pendingSync.add(m.memberId);
            touch(m);
            p.trySucceed(new JoinResult(Errors.NONE, g.generationId, g.protocolType, g.protocolName, g.leaderId,
                    m.memberId, list));
        }
        if (g.syncTimer == null) {
            g.syncTimer = loop.timer(() -> expirePendingSync(g));
        }
        g.syncTimer.schedule(Duration.ofMillis(Math.max(g.rebalanceTimeoutMs(), 1)));
    }

    /** Members that got their join response but sent no SyncGroup within the rebalance timeout are dropped. */
    private void expirePendingSync(ConsumerGroup g) {
        if ((g.is(ConsumerGroup.State.COMPLETING_REBALANCE) || g.is(ConsumerGroup.State.STABLE)) && !g.pendingSync.isEmpty()) {
            for (String id : new ArrayList<>(g.pendingSync)) {
                GroupMember m = g.members.get(id);
                if (m != null) {
                    removeMember(g, m);
                }
            }
            g.pendingSync.clear();
            afterRemoval(g);
        }
    }

    void cancelSyncTimer(ConsumerGroup g) {
        if (g.syncTimer != null) {
            g.syncTimer.cancel();
        }
        g.pendingSync.clear();
    }


    /** A heartbeat, join, sync or commit from the member: its session starts over. */
    void touch(GroupMember m) {
        m.session.schedule(Duration.ofMillis(m.sessionTimeoutMs));
    }

    void expireSession(ConsumerGroup g, GroupMember m) {
        if (g.members.get(m.memberId) != m) {
            return;
        }
        if (m.awaitingJoin != null && g.is(ConsumerGroup.State.PREPARING_REBALANCE)) {
            // A member waiting in a rebalance is alive until the rebalance ends (Kafka's shouldKeepAlive): the
            // rebalance timeout bounds that wait, and its session starts over with the join response.
            touch(m);
            return;
        }
        removeMember(g, m);
        afterRemoval(g);
    }

    void expirePending(ConsumerGroup g, String id) {
        if (g.pending.remove(id) != null) {
            tryCompleteJoin(g);
            maybeForget(g);
        }
    }

    /**
     * An empty group with nobody on the way in is forgotten (Dead), so ids that never come back do not pile
     * up; its committed offsets stay in the {@link OffsetStore}, which is all Kafka keeps of such a group.
     */
    void maybeForget(ConsumerGroup g) {
        if (g.is(ConsumerGroup.State.EMPTY) && g.members.isEmpty() && g.pending.isEmpty() && groups.get(g.groupId) == g) {
            g.state = ConsumerGroup.State.DEAD;
            groups.remove(g.groupId);
        }
    }

    /** Drops a member: its waiting join and sync get UNKNOWN_MEMBER_ID, its timer stops. */
    void removeMember(ConsumerGroup g, GroupMember m) {
        g.members.remove(m.memberId);
        g.pendingSync.remove(m.memberId);
        m.session.cancel();
        if (m.groupInstanceId != null && m.memberId.equals(g.staticMembers.get(m.groupInstanceId))) {
            g.staticMembers.remove(m.groupInstanceId);
        }
        if (m.awaitingJoin != null) {
            m.awaitingJoin.trySucceed(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, m.memberId));
            m.awaitingJoin = null;
        }
        if (m.awaitingSync != null) {
            m.awaitingSync.trySucceed(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
            m.awaitingSync = null;
        }
        if (m.memberId.equals(g.leaderId)) {
            g.leaderId = g.members.isEmpty() ? null : g.members.keySet().iterator().next();
        }
    }

    /** After members left or expired: rebalance a settled group, or see whether a rebalance can finish. */
    void afterRemoval(ConsumerGroup g) {
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(g);
            case PREPARING_REBALANCE -> tryCompleteJoin(g);
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ offsets
}
