package io.shardline.examples.broker;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.storage.LogConfig;
import io.shardline.storage.SegmentedLog;
import io.shardline.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One partition: its segmented log (one log record per RecordBatch, kept as sent), the in-memory
 * {@link BatchIndex}, the log end offset, the high watermark and the fetches waiting for data. Owned by
 * the shard the partition hashes to; not thread-safe, every method runs on that shard.
 */
final class PartitionLog {
    /** What an append answers: Produce's per-partition fields. */
    record Appended(short error, long baseOffset, long logAppendTime, long logStartOffset) {
    }

    /**
     * What a read answers: Fetch's per-partition fields. {@code batches} are whole RecordBatches in offset
     * order (null with an error): the cached arrays themselves, shared and never written again, so the
     * response sends them as they are, with no copy on the way.
     */
    record Read(short error, long highWatermark, long logStartOffset, byte[][] batches) {
        static final byte[][] NONE = new byte[0][];

        /** The bytes of all the batches. */
        long size() {
            long n = 0;
            if (batches != null) {
                for (byte[] b : batches) {
                    n += b.length;
                }
            }
            return n;
        }
    }

    final TopicInfo topic;
    final int partition;
    final Path directory;
    private final SegmentedLog log;
    private final BatchIndex index;
    private final ProducerStates producers;
    private final CachedBatches cached;
    private final Loop loop;
    /** The log end offset: the Kafka offset the next batch gets. */
    private long nextOffset;
    /** The offset after the last batch the log has written: what consumers may read. */
    private long highWatermark;
    private final List<FetchWatch> watches = new ArrayList<>();
    /** Set when an append failed after later ones may have taken offsets: the index no longer matches the log. */
    private boolean broken;

    private PartitionLog(TopicInfo topic, int partition, Path directory, SegmentedLog log, BatchIndex index, long next,
            ProducerStates producers, CachedBatches cached) {
        this.topic = topic;
        this.partition = partition;
        this.directory = directory;
        this.log = log;
        this.index = index;
        this.producers = producers;
        this.cached = cached;
        this.loop = Loop.current();
        this.nextOffset = next;
        this.highWatermark = next;
    }

    /**
     * Opens (or creates) the partition's log on this shard and rebuilds its index and its producers' state
     * with one scan of the batch headers; what it appends from then on is kept in {@code cache} too.
     */
    static Future<PartitionLog> open(TopicInfo topic, int partition, Path directory, LogConfig config, BatchCache cache) {
        return SegmentedLog.open(config).flatMap(log -> {
            BatchIndex index = new BatchIndex(log.startOffset());
            ProducerStates producers = new ProducerStates();
            long[] next = {0};
            return log.scan(log.startOffset(), Long.MAX_VALUE, (offset, payload) -> {
                long base = RecordBatches.baseOffset(payload);
                index.add(base, RecordBatches.maxTimestamp(payload));
                next[0] = base + RecordBatches.recordCount(payload);
                recordProducer(producers, payload, base);
                return true;
            }).map(n -> new PartitionLog(topic, partition, directory, log, index, next[0], producers,
                    new CachedBatches(cache)));
        });
    }

    /** Notes an idempotent batch (stamped with its base offset) in the producers' state. */
    private static void recordProducer(ProducerStates producers, ByteBuffer batch, long base) {
        long producerId = RecordBatches.producerId(batch);
        if (producerId >= 0) {
            int delta = RecordBatches.lastOffsetDelta(batch);
            int first = RecordBatches.baseSequence(batch);
            producers.record(producerId, RecordBatches.producerEpoch(batch), first, ProducerStates.lastSequence(first, delta),
                    base, base + delta, RecordBatches.maxTimestamp(batch));
        }
    }

    long highWatermark() {
        return highWatermark;
    }

    long logEndOffset() {
        return nextOffset;
    }

    /** The offset of the oldest batch still in the log (the end offset when it holds none). */
    long logStartOffset() {
        index.trimTo(log.startOffset());
        return index.size() > 0 ? index.base(0) : nextOffset;
    }

