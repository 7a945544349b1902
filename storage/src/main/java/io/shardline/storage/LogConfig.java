package io.shardline.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How a {@link SegmentedLog} is laid out and when its appends count as done. Immutable, any thread;
 * build with {@link #builder(Path)}.
 *
 * @param directory where the segments live, one log per directory
 * @param durability when an append completes
 * @param segmentBytes a segment rolls once it would grow past this; a record bigger than this gets a segment alone
 * @param maxRecordBytes the largest payload an append takes
 * @param writeBufferBytes each of the two staging buffers; appends batch into one while the other is written (a
 *     record too big for one is written on its own from a buffer of its size)
 * @param indexIntervalBytes bytes of records between two index entries
 * @param maxQueuedBytes appends beyond this many bytes waiting for buffer space fail at once
 * @param direct use O_DIRECT where the file system allows it
 * @param retentionBytes delete the oldest sealed segments while the log is larger; 0 keeps all
 * @param retentionAge delete sealed segments older than this; zero keeps all
 * @param wallClock milliseconds since the epoch, for segment ages
 */
public record LogConfig(Path directory, Durability durability, int segmentBytes, int maxRecordBytes,
        int writeBufferBytes, int indexIntervalBytes, long maxQueuedBytes, boolean direct, long retentionBytes,
        Duration retentionAge, LongSupplier wallClock) {

    public LogConfig {
        if (directory == null || durability == null || retentionAge == null || wallClock == null) {
            throw new IllegalArgumentException("log config: directory, durability, retention age and clock must be set");
        }
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive, got " + maxRecordBytes);
        }
        if (writeBufferBytes < 4 * FileOpener.MIN_ALIGNMENT) {
            throw new IllegalArgumentException("writeBufferBytes must be at least " + 4 * FileOpener.MIN_ALIGNMENT + ", got "
                    + writeBufferBytes);
        }
        if (maxRecordBytes > (1 << 30)) {
            throw new IllegalArgumentException("maxRecordBytes must be at most 1 GiB, got " + maxRecordBytes);
        }
        if (segmentBytes < SegmentHeader.SIZE + RecordFormat.HEADER || segmentBytes > (1 << 30)) {
            throw new IllegalArgumentException("segmentBytes must be " + (SegmentHeader.SIZE + RecordFormat.HEADER)
                    + " bytes to 1 GiB, got " + segmentBytes);
        }
        if (indexIntervalBytes < 0 || maxQueuedBytes < 0 || retentionBytes < 0 || retentionAge.isNegative()) {
            throw new IllegalArgumentException("log config: index interval, queue limit and retention must not be negative");
        }
    }

    /**
     * The system property that, set to {@code false}, makes an {@code always} log force each write with
     * {@code fdatasync} instead of writing to O_DSYNC files (to compare the two; the default is {@code true}).
     */
    public static final String DSYNC_PROPERTY = "shardline.storage.dsync";

    /**
     * Whether the log opens its active segments with O_DSYNC: under {@link Durability#always()} (unless
     * {@value #DSYNC_PROPERTY} is {@code false}), so that a durable append is one write that returns once
     * its bytes, and every earlier write to the file, are on the device, with no {@code fdatasync} after it.
     * Every write to such a file is durable, the segment header's included, so nothing written earlier
     * can be left behind in a cache.
     */
    public boolean syncedWrites() {
        return durability.mode() == Durability.Mode.ALWAYS
                && !"false".equalsIgnoreCase(System.getProperty(DSYNC_PROPERTY, "true").trim());
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /** Collects settings; not thread-safe. */
    public static final class Builder {
        private final Path directory;
        private Durability durability = Durability.always();
        private int segmentBytes = 64 << 20;
        private int maxRecordBytes = 1 << 20;
        private int writeBufferBytes = 4 << 20;
        private int indexIntervalBytes = 4096;
        private long maxQueuedBytes = 64L << 20;
        private boolean direct = true;
        private long retentionBytes;
        private Duration retentionAge = Duration.ZERO;
        private LongSupplier wallClock = System::currentTimeMillis;

        private Builder(Path directory) {
            this.directory = directory;
        }

        public Builder durability(Durability d) {
            this.durability = d;
            return this;
        }

        public Builder segmentBytes(int bytes) {
            this.segmentBytes = bytes;
            return this;
        }

        public Builder maxRecordBytes(int bytes) {
            this.maxRecordBytes = bytes;
            return this;
        }

        public Builder writeBufferBytes(int bytes) {
            this.writeBufferBytes = bytes;
            return this;
        }

        public Builder indexIntervalBytes(int bytes) {
            this.indexIntervalBytes = bytes;
            return this;
        }

        public Builder maxQueuedBytes(long bytes) {
            this.maxQueuedBytes = bytes;
            return this;
        }

        public Builder direct(boolean useDirect) {
            this.direct = useDirect;
            return this;
        }

        public Builder retentionBytes(long bytes) {
            this.retentionBytes = bytes;
            return this;
        }

        public Builder retentionAge(Duration age) {
            this.retentionAge = age;
            return this;
        }

        public Builder wallClock(LongSupplier millis) {
            this.wallClock = millis;
            return this;
        }

        public LogConfig build() {
            return new LogConfig(directory, durability, segmentBytes, maxRecordBytes, writeBufferBytes, indexIntervalBytes,
                    maxQueuedBytes, direct, retentionBytes, retentionAge, wallClock);
        }
    }
}
