// Over 400 lines on purpose: the request side of Kafka's classic group coordinator (join, sync, heartbeat, leave,
// the commit checks, list and describe) in one file, to be read against Kafka's GroupCoordinator rule by rule;
// the timer- and departure-driven transitions are in GroupRebalancer.
package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Promise;
import io.shardline.core.Timer;
import io.shardline.examples.broker.GroupMessages.Described;
import io.shardline.examples.broker.GroupMessages.DescribedMember;
import io.shardline.examples.broker.GroupMessages.JoinRequest;
import io.shardline.examples.broker.GroupMessages.JoinResult;
import io.shardline.examples.broker.GroupMessages.JoinedMember;
import io.shardline.examples.broker.GroupMessages.LeaveResult;
import io.shardline.examples.broker.GroupMessages.Leaving;
import io.shardline.examples.broker.GroupMessages.Listing;
import io.shardline.examples.broker.GroupMessages.SyncRequest;
import io.shardline.examples.broker.GroupMessages.SyncResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The classic group coordinator of one shard: the groups whose id hashes to this shard, Kafka's state
 * machine for them (Empty, PreparingRebalance, CompletingRebalance, Stable, Dead), their session, join
 * and sync timers on this shard's wheel, and their committed offsets through {@link OffsetStore}. Owned
 * by that shard; not thread-safe, every method runs on it (other shards reach it through the mesh).
 *
 * <p>The rules follow Kafka's classic {@code GroupCoordinator}: a new dynamic member of v4+ gets an id
 * and MEMBER_ID_REQUIRED, joins again with it; a rebalance from Empty waits the initial delay (extended
 * while members keep arriving, up to the rebalance timeout), others wait until every member has rejoined
 * or the rebalance timeout passes; members that did not rejoin are dropped; the leader gets every
 * member's metadata and hands out the assignment in its SyncGroup. The transitions that timers and
 * departures drive are in {@link GroupRebalancer}; the requests and answers in {@link GroupMessages}.
 */
final class GroupCoordinator {
    private final Loop loop;
    private final GroupConfig config;
    final OffsetStore offsets;
    private final Map<String, ConsumerGroup> groups = new HashMap<>();
    private final GroupRebalancer rebalance;

    GroupCoordinator(Loop loop, GroupConfig config, OffsetStore offsets) {
        this.loop = loop;
        this.config = config;
        this.offsets = offsets;
        this.rebalance = new GroupRebalancer(loop, config, groups);
    }

    ConsumerGroup group(String groupId) {
        return groups.get(groupId);
    }

    // ------------------------------------------------------------------ JoinGroup

