package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.storage.Durability;
import io.shardline.storage.LogConfig;
import io.shardline.storage.SegmentedLog;
import io.shardline.storage.SnapshotStore;
import io.shardline.storage.Storage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The committed offsets of the groups one shard coordinates, and the internal logs that keep them: like
 * Kafka's {@code __consumer_offsets}, a fixed number of offset partitions ({@value #PARTITIONS}), a group in
 * the one its id hashes to, each partition a {@code storage} log in {@code <data>/__consumer_offsets-<p>}
 * owned by shard {@code p mod shards}. A fixed count keeps a group's offsets findable when the broker
 * restarts with another shard count. Owned by one shard; not thread-safe, every method runs on it.
 *
 * <p>A commit is one log record (a group and its offsets), forced to the device (group-committed by the
 * log) before it is answered and applied; a deleted topic's offsets go with a drop record. At start each
 * log is replayed from its latest snapshot; once a log holds many more records than live offsets, the
 * state is saved as a snapshot and the older segments are deleted, so the logs stay bounded.
 */
final class OffsetStore {
    private static final Logger LOG = Logger.getLogger(OffsetStore.class.getName());
    /** Offset partitions; fixed, as it is part of the data directory's layout. */
    static final int PARTITIONS = 16;
    private static final byte COMMIT = 0;
    private static final byte DROP_TOPIC = 1;
    /** Records a log takes before it may be snapshotted and truncated (and then only with twice as many as live offsets). */
    static final int SNAPSHOT_AFTER_RECORDS = 10_000;

    /**
     * A partition's committed position; {@code logOffset} is where its commit record is in the log (-1 from
     * a snapshot), so a commit applied out of order never replaces a later one.
     */
    record Committed(long offset, int leaderEpoch, String metadata, long commitTimestamp, long logOffset) {
    }

    /** One offset of an OffsetCommit. */
    record Commit(String topic, int partition, long offset, int leaderEpoch, String metadata) {
    }

    record TopicPartition(String topic, int partition) {
    }

    /** One offset partition here: its log, snapshots and the records since the last snapshot. */
    private static final class Part {
        final SegmentedLog log;
        final SnapshotStore snapshots;
        final Map<String, LinkedHashMap<TopicPartition, Committed>> groups = new HashMap<>();
        long recordsSinceSnapshot;
        /** The log offset of the newest record applied: commits apply once forced, in log order. */
        long appliedThrough = -1;
        boolean snapshotting;

        Part(SegmentedLog log, SnapshotStore snapshots) {
            this.log = log;
            this.snapshots = snapshots;
        }
    }

    private final Loop loop;
    private final Path dataDir;
    private final int shard;
    private final int shards;
    private final Part[] parts = new Part[PARTITIONS];
    private final java.util.function.LongSupplier clock;

    private final int snapshotAfterRecords;

    OffsetStore(Loop loop, Path dataDir, int shard, int shards, java.util.function.LongSupplier clock) {
        this(loop, dataDir, shard, shards, clock, SNAPSHOT_AFTER_RECORDS);
    }

    OffsetStore(Loop loop, Path dataDir, int shard, int shards, java.util.function.LongSupplier clock, int snapshotAfterRecords) {
        this.snapshotAfterRecords = snapshotAfterRecords;
        this.loop = loop;
        this.clock = clock;
        this.dataDir = dataDir;
        this.shard = shard;
        this.shards = shards;
    }

    static int partitionOf(String groupId) {
        return Math.floorMod(groupId.hashCode(), PARTITIONS);
    }

    /** The shard that coordinates {@code groupId}: the owner of its offset partition. */
    static int coordinatorOf(String groupId, int shards) {
        return partitionOf(groupId) % shards;
    }

