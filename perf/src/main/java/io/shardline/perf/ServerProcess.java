package io.shardline.perf;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A server a suite started as a process of its own (redis-server, Shardline kv or broker through the
 * launcher as a user runs it, a Kafka broker), on its own port, its output in a log file. {@link #close()} stops it:
 * SIGTERM, then SIGKILL if it has not exited 15 s later. Made and closed by the suite's thread; also
 * closed by the suite's shutdown hook (close is idempotent and safe from any thread).
 */
final class ServerProcess implements AutoCloseable {
    private static final long READY_TIMEOUT_MILLIS = 120_000;

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServerProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Whether a server answers on its port yet (an IOException: not yet). */
    interface Probe {
        boolean ready(int port) throws IOException;
    }

    /**
     * Starts {@code command} in {@code dir}, its stdout and stderr in {@code log}, and waits until it
     * answers PING on {@code port}; fails (and stops it) if it exits first or is not ready in time.
     */
    static ServerProcess start(String name, int port, List<String> command, Path dir, Path log)
            throws IOException, InterruptedException {
        return start(name, port, command, dir, log, ServerProcess::answersPing);
    }

    /** Whether a server answers on its port; an IOException counts as not yet. */
    interface Readiness {
        boolean ready(int port) throws IOException;
    }

    /** As {@link #start(String, int, List, Path, Path)}, ready once {@code readiness} says so (a Kafka broker, say). */
    static ServerProcess start(String name, int port, List<String> command, Path dir, Path log, Readiness readiness)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(name, port, p, log);
        try {
            server.awaitReady(readiness);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** Where {@link #freePortRange} picks a base port: so that its bus port, 10000 up, is still a port. */
    private static final int RANGE_FLOOR = 20_000;
    private static final int RANGE_SPAN = 20_000;

    /**
     * A base port P such that P..P+n-1 and their cluster bus ports P+10000..P+10000+n-1 were all free a
     * moment ago on 127.0.0.1 (an ephemeral port plus 10000 could pass 65535, so P comes from
     * 20000..39999); fails after 200 tries.
     */
    static int freePortRange(int n) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = RANGE_FLOOR + random.nextInt(RANGE_SPAN - n);
            if (bindable(base, n) && bindable(base + 10_000, n)) {
                return base;
            }
        }
        throw new IOException("no " + n + " free consecutive ports (and their bus ports) found on 127.0.0.1");
    }

    private static boolean bindable(int from, int n) {
        for (int port = from; port < from + n; port++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    static boolean answersPing(int port) throws IOException {
        try (RespClient c = RespClient.connect(port)) {
            return c.call("PING").equals("PONG");
        }
    }

    private void awaitReady(Readiness readiness) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before it answered: "
                        + logTail());
            }
            try {
                if (readiness.ready(port)) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException(name + " was not ready on port " + port + " within "
                + READY_TIMEOUT_MILLIS / 1000 + " s (" + last + "): " + logTail());
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The server's process id: the JVM's own for Shardline, as the launcher execs java. */
    long pid() {
        return process.pid();
    }

    /** The file the server's stdout and stderr go to. */
    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The last lines of the server's output, for an error message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The process's command line from /proc (arguments joined by spaces), or null where it cannot be read. */
    String commandLine() {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid()), "cmdline"));
            List<String> args = new ArrayList<>();
            for (String a : new String(raw, StandardCharsets.UTF_8).split("\0")) {
                args.add(a);
            }
            return String.join(" ", args);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