    Future<JoinResult> join(JoinRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return Future.succeeded(JoinResult.error(Errors.INVALID_GROUP_ID, r.memberId()));
        }
        if (r.sessionTimeoutMs() < config.minSessionTimeoutMs() || r.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            return Future.succeeded(JoinResult.error(Errors.INVALID_SESSION_TIMEOUT, r.memberId()));
        }
        boolean unknown = r.memberId().isEmpty();
        ConsumerGroup g = groups.get(r.groupId());
        if (g == null) {
            if (!unknown) {
                return Future.succeeded(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
            }
            g = new ConsumerGroup(r.groupId()); // kept only once the join gets through the checks
        }
        if (g.is(ConsumerGroup.State.DEAD)) {
            return Future.succeeded(JoinResult.error(Errors.COORDINATOR_NOT_AVAILABLE, r.memberId()));
        }
        if (!g.supportsProtocols(r.protocolType(), r.protocols())) {
            return Future.succeeded(JoinResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL, r.memberId()));
        }
        groups.putIfAbsent(r.groupId(), g);
        return unknown ? joinNew(g, r) : joinKnown(g, r);
    }

    private Future<JoinResult> joinNew(ConsumerGroup g, JoinRequest r) {
        String id = (r.clientId() == null ? "" : r.clientId()) + "-" + UUID.randomUUID();
        if (r.groupInstanceId() != null) {
            String old = g.staticMembers.get(r.groupInstanceId());
            if (old != null && g.members.containsKey(old)) {
                return replaceStatic(g, g.members.get(old), id, r);
            }
            return addAndRebalance(g, id, r);
        }
        if (r.requireKnownMemberId()) {
            // The id goes back first, so a client that dies before its second join leaves nothing behind.
            Timer t = loop.timer(() -> rebalance.expirePending(g, id));
            g.pending.put(id, t);
            t.schedule(Duration.ofMillis(r.sessionTimeoutMs()));
            return Future.succeeded(JoinResult.error(Errors.MEMBER_ID_REQUIRED, id));
        }
        return addAndRebalance(g, id, r);
    }

    private Future<JoinResult> joinKnown(ConsumerGroup g, JoinRequest r) {
        Timer pending = g.pending.remove(r.memberId());
        if (pending != null) {
            pending.cancel();
            return addAndRebalance(g, r.memberId(), r);
        }
        if (g.isFenced(r.groupInstanceId(), r.memberId())) {
            return Future.succeeded(JoinResult.error(Errors.FENCED_INSTANCE_ID, r.memberId()));
        }
        GroupMember m = g.members.get(r.memberId());
        if (m == null) {
            return Future.succeeded(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
        }
        switch (g.state) {
            case PREPARING_REBALANCE:
                return updateAndRebalance(g, m, r);
            case COMPLETING_REBALANCE:
                if (m.matches(r.protocols())) {
                    rebalance.touch(m);
                    return Future.succeeded(currentGeneration(g, m)); // a retried join: same answer as before
                }
                return updateAndRebalance(g, m, r);
            case STABLE:
                if (m.memberId.equals(g.leaderId) || !m.matches(r.protocols())) {
                    return updateAndRebalance(g, m, r);
                }
                rebalance.touch(m);
                return Future.succeeded(currentGeneration(g, m));
            default:
                return Future.succeeded(JoinResult.error(Errors.UNKNOWN_MEMBER_ID, r.memberId()));
        }
    }

    /** The answer of the current generation: the leader gets the members, the others an empty list. */
    private JoinResult currentGeneration(ConsumerGroup g, GroupMember m) {
        List<JoinedMember> list = m.memberId.equals(g.leaderId) ? rebalance.memberList(g) : List.of();
        return new JoinResult(Errors.NONE, g.generationId, g.protocolType, g.protocolName, g.leaderId, m.memberId, list);
    }

    private Future<JoinResult> addAndRebalance(ConsumerGroup g, String id, JoinRequest r) {
        GroupMember m = newMember(g, id, r);
        if (g.members.isEmpty()) {
            g.protocolType = r.protocolType();
        }
        g.members.put(id, m);
        if (g.leaderId == null) {
            g.leaderId = id;
        }
        if (r.groupInstanceId() != null) {
            g.staticMembers.put(r.groupInstanceId(), id);
        }
        if (g.is(ConsumerGroup.State.PREPARING_REBALANCE) && g.generationId == 0) {
            g.newMemberAdded = true;
        }
        return awaitJoin(g, m);
    }

    private Future<JoinResult> updateAndRebalance(ConsumerGroup g, GroupMember m, JoinRequest r) {
        m.protocols = r.protocols();
        m.sessionTimeoutMs = r.sessionTimeoutMs();
        m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        if (m.awaitingJoin != null) {
            // A second join of the same member replaces the first; should anyone still read that one, it rejoins.
            m.awaitingJoin.trySucceed(JoinResult.error(Errors.REBALANCE_IN_PROGRESS, m.memberId));
        }
        return awaitJoin(g, m);
    }

    /**
     * A static member came back with no member id: it takes a new id and the old one is fenced. In a
     * Stable group with unchanged protocols it keeps its assignment without a rebalance, as in Kafka.
     */
    private Future<JoinResult> replaceStatic(ConsumerGroup g, GroupMember old, String id, JoinRequest r) {
        GroupMember m = newMember(g, id, r);
        m.assignment = old.assignment;
        if (old.session != null) {
            old.session.cancel();
        }
        if (old.awaitingJoin != null) {
            old.awaitingJoin.trySucceed(JoinResult.error(Errors.FENCED_INSTANCE_ID, old.memberId));
        }
        if (old.awaitingSync != null) {
            old.awaitingSync.trySucceed(SyncResult.error(Errors.FENCED_INSTANCE_ID));
        }
        // Keep the join order: the new id takes the old one's place.
        g.replaceMember(old.memberId, m);
        g.staticMembers.put(r.groupInstanceId(), id);
        if (old.memberId.equals(g.leaderId)) {
            g.leaderId = id;
        }
        if (g.pendingSync.remove(old.memberId)) {
            g.pendingSync.add(id);
        }
        boolean same = old.matches(r.protocols());
        if (g.is(ConsumerGroup.State.STABLE) && same && !id.equals(g.leaderId)) {
            rebalance.touch(m);
            return Future.succeeded(currentGeneration(g, m));
        }
        return awaitJoin(g, m);
    }

    /** The member waits in the rebalance this starts (or joins), which may complete at once. */
    private Future<JoinResult> awaitJoin(ConsumerGroup g, GroupMember m) {
        Promise<JoinResult> p = new Promise<>(loop);
        m.awaitingJoin = p;
        rebalance.touch(m);
        rebalance.maybePrepareRebalance(g);
        rebalance.tryCompleteJoin(g);
        return p;
    }

    /** A new member as the request describes it, with its session timer (not armed yet). */
    private GroupMember newMember(ConsumerGroup g, String id, JoinRequest r) {
        GroupMember m = new GroupMember(id, r.groupInstanceId(), r.clientId() != null ? r.clientId() : "", r.clientHost(),
                r.sessionTimeoutMs(), r.rebalanceTimeoutMs(), r.protocols());
        m.session = loop.timer(() -> rebalance.expireSession(g, m));
        return m;
    }

    // ------------------------------------------------------------------ SyncGroup

    Future<SyncResult> sync(SyncRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return Future.succeeded(SyncResult.error(Errors.INVALID_GROUP_ID));
        }
        ConsumerGroup g = groups.get(r.groupId());
        if (g == null) {
            return Future.succeeded(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
        }
        if (g.is(ConsumerGroup.State.DEAD)) {
            return Future.succeeded(SyncResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        short checked = g.checkMember(r.memberId(), r.groupInstanceId(), r.generationId());
        if (checked != Errors.NONE) {
            return Future.succeeded(SyncResult.error(checked));
        }
        GroupMember m = g.members.get(r.memberId());
        if ((r.protocolType() != null && !r.protocolType().equals(g.protocolType))
                || (r.protocolName() != null && !r.protocolName().equals(g.protocolName))) {
            return Future.succeeded(SyncResult.error(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        switch (g.state) {
            case PREPARING_REBALANCE:
                return Future.succeeded(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE: {
                g.pendingSync.remove(m.memberId);
                rebalance.touch(m);
                if (m.awaitingSync != null) {
                    m.awaitingSync.trySucceed(SyncResult.error(Errors.REBALANCE_IN_PROGRESS));
                }
                Promise<SyncResult> p = new Promise<>(loop);
                m.awaitingSync = p;
                if (m.memberId.equals(g.leaderId)) {
                    for (GroupMember x : g.members.values()) {
                        byte[] a = r.assignments().get(x.memberId);
                        x.assignment = a != null ? a : new byte[0];
                    }
                    g.state = ConsumerGroup.State.STABLE;
                    for (GroupMember x : g.members.values()) {
                        if (x.awaitingSync != null) {
                            Promise<SyncResult> q = x.awaitingSync;
                            x.awaitingSync = null;
                            q.trySucceed(new SyncResult(Errors.NONE, g.protocolType, g.protocolName, x.assignment));
                        }
                    }
                }
                return p;
            }
            case STABLE:
                g.pendingSync.remove(m.memberId);
                rebalance.touch(m);
                return Future.succeeded(new SyncResult(Errors.NONE, g.protocolType, g.protocolName, m.assignment));
            default:
                return Future.succeeded(SyncResult.error(Errors.UNKNOWN_MEMBER_ID));
        }
    }

    // ------------------------------------------------------------------ Heartbeat and LeaveGroup

    short heartbeat(String groupId, int generationId, String memberId, String groupInstanceId) {
        if (groupId == null || groupId.isEmpty()) {
            return Errors.INVALID_GROUP_ID;
        }
        ConsumerGroup g = groups.get(groupId);
        if (g == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (g.is(ConsumerGroup.State.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        short checked = g.checkMember(memberId, groupInstanceId, generationId);
        if (checked != Errors.NONE) {
            return checked;
        }
        GroupMember m = g.members.get(memberId);
        rebalance.touch(m);
        return g.is(ConsumerGroup.State.PREPARING_REBALANCE) ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    /**
     * Removes each leaving member: a group-level error with no member list (invalid id, dead group), or
     * NONE and one error per member, in order.
     */
    LeaveResult leave(String groupId, List<Leaving> leaving) {
        if (groupId == null || groupId.isEmpty()) {
            return new LeaveResult(Errors.INVALID_GROUP_ID, List.of());
        }
        ConsumerGroup g = groups.get(groupId);
        List<Short> out = new ArrayList<>(leaving.size());
        if (g == null) {
            for (int i = 0; i < leaving.size(); i++) {
                out.add(Errors.UNKNOWN_MEMBER_ID);
            }
            return new LeaveResult(Errors.NONE, out);
        }
        if (g.is(ConsumerGroup.State.DEAD)) {
            return new LeaveResult(Errors.COORDINATOR_NOT_AVAILABLE, List.of());
        }
        for (Leaving l : leaving) {
            out.add(leaveOne(g, l));
        }
        rebalance.afterRemoval(g);
        rebalance.maybeForget(g);
        return new LeaveResult(Errors.NONE, out);
    }

    private short leaveOne(ConsumerGroup g, Leaving l) {
        String id = l.memberId();
        if (l.groupInstanceId() != null) {
            String current = g.staticMembers.get(l.groupInstanceId());
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!id.isEmpty() && !id.equals(current)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            id = current;
        }
        Timer pending = g.pending.remove(id);
        if (pending != null) {
            pending.cancel();
            return Errors.NONE;
        }
        GroupMember m = g.members.get(id);
        if (m == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        rebalance.removeMember(g, m);
        return Errors.NONE;
    }

    /**
     * Checks an OffsetCommit's generation and member as Kafka does; NONE lets the commit through. A group
     * that only stores offsets (generation -1, no members) is created Empty.
     */
    short validateCommit(String groupId, int generationId, String memberId, String groupInstanceId) {
        ConsumerGroup g = groups.get(groupId);
        if (g == null) {
            if (generationId >= 0) {
                return Errors.ILLEGAL_GENERATION;
            }
            return Errors.NONE;
        }
        if (g.is(ConsumerGroup.State.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && g.is(ConsumerGroup.State.EMPTY)) {
            return Errors.NONE;
        }
        short checked = g.checkMember(memberId, groupInstanceId, generationId);
        if (checked != Errors.NONE) {
            return checked;
        }
        GroupMember m = g.members.get(memberId);
        if (g.is(ConsumerGroup.State.COMPLETING_REBALANCE)) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        rebalance.touch(m);
        return Errors.NONE;
    }

    /** Commits after {@link #validateCommit}: one error per offset, the same one for all when the check fails. */
    Future<List<Short>> commit(String groupId, int generationId, String memberId, String groupInstanceId,
            List<OffsetStore.Commit> commits) {
        short error = validateCommit(groupId, generationId, memberId, groupInstanceId);
        if (error != Errors.NONE) {
            List<Short> all = new ArrayList<>(commits.size());
            for (int i = 0; i < commits.size(); i++) {
                all.add(error);
            }
            return Future.succeeded(all);
        }
        return offsets.commit(groupId, commits, config.offsetMetadataMaxBytes());
    }

    // ------------------------------------------------------------------ ListGroups and DescribeGroups

    /** The groups here: those with members or on their way in, and those that only have committed offsets (Empty). */
    List<Listing> list() {
        List<Listing> out = new ArrayList<>();
        for (ConsumerGroup g : groups.values()) {
            out.add(new Listing(g.groupId, g.protocolType != null ? g.protocolType : "", g.state.wireName));
        }
        for (String id : offsets.groupIds()) {
            if (!groups.containsKey(id)) {
                out.add(new Listing(id, "", ConsumerGroup.State.EMPTY.wireName));
            }
        }
        return out;
    }

    Described describe(String groupId) {
        ConsumerGroup g = groups.get(groupId);
        if (g == null) {
            String state = !offsets.fetchAll(groupId).isEmpty() ? ConsumerGroup.State.EMPTY.wireName
                    : ConsumerGroup.State.DEAD.wireName;
            return new Described(groupId, state, "", "", List.of());
        }
        boolean stable = g.is(ConsumerGroup.State.STABLE);
        List<DescribedMember> members = new ArrayList<>(g.members.size());
        byte[] none = new byte[0];
        for (GroupMember m : g.members.values()) {
            byte[] meta = stable ? m.metadata(g.protocolName) : null;
            members.add(new DescribedMember(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    meta != null ? meta : none, stable ? m.assignment : none));
        }
        return new Described(groupId, g.state.wireName, g.protocolType != null ? g.protocolType : "",
                stable && g.protocolName != null ? g.protocolName : "", members);
    }

    /** Fails every waiting join and sync (the broker stops) and cancels every timer. */
    void close() {
        for (ConsumerGroup g : groups.values()) {
            if (g.joinTimer != null) {
                g.joinTimer.cancel();
            }
            rebalance.cancelSyncTimer(g);
            for (Timer t : g.pending.values()) {
                t.cancel();
            }
            for (GroupMember m : g.members.values()) {
                m.session.cancel();
                if (m.awaitingJoin != null) {
                    m.awaitingJoin.trySucceed(JoinResult.error(Errors.COORDINATOR_NOT_AVAILABLE, m.memberId));
                }
                if (m.awaitingSync != null) {
                    m.awaitingSync.trySucceed(SyncResult.error(Errors.COORDINATOR_NOT_AVAILABLE));
                }
            }
        }
        groups.clear();
    }
}