    /** Opens the offset partitions this shard owns and replays them. */
    Future<Void> open() {
        List<Future<Void>> all = new ArrayList<>();
        for (int p = shard; p < PARTITIONS; p += shards) {
            int index = p;
            Path dir = dataDir.resolve("__consumer_offsets-" + p);
            LogConfig lc = LogConfig.builder(dir).durability(Durability.never()).segmentBytes(4 << 20)
                    .maxRecordBytes(16 << 20).writeBufferBytes(64 * 1024).build();
            SnapshotStore snaps = new SnapshotStore(dataDir.resolve("__consumer_offsets-" + p + ".snapshots"),
                    Storage.fileIo(loop));
            all.add(SegmentedLog.open(lc).flatMap(log -> {
                Part part = new Part(log, snaps);
                parts[index] = part;
                return snaps.latest().flatMap(s -> {
                    long from = log.startOffset();
                    if (s != null) {
                        applyRecords(part, s.data());
                        from = Math.max(from, s.lastOffset() + 1);
                    }
                    return log.scan(from, Long.MAX_VALUE, (offset, payload) -> {
                        apply(part, payload, offset);
                        part.appliedThrough = offset;
                        part.recordsSinceSnapshot++;
                        return true;
                    });
                });
            }).map(n -> null));
        }
        return Futures.all(all).map(l -> null);
    }

    private Part part(String groupId) {
        Part p = parts[partitionOf(groupId)];
        if (p == null) {
            throw new IllegalStateException("group " + groupId + " is not coordinated by shard " + shard);
        }
        return p;
    }

    /**
     * Stores the offsets durably; one error per offset: NONE, OFFSET_METADATA_TOO_LARGE for that one, or
     * COORDINATOR_NOT_AVAILABLE for all when the log fails (the client retries, as with Kafka).
     */
    Future<List<Short>> commit(String groupId, List<Commit> commits, int maxMetadataBytes) {
        List<Short> errors = new ArrayList<>(commits.size());
        List<Commit> ok = new ArrayList<>(commits.size());
        for (Commit c : commits) {
            boolean tooLarge = c.metadata() != null && c.metadata().length() > maxMetadataBytes;
            errors.add(tooLarge ? Errors.OFFSET_METADATA_TOO_LARGE : Errors.NONE);
            if (!tooLarge) {
                ok.add(c);
            }
        }
        if (ok.isEmpty()) {
            return Future.succeeded(errors);
        }
        Part part = part(groupId);
        long now = clock.getAsLong();
        byte[] record = encodeCommit(groupId, ok, now);
        return part.log.append(record).flatMap(o -> part.log.flush().map(v -> o)).handle((o, e) -> {
            if (e != null) {
                LOG.warning("committing offsets of group " + groupId + " failed: " + e);
                errors.replaceAll(x -> x == Errors.NONE ? Errors.COORDINATOR_NOT_AVAILABLE : x);
                return errors;
            }
            apply(part, ByteBuffer.wrap(record), o);
            part.appliedThrough = Math.max(part.appliedThrough, o);
            part.recordsSinceSnapshot++;
            maybeSnapshot(part);
            return errors;
        });
    }

    /** The group's committed offset of a partition, or null. */
    Committed fetch(String groupId, String topic, int partition) {
        Map<TopicPartition, Committed> g = part(groupId).groups.get(groupId);
        return g == null ? null : g.get(new TopicPartition(topic, partition));
    }

    /** Every committed offset of the group, in commit order of first appearance. */
    Map<TopicPartition, Committed> fetchAll(String groupId) {
        Map<TopicPartition, Committed> g = part(groupId).groups.get(groupId);
        return g == null ? Map.of() : g;
    }