    /**
     * Validates one Produce partition's records, stamps and appends the batch. The future completes once
     * it is in the log (acks 0 and 1) or, for acks -1, once it is forced to the device too.
     */
    Future<Appended> append(byte[] records, short acks, int maxMessageBytes, long nowMillis) {
        short error = RecordBatches.validate(records, maxMessageBytes);
        if (error != Errors.NONE) {
            return Future.succeeded(new Appended(error, -1, -1, -1));
        }
        if (log.failure() != null || broken) {
            return Future.succeeded(new Appended(Errors.KAFKA_STORAGE_ERROR, -1, -1, -1));
        }
        ByteBuffer header = ByteBuffer.wrap(records);
        long producerId = RecordBatches.producerId(header);
        if (producerId >= 0) {
            short epoch = RecordBatches.producerEpoch(header);
            int first = RecordBatches.baseSequence(header);
            int last = ProducerStates.lastSequence(first, RecordBatches.lastOffsetDelta(header));
            long duplicate = producers.duplicateOf(producerId, epoch, first, last);
            if (duplicate >= 0) {
                return duplicate(duplicate, acks);
            }
            error = producers.check(producerId, epoch, first);
            if (error != Errors.NONE) {
                return Future.succeeded(new Appended(error, -1, -1, -1));
            }
        }
        long base = nextOffset;
        int count = RecordBatches.recordCount(header);
        boolean appendTime = topic.logAppendTime();
        RecordBatches.stamp(records, base, appendTime, nowMillis);
        nextOffset = base + count;
        index.add(base, java.nio.ByteBuffer.wrap(records).getLong(RecordBatches.MAX_TIMESTAMP_OFFSET));
        Future<Long> appended = log.append(records);
        // Asked now, not once the write is done: the log starts the force the moment the write lands (or
        // joins the one starting then), where asking after the write would wait for a loop pass and for
        // whatever was staged meanwhile to be written too.
        Future<Void> forced = acks == -1 && !appended.isFailed() ? log.flush() : null;
        if (appended.isFailed()) {
            // Refused at once (its queue is full): nothing took an offset after it, so it gives its own back.
            nextOffset = base;
            index.removeLast();
            return Future.succeeded(new Appended(Errors.KAFKA_STORAGE_ERROR, -1, -1, -1));
        }
        // Noted before the write completes: the producer's next batch (up to 5 in flight) is checked against it.
        recordProducer(producers, header, base);
        cached.add(base, records);
        Future<Long> written = appended.map(o -> {
            if (base + count > highWatermark) {
                highWatermark = base + count;
                wakeWatches();
            }
            return o;
        });
        if (forced != null) {
            written = written.flatMap(o -> forced.map(v -> o));
        }
        long appendTimeField = appendTime ? nowMillis : -1;
        return written.handle((o, e) -> {
            if (e == null) {
                return new Appended(Errors.NONE, base, appendTimeField, logStartOffset());
            }
            // Offsets after this batch may be taken already: the partition takes no more appends until a
            // restart rebuilds its index from what the log holds.
            broken = true;
            cached.clear();
            return new Appended(Errors.KAFKA_STORAGE_ERROR, -1, -1, -1);
        });
    }

    /**
     * A retry of a batch already appended at {@code base}: Kafka's answer is the first one's offset and no new
     * append. The first may still be on its way to the log (or, for acks=-1, to the device), so the answer
     * waits for a flush, which covers everything appended before it.
     */
    private Future<Appended> duplicate(long base, short acks) {
        if (acks != -1 && base < highWatermark) {
            return Future.succeeded(new Appended(Errors.NONE, base, -1, logStartOffset()));
        }
        return log.flush().handle((v, e) -> e == null ? new Appended(Errors.NONE, base, -1, logStartOffset())
                : new Appended(Errors.KAFKA_STORAGE_ERROR, -1, -1, -1));
    }

