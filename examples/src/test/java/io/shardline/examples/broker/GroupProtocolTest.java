package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.broker.wire.KafkaWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group APIs byte by byte: FindCoordinator, the MEMBER_ID_REQUIRED join, sync, heartbeats and their
 * error paths (unknown member, illegal generation, rebalance in progress), leave, commit and fetch.
 */
class GroupProtocolTest {
    static final int FIND_COORDINATOR = 10;
    static final int JOIN = 11;
    static final int HEARTBEAT = 12;
    static final int LEAVE = 13;
    static final int SYNC = 14;
    static final int OFFSET_COMMIT = 8;
    static final int OFFSET_FETCH = 9;

    @TempDir
    Path dir;
    BrokerServer broker;
    int correlation;

    @BeforeEach
    void start() throws Exception {
        // Three shards, so most groups are coordinated by a shard other than the connection's.
        broker = BrokerServer.start(BrokerConfig.defaults(dir, 3).withNumPartitions(2),
                GroupConfig.DEFAULTS.withInitialRebalanceDelayMs(20));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** A request body written with the broker's own primitives (the frame's size and id cut off). */
    static byte[] body(Consumer<KafkaWriter> fill) {
        KafkaWriter w = new KafkaWriter(0, false);
        fill.accept(w);
        ByteBuffer b = w.finish();
        b.position(8);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static String string(ByteBuffer r) {
        int n = r.getShort();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        r.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer r) {
        byte[] b = new byte[r.getInt()];
        r.get(b);
        return b;
    }

    /** Sends one request and gives the response after its correlation id, which it checks. */
    ByteBuffer call(RawKafka c, int key, int version, byte[] body) throws Exception {
        int id = ++correlation;
        c.send(RawKafka.request(key, version, id, false, body));
        ByteBuffer r = c.receive();
        assertEquals(id, r.getInt());
        return r;
    }

    /** Waits until the group's coordinator has it in {@code state}: the two connections' requests do not keep order. */
    void awaitState(String group, ConsumerGroup.State state) throws Exception {
        int shard = OffsetStore.coordinatorOf(group, broker.config().shards());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!broker.onShard(shard, s -> {
            ConsumerGroup g = s.groups().group(group);
            return g != null && g.is(state);
        }).get(1, java.util.concurrent.TimeUnit.MINUTES)) {
            assertTrue(System.nanoTime() < deadline, "group " + group + " never reached " + state);
            Thread.onSpinWait();
        }
    }

    /** JoinGroup v5 (classic encoding, MEMBER_ID_REQUIRED applies) with one "range" protocol. */
    static byte[] join(String group, String memberId, String instanceId, int sessionMs, byte[] metadata) {
        return body(w -> w.string(group, false).int32(sessionMs).int32(10_000).string(memberId, false)
                .string(instanceId, false).string("consumer", false).int32(1).string("range", false).bytes(metadata, false));
    }

    record Joined(short error, int generation, String protocol, String leader, String memberId, int members) {
    }

    static Joined joined(ByteBuffer r) {
        assertEquals(0, r.getInt()); // throttle
        short error = r.getShort();
        int generation = r.getInt();
        String protocol = string(r);
        String leader = string(r);
        String member = string(r);
        int n = r.getInt();
        for (int i = 0; i < n; i++) {
            string(r);
            string(r); // group_instance_id (v5)
            bytes(r);
        }
        assertFalse(r.hasRemaining());
        return new Joined(error, generation, protocol, leader, member, n);
    }

    static byte[] sync(String group, int generation, String memberId, String assignTo, byte[] assignment) {
        return body(w -> {
            w.string(group, false).int32(generation).string(memberId, false).string(null, false);
            if (assignTo == null) {
                w.int32(0);
            } else {
                w.int32(1).string(assignTo, false).bytes(assignment, false);
            }
        });
    }

    /** Heartbeat v3 (with group_instance_id). */
    static byte[] heartbeat(String group, int generation, String memberId) {
        return heartbeat(group, generation, memberId, null);
    }

    static byte[] heartbeat(String group, int generation, String memberId, String instanceId) {
        return body(w -> w.string(group, false).int32(generation).string(memberId, false).string(instanceId, false));
    }

