package io.shardline.core;

import static io.shardline.core.TestSupport.failureOf;
import static io.shardline.core.TestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualThreadTest {

    /** The platform thread a mounted virtual thread runs on. */
    private static Thread carrierOf(Thread virtual) {
        try {
            Field f = Class.forName("java.lang.VirtualThread").getDeclaredField("carrierThread");
            f.setAccessible(true);
            return (Thread) f.get(virtual);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tenThousandThreadsAwaitAndSleepWithEveryStepOnTheLoopThread() {
        ManualClock clock = new ManualClock();
        try (Loop loop = Loop.start(LoopConfig.builder().clock(clock).build())) {
            int n = 10_000;
            int steps = 3;
            List<String> violations = new ArrayList<>(); // loop-confined
            int[] stepsRun = {0};
            var all = loop.callAsync(() -> {
                List<Future<Integer>> threads = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int id = i;
                    threads.add(loop.spawnThread(() -> {
                        for (int s = 0; s < steps; s++) {
                            Thread me = Thread.currentThread();
                            if (!me.isVirtual() || carrierOf(me) != loop.thread() || Loop.current() != loop) {
                                violations.add("thread " + id + " step " + s + " ran on " + carrierOf(me));
                            }
                            stepsRun[0]++;
                            Await.await(loop.sleep(Duration.ofMillis(1 + (id % 5))));
                        }
                        return id;
                    }));
                }
                return Futures.all(threads);
            });
            // Time moves only when we say so: the threads are parked in await(), not the loop.
            long deadline = System.nanoTime() + TestSupport.PATIENCE.toNanos();
            while (!all.isDone() && System.nanoTime() < deadline) {
                get(loop.call(() -> null)); // let the loop run what is ready, then move time
                clock.advance(Duration.ofMillis(5));
            }
            List<Integer> ids = get(all);
            assertEquals(n, ids.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, ids.get(i));
            }
            assertEquals(List.of(), get(loop.call(() -> List.copyOf(violations))));
            assertEquals(n * steps, get(loop.call(() -> stepsRun[0])));
            TestSupport.eventually("all threads ended", () -> loop.stats().liveThreads() == 0);
        }
    }

    @Test
    void theLoopRunsOtherTasksWhileAThreadIsParked() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            var result = loop.callAsync(() -> {
                Promise<String> gate = new Promise<>(loop);
                Future<String> t = loop.spawnThread(() -> "got " + Await.await(gate));
                // If await() blocked the loop, this task would never run and the thread never finish.
                loop.execute(() -> gate.succeed("opened"));
                return t;
            });
            assertEquals("got opened", get(result));
        }
    }

    @Test
    void threadSleepParksOnlyTheVirtualThread() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            var result = loop.callAsync(() -> {
                int[] ticks = {0};
                Future<Integer> sleeper = loop.spawnThread(() -> {
                    Thread.sleep(20); // a JDK timed park: resumed through the loop's inbox
                    if (carrierOf(Thread.currentThread()) != loop.thread()) {
                        throw new AssertionError("resumed on another carrier");
                    }
                    return ticks[0];
                });
                // Runs while the thread sleeps.
                loop.execute(() -> ticks[0]++);
                return sleeper;
            });
            assertEquals(1, get(result));
        }
    }

    @Test
    void anExceptionInAThreadFailsItsFuture() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            Throwable e = failureOf(loop.callAsync(() -> loop.spawnThread(() -> {
                throw new IllegalArgumentException("inside");
            })));
            assertEquals("inside", e.getMessage());
            assertEquals(1, get(loop.call(() -> 1)), "the loop keeps running");
        }
    }

    @Test
    void spawnThreadIsOwnerOnly() {
        try (Loop loop = Loop.start(LoopConfig.builder().build())) {
            assertThrows(AssertionError.class, () -> loop.spawnThread(() -> 1));
        }
    }

    @Test
    void withoutTheFlagTheRuntimeSaysSoAndEverythingElseWorks() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-ea", "--sun-misc-unsafe-memory-access=allow",
                "-cp", System.getProperty("java.class.path"), NoFlagMain.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), "warning names the flag: " + out);
        assertTrue(out.contains("tasks ok: 42"), out);
        assertTrue(out.contains("spawnThread refused: UnsupportedOperationException"), out);
        assertTrue(new File(java).exists());
    }

    /** Runs in a child JVM started without {@code --add-opens java.base/java.lang}. */
    public static final class NoFlagMain {
        public static void main(String[] args) throws Exception {
            try (Loop loop = Loop.start(LoopConfig.builder().build())) {
                System.out.println("tasks ok: " + loop.callAsync(() -> loop.sleep(Duration.ofMillis(1)).map(v -> 42))
                        .get(10, TimeUnit.SECONDS));
                String refused = loop.call(() -> {
                    try {
                        loop.spawnThread(() -> 1);
                        return "spawnThread worked";
                    } catch (UnsupportedOperationException e) {
                        return "spawnThread refused: " + e.getClass().getSimpleName() + " " + e.getMessage();
                    }
                }).get(10, TimeUnit.SECONDS);
                System.out.println(refused);
            }
        }
    }
}
