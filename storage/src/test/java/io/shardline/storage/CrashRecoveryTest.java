package io.shardline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at random moments: a child JVM appends with {@code always} and reports each acknowledged
 * offset; after every kill, every acknowledged record is present and intact and the log takes appends.
 */
class CrashRecoveryTest {
    static final int ROUNDS = 20;

    @TempDir
    Path dir;

    static LogConfig config(Path dir) {
        // Small segments so that kills also land around rolls.
        return LogConfig.builder(dir).durability(Durability.always()).segmentBytes(256 << 10).maxRecordBytes(8 << 10)
                .writeBufferBytes(64 << 10).build();
    }

    record Ack(int length, long crc) {
    }

    @Test
    void everyAcknowledgedRecordSurvivesTwentySigkills() throws Exception {
        Path logDir = dir.resolve("log");
        Random random = new Random(20261126);
        Map<Long, Ack> acked = new TreeMap<>();
        int repairs = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(400);
            Map<Long, Ack> fresh = runChildAndKill(logDir, random.nextLong(), killAfter, random.nextInt(3000));
            for (var e : fresh.entrySet()) {
                Ack before = acked.put(e.getKey(), e.getValue());
                if (before != null) {
                    fail("offset " + e.getKey() + " acknowledged twice (round " + round + ")");
                }
            }
            try (LoopHarness h = new LoopHarness()) {
                SegmentedLog log = h.call(() -> SegmentedLog.open(config(logDir)));
                if (log.recoveryReport().repaired()) {
                    repairs++;
                }
                assertTrue(log.nextOffset() > (acked.isEmpty() ? -1 : ((TreeMap<Long, Ack>) acked).lastKey()),
                        "round " + round + ": log ends at " + log.nextOffset() + " before acknowledged offsets");
                for (var e : acked.entrySet()) {
                    long offset = e.getKey();
                    byte[] got = h.call(() -> log.read(offset));
                    assertEquals(e.getValue().length(), got.length, "round " + round + ", offset " + offset);
                    assertEquals(e.getValue().crc(), CrashWriter.crc(got), "round " + round + ", offset " + offset);
                }
                byte[] probe = ("probe " + round).getBytes(StandardCharsets.UTF_8);
                long offset = h.call(() -> log.append(probe));
                acked.put(offset, new Ack(probe.length, CrashWriter.crc(probe)));
                h.call(log::close);
            }
        }
        assertTrue(acked.size() > ROUNDS * 2, "acknowledged " + acked.size());
        System.out.println("crash test: " + ROUNDS + " kills, " + acked.size() + " acknowledged records verified, "
                + repairs + " recoveries repaired a tail");
    }

    /** Runs a child writer, kills it with SIGKILL after {@code killAfter} acks and a further random pause. */
    private Map<Long, Ack> runChildAndKill(Path logDir, long seed, int killAfter, int extraMicros) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-exports");
        cmd.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        cmd.add("--add-exports");
        cmd.add("java.base/sun.nio.ch=ALL-UNNAMED"); // files open with a known descriptor, for the ring
        cmd.add("--add-opens");
        cmd.add("java.base/java.lang=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        String asked = System.getProperty(Storage.FILEIO_PROPERTY);
        if (asked != null) {
            cmd.add("-D" + Storage.FILEIO_PROPERTY + "=" + asked); // the child writes on the backend under test
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(CrashWriter.class.getName());
        cmd.add(logDir.toString());
        cmd.add(Long.toString(seed));
        Process child = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Map<Long, Ack> acks = new ConcurrentHashMap<>();
        CountDownLatch enough = new CountDownLatch(1);
        AtomicInteger count = new AtomicInteger();
        AtomicReference<String> error = new AtomicReference<>();
        AtomicReference<String> backend = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split(" ");
                    if (f[0].equals("backend") && f.length == 2) {
                        backend.set(f[1]);
                    } else if (f[0].equals("ack") && f.length == 4) {
                        acks.put(Long.parseLong(f[1]), new Ack(Integer.parseInt(f[2]), Long.parseLong(f[3])));
                        if (count.incrementAndGet() >= killAfter) {
                            enough.countDown();
                        }
                    } else if (f[0].equals("error")) {
                        error.set(line);
                        enough.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // the pipe closes when the child dies
            }
            enough.countDown();
        });
        try {
            assertTrue(enough.await(60, TimeUnit.SECONDS), "the child acknowledged nothing within 60 s");
            long until = System.nanoTime() + extraMicros * 1000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // a random moment, not a sleep-based wait for an outcome
            }
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            reader.join(10_000);
        }
        if (error.get() != null) {
            fail("child reported: " + error.get());
        }
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
        String expected = (LoopHarness.testsRing() ? RingFileIo.class : HelperThreadFileIo.class).getSimpleName();
        assertEquals(expected, backend.get(), "the child wrote on the backend under test");
        return new TreeMap<>(acks);
    }
}