    /** The groups with committed offsets in this shard's offset partitions. */
    java.util.Set<String> groupIds() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Part part : parts) {
            if (part != null) {
                out.addAll(part.groups.keySet());
            }
        }
        return out;
    }

    /** DeleteTopics: forgets every group's offsets of the topic, durably, in every partition here. */
    Future<Void> dropTopic(String topic) {
        List<Future<Void>> all = new ArrayList<>();
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        for (Part part : parts) {
            if (part == null || !holdsTopic(part, topic)) {
                continue;
            }
            byte[] record = ByteBuffer.allocate(3 + t.length).put(DROP_TOPIC).putShort((short) t.length).put(t).array();
            apply(part, ByteBuffer.wrap(record), -1); // at once: a re-created topic must not see the old offsets
            part.recordsSinceSnapshot++;
            all.add(part.log.append(record).flatMap(o -> part.log.flush()));
        }
        return Futures.all(all).map(l -> null);
    }

    private static boolean holdsTopic(Part part, String topic) {
        for (Map<TopicPartition, Committed> g : part.groups.values()) {
            for (TopicPartition tp : g.keySet()) {
                if (tp.topic().equals(topic)) {
                    return true;
                }
            }
        }
        return false;
    }

    Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != null) {
                all.add(parts[i].log.close());
                parts[i] = null;
            }
        }
        return Futures.all(all).map(l -> null);
    }

    // ------------------------------------------------------------------ records

    private static byte[] encodeCommit(String groupId, List<Commit> commits, long now) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b = putString(b.put(COMMIT), groupId);
        b = ensure(b, 4).putInt(commits.size());
        for (Commit c : commits) {
            b = putString(b, c.topic());
            b = ensure(b, 24).putInt(c.partition()).putLong(c.offset()).putInt(c.leaderEpoch()).putLong(now);
            b = putString(b, c.metadata());
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    private static ByteBuffer ensure(ByteBuffer b, int n) {
        if (b.remaining() >= n) {
            return b;
        }
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n));
        return bigger.put(b.flip());
    }

    /** An int16 length (-1 for null) and UTF-8 bytes; Kafka's strings fit in an int16 length. */
    private static ByteBuffer putString(ByteBuffer b, String s) {
        if (s == null) {
            return ensure(b, 2).putShort((short) -1);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return ensure(b, 2 + bytes.length).putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        int n = b.getShort();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Applies every record in {@code data} (a snapshot is the records that rebuild the state). */
    private static void applyRecords(Part part, ByteBuffer data) {
        while (data.hasRemaining()) {
            apply(part, data, -1);
        }
    }

    /** Applies one record found at {@code logOffset}, advancing {@code b} past it. */
    private static void apply(Part part, ByteBuffer b, long logOffset) {
        byte type = b.get();
        if (type == COMMIT) {
            String group = getString(b);
            int n = b.getInt();
            LinkedHashMap<TopicPartition, Committed> g = part.groups.computeIfAbsent(group, k -> new LinkedHashMap<>());
            for (int i = 0; i < n; i++) {
                String topic = getString(b);
                int partition = b.getInt();
                long offset = b.getLong();
                int epoch = b.getInt();
                long ts = b.getLong();
                String metadata = getString(b);
                TopicPartition tp = new TopicPartition(topic, partition);
                Committed before = g.get(tp);
                if (before == null || before.logOffset() <= logOffset || logOffset < 0) {
                    g.put(tp, new Committed(offset, epoch, metadata, ts, logOffset));
                }
            }
        } else if (type == DROP_TOPIC) {
            String topic = getString(b);
            for (Iterator<LinkedHashMap<TopicPartition, Committed>> it = part.groups.values().iterator(); it.hasNext();) {
                LinkedHashMap<TopicPartition, Committed> g = it.next();
                g.keySet().removeIf(tp -> tp.topic().equals(topic));
                if (g.isEmpty()) {
                    it.remove();
                }
            }
        } else {
            throw new IllegalStateException("offset log record of unknown type " + type);
        }
    }

    /** Saves the state as a snapshot once the log holds far more records than live offsets, then truncates it. */
    private void maybeSnapshot(Part part) {
        if (part.snapshotting || part.recordsSinceSnapshot < snapshotAfterRecords || part.appliedThrough < 0) {
            return;
        }
        long live = 0;
        for (Map<TopicPartition, Committed> g : part.groups.values()) {
            live += g.size();
        }
        if (part.recordsSinceSnapshot < 2 * live) {
            return;
        }
        ByteBuffer state = ByteBuffer.allocate(256);
        for (Map.Entry<String, LinkedHashMap<TopicPartition, Committed>> e : part.groups.entrySet()) {
            for (Map.Entry<TopicPartition, Committed> c : e.getValue().entrySet()) {
                Committed v = c.getValue();
                state = ensure(state, 1).put(COMMIT);
                state = putString(state, e.getKey());
                state = ensure(state, 4).putInt(1);
                state = putString(state, c.getKey().topic());
                state = ensure(state, 24).putInt(c.getKey().partition()).putLong(v.offset()).putInt(v.leaderEpoch())
                        .putLong(v.commitTimestamp());
                state = putString(state, v.metadata());
            }
        }
        state.flip();
        long last = part.appliedThrough; // a commit appended but not yet forced is not in the state
        part.snapshotting = true;
        part.recordsSinceSnapshot = 0;
        part.log.snapshotAndTruncate(part.snapshots, last, state).whenComplete((n, e) -> {
            part.snapshotting = false;
            if (e != null) {
                LOG.warning("snapshot of " + part.log + " failed: " + e);
            }
        });
    }
}
