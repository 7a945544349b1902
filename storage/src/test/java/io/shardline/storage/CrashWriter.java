package io.shardline.storage;

import io.shardline.core.Loop;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32C;

/**
 * The child process of {@link CrashRecoveryTest}: opens the log with {@code always} on the backend
 * under test (the parent passes its {@code shardline.storage.fileio} on), then appends
 * random records from {@value #WRITERS} writers until it is killed, printing {@code backend <class>}
 * first, then {@code ack <offset>
 * <length> <crc32c>} for each acknowledged append, after its future completed.
 */
public final class CrashWriter {
    static final int WRITERS = 16;

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        Loop loop = Loop.start(LoopHarness.config("crash-writer").build());
        loop.execute(() -> {
            out.println("backend " + Storage.fileIo(loop).getClass().getSimpleName());
            out.flush();
        });
        loop.execute(() -> SegmentedLog.open(CrashRecoveryTest.config(dir)).whenComplete((log, e) -> {
            if (e != null) {
                out.println("error " + e);
                out.flush();
                System.exit(3);
            }
            out.println("open " + log.nextOffset() + " " + log.recoveryReport());
            out.flush();
            Random random = new Random(seed);
            for (int w = 0; w < WRITERS; w++) {
                appendNext(log, random, out);
            }
        }));
        new java.util.concurrent.CountDownLatch(1).await(); // until killed
    }

    private static void appendNext(SegmentedLog log, Random random, PrintStream out) {
        byte[] record = new byte[1 + random.nextInt(4000)];
        random.nextBytes(record);
        log.append(record).whenComplete((offset, e) -> {
            if (e != null) {
                out.println("error " + e);
                out.flush();
                return;
            }
            out.println("ack " + offset + " " + record.length + " " + crc(record));
            out.flush();
            appendNext(log, random, out);
        });
    }

    static long crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }
}