    static short error(ByteBuffer r) {
        assertEquals(0, r.getInt()); // throttle
        return r.getShort();
    }

    @Test
    void findCoordinatorGivesThisBrokerForGroupsAndNoneForTransactions() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            ByteBuffer r = call(c, FIND_COORDINATOR, 0, body(w -> w.string("some-group", false)));
            assertEquals(Errors.NONE, r.getShort());
            assertEquals(BrokerConfig.NODE_ID, r.getInt());
            assertEquals("127.0.0.1", string(r));
            assertEquals(broker.port(), r.getInt());
            assertFalse(r.hasRemaining());

            r = call(c, FIND_COORDINATOR, 1, body(w -> w.string("tx", false).int8(1)));
            assertEquals(0, r.getInt());
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, r.getShort());
            assertEquals("The coordinator is not available.", string(r));
            assertEquals(-1, r.getInt());
            assertEquals("", string(r));
            assertEquals(-1, r.getInt());

            // v4: batched keys, compact encoding, request header v2 and response header v1.
            byte[] v4 = body(w -> w.int8(0).arrayLength(2, true).string("a", true).string("b", true).noTags());
            int id = ++correlation;
            c.send(RawKafka.request(FIND_COORDINATOR, 4, id, true, v4));
            r = c.receive();
            assertEquals(id, r.getInt());
            assertEquals(0, r.get(), "response header v1: empty tags");
            assertEquals(0, r.getInt());
            assertEquals(3, r.get() & 0xFF, "two coordinators, compact");
            for (String key : new String[] {"a", "b"}) {
                assertEquals(key.length() + 1, r.get());
                assertEquals(key, new String(new byte[] {r.get()}, StandardCharsets.UTF_8));
                assertEquals(BrokerConfig.NODE_ID, r.getInt());
                assertEquals(10, r.get(), "compact \"127.0.0.1\"");
                r.position(r.position() + 9);
                assertEquals(broker.port(), r.getInt());
                assertEquals(Errors.NONE, r.getShort());
                assertEquals(0, r.get(), "null error message");
                assertEquals(0, r.get(), "tags");
            }
            assertEquals(0, r.get());
            assertFalse(r.hasRemaining());
        }
    }

    @Test
    void joinSyncHeartbeatAndTheirErrors() throws Exception {
        byte[] meta = {1, 2, 3};
        try (RawKafka c = new RawKafka(broker.port())) {
            // A heartbeat for a group nobody joined: UNKNOWN_MEMBER_ID.
            assertEquals(Errors.UNKNOWN_MEMBER_ID, error(call(c, HEARTBEAT, 3, heartbeat("g", 0, "nobody"))));
            // A session timeout below group.min.session.timeout.ms.
            assertEquals(Errors.INVALID_SESSION_TIMEOUT, joined(call(c, JOIN, 5, join("g", "", null, 10, meta))).error());
            // A join with a member id nobody handed out.
            assertEquals(Errors.UNKNOWN_MEMBER_ID, joined(call(c, JOIN, 5, join("g", "made-up", null, 10_000, meta))).error());

            Joined first = joined(call(c, JOIN, 5, join("g", "", null, 10_000, meta)));
            assertEquals(Errors.MEMBER_ID_REQUIRED, first.error());
            assertEquals(-1, first.generation());
            assertTrue(first.memberId().startsWith("raw-"), first.memberId());

            ByteBuffer r = call(c, JOIN, 5, join("g", first.memberId(), null, 10_000, meta));
            assertEquals(0, r.getInt());
            assertEquals(Errors.NONE, r.getShort());
            assertEquals(1, r.getInt());
            assertEquals("range", string(r));
            assertEquals(first.memberId(), string(r), "the only member leads");
            assertEquals(first.memberId(), string(r));
            assertEquals(1, r.getInt(), "the leader gets the members");
            assertEquals(first.memberId(), string(r));
            assertNull(string(r), "no group.instance.id");
            assertEquals(3, bytes(r).length);

            String me = first.memberId();
            // The generation is checked: wrong ones get ILLEGAL_GENERATION, in sync and heartbeat alike.
            assertEquals(Errors.ILLEGAL_GENERATION, error(call(c, SYNC, 3, sync("g", 7, me, me, new byte[] {9}))));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, error(call(c, SYNC, 3, sync("g", 1, "other", null, null))));
            // Before the leader's sync, the group is CompletingRebalance: heartbeats are fine.
            assertEquals(Errors.NONE, error(call(c, HEARTBEAT, 3, heartbeat("g", 1, me))));

            r = call(c, SYNC, 3, sync("g", 1, me, me, new byte[] {9, 8}));
            assertEquals(Errors.NONE, error(r));
            byte[] assignment = bytes(r);
            assertEquals(2, assignment.length);
            assertEquals(9, assignment[0]);
            assertFalse(r.hasRemaining());

            assertEquals(Errors.NONE, error(call(c, HEARTBEAT, 3, heartbeat("g", 1, me))));
            assertEquals(Errors.ILLEGAL_GENERATION, error(call(c, HEARTBEAT, 3, heartbeat("g", 0, me))));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, error(call(c, HEARTBEAT, 3, heartbeat("g", 1, "other"))));

            // A second member makes the group rebalance: the first learns it from its heartbeat.
            try (RawKafka c2 = new RawKafka(broker.port())) {
                Joined second = joined(call(c2, JOIN, 5, join("g", "", null, 10_000, meta)));
                assertEquals(Errors.MEMBER_ID_REQUIRED, second.error());
                int id = ++correlation;
                c2.send(RawKafka.request(JOIN, 5, id, false, join("g", second.memberId(), null, 10_000, meta)));
                awaitState("g", ConsumerGroup.State.PREPARING_REBALANCE); // c2's join and c's heartbeat race otherwise
                assertEquals(Errors.REBALANCE_IN_PROGRESS, error(call(c, HEARTBEAT, 3, heartbeat("g", 1, me))));
                assertEquals(Errors.REBALANCE_IN_PROGRESS, error(call(c, SYNC, 3, sync("g", 1, me, null, null))));
                Joined again = joined(call(c, JOIN, 5, join("g", me, null, 10_000, meta)));
                assertEquals(Errors.NONE, again.error());
                assertEquals(2, again.generation());
                assertEquals(me, again.leader(), "the leader stays");
                assertEquals(2, again.members());
                ByteBuffer r2 = c2.receive();
                assertEquals(id, r2.getInt());
                Joined follower = joined(r2);
                assertEquals(2, follower.generation());
                assertEquals(0, follower.members(), "only the leader gets the members");

                // The leader leaves (v3, batched): the other member rebalances alone and leads.
                ByteBuffer l = call(c, LEAVE, 3, body(w -> w.string("g", false).int32(2).string(me, false).string(null, false)
                        .string("not-a-member", false).string(null, false)));
                assertEquals(Errors.NONE, error(l));
                assertEquals(2, l.getInt());
                assertEquals(me, string(l));
                assertNull(string(l));
                assertEquals(Errors.NONE, l.getShort());
                assertEquals("not-a-member", string(l));
                assertNull(string(l));
                assertEquals(Errors.UNKNOWN_MEMBER_ID, l.getShort());
                assertEquals(Errors.UNKNOWN_MEMBER_ID, error(call(c, HEARTBEAT, 3, heartbeat("g", 2, me))));
                // The follower's sync of the old generation: the group has moved on.
                assertEquals(Errors.REBALANCE_IN_PROGRESS, error(call(c2, SYNC, 3, sync("g", 2, second.memberId(), null, null))));
                Joined alone = joined(call(c2, JOIN, 5, join("g", second.memberId(), null, 10_000, meta)));
                assertEquals(3, alone.generation());
                assertEquals(second.memberId(), alone.leader());
            }
        }
    }

    @Test
    void joinGroupV3NeedsNoMemberIdRoundTrip() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            byte[] v3 = body(w -> w.string("old", false).int32(10_000).int32(10_000).string("", false)
                    .string("consumer", false).int32(1).string("range", false).bytes(new byte[0], false));
            ByteBuffer r = call(c, JOIN, 3, v3);
            assertEquals(0, r.getInt());
            assertEquals(Errors.NONE, r.getShort());
            assertEquals(1, r.getInt());
            assertEquals("range", string(r));
            String leader = string(r);
            assertEquals(leader, string(r));
            // A member with a different protocol type cannot join that group.
            byte[] other = body(w -> w.string("old", false).int32(10_000).int32(10_000).string("", false)
                    .string("connect", false).int32(1).string("range", false).bytes(new byte[0], false));
            r = call(c, JOIN, 3, other);
            assertEquals(0, r.getInt());
            assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, r.getShort());
        }
    }

    @Test
    void offsetsCommitAndFetchAndGenerationChecks() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            // Auto-create a 2-partition topic through Metadata v1.
            call(c, 3, 1, body(w -> w.int32(1).string("t", false)));
            // A commit outside group management (generation -1, no member): stored.
            byte[] commit = body(w -> w.string("offsets-only", false).int32(-1).string("", false).int64(-1).int32(2)
                    .string("t", false).int32(2).int32(0).int64(42).string("meta", false).int32(1).int64(7).string(null, false)
                    .string("nope", false).int32(1).int32(0).int64(1).string(null, false));
            ByteBuffer r = call(c, OFFSET_COMMIT, 2, commit);
            assertEquals(2, r.getInt());
            assertEquals("t", string(r));
            assertEquals(2, r.getInt());
            assertEquals(0, r.getInt());
            assertEquals(Errors.NONE, r.getShort());
            assertEquals(1, r.getInt());
            assertEquals(Errors.NONE, r.getShort());
            assertEquals("nope", string(r));
            assertEquals(1, r.getInt());
            assertEquals(0, r.getInt());
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, r.getShort());

            // A commit that claims a generation of a group that has none: ILLEGAL_GENERATION.
            byte[] stale = body(w -> w.string("no-such-group", false).int32(3).string("m", false).int64(-1).int32(1)
                    .string("t", false).int32(1).int32(0).int64(5).string(null, false));
            r = call(c, OFFSET_COMMIT, 2, stale);
            assertEquals(1, r.getInt());
            string(r);
            assertEquals(1, r.getInt());
            assertEquals(0, r.getInt());
            assertEquals(Errors.ILLEGAL_GENERATION, r.getShort());

            // OffsetFetch v1: the committed offsets, -1 and empty metadata where none.
            r = call(c, OFFSET_FETCH, 1, body(w -> w.string("offsets-only", false).int32(1).string("t", false).int32(2)
                    .int32(0).int32(1)));
            assertEquals(1, r.getInt());
            assertEquals("t", string(r));
            assertEquals(2, r.getInt());
            assertEquals(0, r.getInt());
            assertEquals(42, r.getLong());
            assertEquals("meta", string(r));
            assertEquals(Errors.NONE, r.getShort());
            assertEquals(1, r.getInt());
            assertEquals(7, r.getLong());
            assertEquals("", string(r), "null metadata is stored as empty, as Kafka does");
            assertEquals(Errors.NONE, r.getShort());
            assertFalse(r.hasRemaining());

            // v3 with a null topic list: every committed offset of the group, then the top-level error.
            r = call(c, OFFSET_FETCH, 3, body(w -> w.string("offsets-only", false).int32(-1)));
            assertEquals(0, r.getInt());
            assertEquals(1, r.getInt());
            assertEquals("t", string(r));
            assertEquals(2, r.getInt());
            r.position(r.position() + 4 + 8);
            string(r);
            r.getShort();
            assertEquals(1, r.getInt());
            assertEquals(7, r.getLong());
            string(r);
            r.getShort();
            assertEquals(Errors.NONE, r.getShort());
            assertFalse(r.hasRemaining());

            // A member commit with a stale generation of a live group.
            Joined first = joined(call(c, JOIN, 5, join("live", "", null, 10_000, new byte[0])));
            Joined in = joined(call(c, JOIN, 5, join("live", first.memberId(), null, 10_000, new byte[0])));
            assertEquals(1, in.generation());
            ByteBuffer answer = call(c, OFFSET_COMMIT, 2, memberCommit("live", 5, first.memberId()));
            assertEquals(Errors.ILLEGAL_GENERATION, commitError(answer));
            answer = call(c, OFFSET_COMMIT, 2, memberCommit("live", 1, "stranger"));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, commitError(answer));
            answer = call(c, OFFSET_COMMIT, 2, memberCommit("live", 1, first.memberId()));
            assertEquals(Errors.REBALANCE_IN_PROGRESS, commitError(answer), "joined, not yet synced");
            assertEquals(Errors.NONE, error(call(c, SYNC, 3, sync("live", 1, first.memberId(), null, null))));
            answer = call(c, OFFSET_COMMIT, 2, memberCommit("live", 1, first.memberId()));
            assertEquals(Errors.NONE, commitError(answer));
            // An offsets-only commit to a group with members is refused.
            answer = call(c, OFFSET_COMMIT, 2, memberCommit("live", -1, ""));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, commitError(answer));
        }
    }

    private static byte[] memberCommit(String group, int generation, String member) {
        return body(w -> w.string(group, false).int32(generation).string(member, false).int64(-1).int32(1)
                .string("t", false).int32(1).int32(0).int64(5).string(null, false));
    }

    /** The one partition error of a one-partition OffsetCommit v2 response on topic "t". */
    private static short commitError(ByteBuffer r) {
        assertEquals(1, r.getInt());
        assertEquals("t", string(r));
        assertEquals(1, r.getInt());
        assertEquals(0, r.getInt());
        return r.getShort();
    }

    @Test
    void staticMembersJoinWithoutARoundTripAndFenceTheirOlderSelves() throws Exception {
        byte[] meta = {4};
        try (RawKafka c = new RawKafka(broker.port())) {
            Joined a = joined(call(c, JOIN, 5, join("s", "", "instance-1", 10_000, meta)));
            assertEquals(Errors.NONE, a.error(), "a static member needs no MEMBER_ID_REQUIRED round trip");
            assertEquals(1, a.generation());
            assertEquals(Errors.NONE, error(call(c, SYNC, 3, sync("s", 1, a.memberId(), a.memberId(), new byte[] {1}))));

            // The same instance comes back (a restart) without its member id: it gets a new one.
            Joined b = joined(call(c, JOIN, 5, join("s", "", "instance-1", 10_000, meta)));
            assertEquals(Errors.NONE, b.error());
            assertFalse(a.memberId().equals(b.memberId()));
            assertEquals(Errors.FENCED_INSTANCE_ID, error(call(c, HEARTBEAT, 3, heartbeat("s", b.generation(), a.memberId(),
                    "instance-1"))), "the old member id of the instance is fenced");
            assertEquals(Errors.NONE, error(call(c, HEARTBEAT, 3, heartbeat("s", b.generation(), b.memberId(), "instance-1"))));

            // It leaves by instance id alone (v3).
            ByteBuffer l = call(c, LEAVE, 3, body(w -> w.string("s", false).int32(1).string("", false).string("instance-1", false)));
            assertEquals(Errors.NONE, error(l));
            assertEquals(1, l.getInt());
            assertEquals("", string(l));
            assertEquals("instance-1", string(l));
            assertEquals(Errors.NONE, l.getShort());
            assertEquals(Errors.UNKNOWN_MEMBER_ID, error(call(c, HEARTBEAT, 3, heartbeat("s", b.generation(), b.memberId(),
                    "instance-1"))));
        }
    }

    @Test
    void leaveGroupV0AnswersTheMembersError() throws Exception {
        try (RawKafka c = new RawKafka(broker.port())) {
            ByteBuffer r = call(c, LEAVE, 0, body(w -> w.string("nobody-here", false).string("m", false)));
            assertEquals(Errors.UNKNOWN_MEMBER_ID, r.getShort());
            assertFalse(r.hasRemaining());
            r = call(c, LEAVE, 1, body(w -> w.string("", false).string("m", false)));
            assertEquals(Errors.INVALID_GROUP_ID, error(r));
            assertFalse(r.hasRemaining());
        }
    }
}
