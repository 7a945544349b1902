package io.shardline.perf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * The storage suite's raw references: one thread writing {@link StorageLoad}'s framed records to a
 * plain buffered {@code FileChannel}, with a force after each write or none until the end. Each trial
 * writes a fresh file and deletes it. Stateless; runs on the calling thread.
 */
final class RawFileLoad {
    private RawFileLoad() {
    }

    /** One thread: write one record, force(false), repeat, for {@code nanos}; into a fresh {@code file}. */
    static StorageLoad.Result forceEachWrite(Path file, long nanos, ByteBuffer record) throws IOException {
        Histogram latency = new Histogram(StorageLoad.HIGHEST_NS, 3);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long start = System.nanoTime();
            long deadline = start + nanos;
            long appends = 0;
            long now;
            do {
                long t0 = System.nanoTime();
                writeFully(ch, record);
                ch.force(false);
                now = System.nanoTime();
                latency.recordValue(Math.min(now - t0, StorageLoad.HIGHEST_NS));
                appends++;
            } while (now - deadline < 0);
            return new StorageLoad.Result(appends, now - start, 0, latency, null, false, null, -1, -1);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One thread: write {@code records} records one after another into a fresh {@code file}; then force. */
    static StorageLoad.Result sequential(Path file, long records, ByteBuffer record) throws IOException {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            long nanos;
            long finish;
            try {
                long start = System.nanoTime();
                for (long i = 0; i < records; i++) {
                    writeFully(ch, record);
                }
                nanos = System.nanoTime() - start;
            } finally {
                long finishStart = System.nanoTime();
                try (ch) {
                    ch.force(false);
                }
                finish = System.nanoTime() - finishStart;
            }
            return new StorageLoad.Result(records, nanos, finish, null, null, false, null, -1, -1);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer record) throws IOException {
        ByteBuffer b = record.rewind();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
