package io.shardline.perf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One {@link HelloServer} in a JVM of its own ({@link HelloServerMain}), the same java, class path
 * and flags as this JVM's (the launcher's) plus the suite's heap and collector, which every
 * contender gets alike; its stderr (the runtime's log) goes to a file. Made and closed by the suite's thread; {@link #close()} is idempotent and
 * also runs from the suite's shutdown hook.
 */
final class HelloServerFork implements AutoCloseable {
    /** Every server's heap and collector: fixed, so none grows its heap during a round and another not. */
    static final List<String> HEAP_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+UseParallelGC");
    private static final long READY_SECONDS = 120;
    private static final long LIMIT_MINUTES = 30;

    private final HelloServer.Kind kind;
    private final Process process;
    private final int port;
    private final String description;
    private final List<String> flags;
    private final Path log;

    private HelloServerFork(HelloServer.Kind kind, Process process, int port, String description, List<String> flags,
                            Path log) {
        this.log = log;
        this.kind = kind;
        this.process = process;
        this.port = port;
        this.description = description;
        this.flags = flags;
    }

    /** Starts {@code kind} on {@code threads} event loops and waits until it listens. */
    static HelloServerFork start(HelloServer.Kind kind, int threads, List<String> extraFlags, Path log)
            throws IOException, InterruptedException {
        List<String> flags = new ArrayList<>();
        for (String f : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!f.startsWith("-Xm") && !f.startsWith("-XX:+Use") && !f.startsWith("-D" + ForkedWorkload.PROPERTY)) {
                flags.add(f);
            }
        }
        flags.addAll(HEAP_FLAGS);
        flags.addAll(extraFlags);
        Process p = BenchSupport.startJava(List.of(), flags, HelloServerMain.class,
                List.of(kind.label, Integer.toString(threads)), TimeUnit.MINUTES.toMillis(LIMIT_MINUTES),
                ProcessBuilder.Redirect.to(log.toFile()));
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).name("http-" + kind.label + "-stdout").start(() -> relay(p, kind, ready));
        try {
            String line = ready.get(READY_SECONDS, TimeUnit.SECONDS);
            String[] parts = line.substring(HelloServerMain.READY_PREFIX.length()).split(" ", 2);
            return new HelloServerFork(kind, p, Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "", flags, log);
        } catch (java.util.concurrent.ExecutionException | TimeoutException | RuntimeException e) {
            p.destroyForcibly();
            throw new IOException(kind.label + " server did not start: " + e.getMessage() + "; its log: "
                    + String.join(" | ", logLines(log, 10)), e);
        }
    }

    /** Completes {@code ready} with the ready line, then keeps draining the child's output so it never blocks. */
    private static void relay(Process p, HelloServer.Kind kind, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!ready.isDone() && line.startsWith(HelloServerMain.READY_PREFIX)) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException(kind.label + " server exited before it listened"));
    }

    HelloServer.Kind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    String description() {
        return description;
    }

    /** The JVM flags it runs with. */
    List<String> flags() {
        return flags;
    }

    /** The file its stderr goes to (the runtime's log: stall reports, warnings). */
    Path log() {
        return log;
    }

    /** How many lines of its log contain {@code text}. */
    long logLinesWith(String text) {
        return logLines(log, Integer.MAX_VALUE).stream().filter(l -> l.contains(text)).count();
    }

    /** The last {@code max} lines of {@code log}; none if it cannot be read. */
    private static List<String> logLines(Path log, int max) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - max), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ends its input (it closes and exits), then kills it if it has not exited 15 s later. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
