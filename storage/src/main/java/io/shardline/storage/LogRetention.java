package io.shardline.storage;

import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Deletes a {@link SegmentedLog}'s oldest sealed segments: by size, by age, or below an offset a
 * snapshot covers. Owned by the log's loop; not thread-safe. The active segment is never deleted.
 */
final class LogRetention {
    private final LogConfig config;
    private final FileIo io;
    private final List<Segment> segments;
    private final Timer timer;

    /** Starts the age timer if an age is configured; it acts only while {@code logOpen} holds. */
    LogRetention(LogConfig config, FileIo io, List<Segment> segments, BooleanSupplier logOpen) {
        this.config = config;
        this.io = io;
        this.segments = segments;
        if (config.retentionAge().isZero()) {
            this.timer = null;
        } else {
            // Age retention must act on a quiet log too, not only when a roll happens.
            Duration age = config.retentionAge();
            Duration every = age.compareTo(Duration.ofMinutes(1)) < 0 ? age : Duration.ofMinutes(1);
            Loop loop = io.loop();
            this.timer = loop.schedulePeriodic(every, every, () -> {
                if (logOpen.getAsBoolean()) {
                    apply();
                }
            });
        }
    }

    /** Whether any size or age limit is configured. */
    boolean configured() {
        return config.retentionBytes() > 0 || !config.retentionAge().isZero();
    }

    /** Deletes sealed segments whose records all lie before {@code offset}; gives the number deleted. */
    Future<Integer> truncateBefore(long offset) {
        int n = 0;
        while (n < segments.size() - 1 && segments.get(n).nextOffset() <= offset) {
            n++;
        }
        return deleteOldest(n);
    }

    /** Applies the configured size and age limits to sealed segments; gives the number deleted. */
    Future<Integer> apply() {
        long total = 0;
        for (Segment s : segments) {
            total += s.end;
        }
        long now = config.wallClock().getAsLong();
        long maxAge = config.retentionAge().toMillis();
        int n = 0;
        while (n < segments.size() - 1) {
            Segment s = segments.get(n);
            boolean tooBig = config.retentionBytes() > 0 && total > config.retentionBytes();
            boolean tooOld = maxAge > 0 && s.sealed() && now - s.sealedAtMillis > maxAge;
            if (!tooBig && !tooOld) {
                break;
            }
            total -= s.end;
            n++;
        }
        return deleteOldest(n);
    }

    /** Stops the age timer. */
    void stop() {
        if (timer != null) {
            timer.cancel();
        }
    }

    private Future<Integer> deleteOldest(int n) {
        if (n == 0) {
            return Future.succeeded(0);
        }
        List<Segment> doomed = new ArrayList<>(segments.subList(0, n));
        segments.subList(0, n).clear();
        Path dir = config.directory();
        // Closed through the backend: a read still in flight on one finishes before its file goes.
        return Segment.closeAll(io, doomed, 0).flatMap(v -> io.run(() -> {
            for (Segment s : doomed) {
                Files.deleteIfExists(s.indexPath());
                Files.deleteIfExists(s.path);
            }
            FileOpener.syncDirectory(dir);
            return doomed.size();
        }));
    }
}