    /**
     * Reads whole batches from the one holding {@code fetchOffset} up to the high watermark, at most
     * {@code maxBytes} of them except that the first batch always comes whole (KIP-74).
     */
    Future<Read> read(long fetchOffset, int maxBytes) {
        long start = logStartOffset();
        long hw = highWatermark;
        if (fetchOffset < start || fetchOffset > nextOffset) {
            return Future.succeeded(new Read(Errors.OFFSET_OUT_OF_RANGE, hw, start, null));
        }
        if (fetchOffset >= hw || maxBytes <= 0) {
            return Future.succeeded(new Read(Errors.NONE, hw, start, Read.NONE));
        }
        if (cached.covers(fetchOffset)) {
            return Future.succeeded(new Read(Errors.NONE, hw, start, cached.read(fetchOffset, hw, maxBytes)));
        }
        int i = index.floor(fetchOffset);
        // One buffer that grows by doubling, each batch copied into it once, straight from the read.
        byte[][] buf = {new byte[Math.min(maxBytes, 64 * 1024)]};
        int[] size = {0};
        return log.scan(index.logOffset(i), Long.MAX_VALUE, (offset, payload) -> {
            if (RecordBatches.baseOffset(payload) >= hw) {
                return false;
            }
            int len = payload.remaining();
            if (size[0] > 0 && size[0] + len > maxBytes) {
                return false;
            }
            if (size[0] + len > buf[0].length) {
                buf[0] = java.util.Arrays.copyOf(buf[0], Math.max(size[0] + len, Math.min(maxBytes, buf[0].length * 2)));
            }
            payload.get(payload.position(), buf[0], size[0], len);
            size[0] += len;
            return size[0] < maxBytes;
        }).handle((n, e) -> e == null
                ? new Read(Errors.NONE, hw, start, new byte[][] {size[0] == buf[0].length ? buf[0]
                        : java.util.Arrays.copyOf(buf[0], size[0])})
                : new Read(log.failure() != null ? Errors.KAFKA_STORAGE_ERROR : Errors.OFFSET_OUT_OF_RANGE, hw,
                        logStartOffset(), null));
    }

    /** ListOffsets: {offset, timestamp} for a target timestamp or one of -1 (latest), -2 (earliest), -3 (max). */
    Future<long[]> offsetForTimestamp(long target) {
        if (target == -1) {
            return Future.succeeded(new long[] {highWatermark, -1});
        }
        if (target == -2) {
            return Future.succeeded(new long[] {logStartOffset(), -1});
        }
        logStartOffset(); // trims the index to what the log still holds
        int i = target == -3 ? index.withLargestTimestamp() : index.firstWithMaxTimestampAtLeast(target);
        if (i < 0) {
            return Future.succeeded(new long[] {-1, -1});
        }
        long ts = index.maxTimestamp(i);
        if (target == -3) {
            long last = (i + 1 < index.size() ? index.base(i + 1) : nextOffset) - 1;
            return Future.succeeded(new long[] {last, ts});
        }
        return log.read(index.logOffset(i)).map(bytes -> {
            long[] found = RecordBatches.firstAtOrAfter(java.nio.ByteBuffer.wrap(bytes), target);
            return found != null ? found : new long[] {-1, -1};
        });
    }

    /**
     * Applies the size and age retention of the log (the index follows on its next use), then forgets the
     * producers whose batches are gone or who have been silent past Kafka's expiration.
     */
    Future<Integer> applyRetention(long nowMillis) {
        return log.applyRetention().map(n -> {
            producers.expire(logStartOffset(), nowMillis);
            return n;
        });
    }

    void addWatch(FetchWatch w) {
        watches.add(w);
    }

    void removeWatch(FetchWatch w) {
        watches.remove(w);
    }

    private void wakeWatches() {
        while (!watches.isEmpty()) {
            watches.get(watches.size() - 1).fire(true); // removes itself from the list
        }
    }

    /** Ends waiting fetches and closes the log (written and forced first). */
    Future<Void> close() {
        cached.clear();
        while (!watches.isEmpty()) {
            watches.get(watches.size() - 1).fire(false);
        }
        return log.close();
    }

    /** Closes the log and removes its directory (DeleteTopics), the deletion on the shard's file helper. */
    Future<Void> delete() {
        return close().flatMap(v -> Storage.fileIo(loop).run(() -> {
            if (Files.exists(directory)) {
                try (Stream<Path> all = Files.walk(directory)) {
                    for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return null;
        }));
    }
}
