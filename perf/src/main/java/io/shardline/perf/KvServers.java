package io.shardline.perf;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code kv} suite's servers: how to start redis-server and Shardline kv (through the repository's
 * {@code ./shardline} launcher, from its root, so the JVM gets the flags, heap and GC a user's does),
 * each on a port of its own with its files under the suite's directory, and the set of those still
 * running, which {@link #close()} stops (the suite calls it at the end, and its shutdown hook on
 * Ctrl-C). Made by the suite's thread; {@link #close()} may also run on the hook's thread.
 */
final class KvServers implements AutoCloseable {
    static final String REDIS_SERVER = "redis-server";
    /** The system property the launcher's bench command sets to the repository root. */
    static final String ROOT_PROPERTY = "shardline.root";

    private final Path root;
    private final Path dir;
    private final List<ServerProcess> running = new ArrayList<>();
    /** Set by {@link #close()}: a server that finishes starting afterwards (the hook ran meanwhile) is stopped at once. */
    private boolean closed;

    KvServers(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    /** redis-server without persistence: {@code --save '' --appendonly no}. */
    ServerProcess redis(String name) throws IOException, InterruptedException {
        return redis(name, List.of("--appendonly", "no"));
    }

    /** redis-server with its append-only file, fsync once a second. */
    ServerProcess redisAof(String name) throws IOException, InterruptedException {
        return redis(name, List.of("--appendonly", "yes", "--appendfsync", "everysec"));
    }

    /** redis-server with {@code persistence} (or any other options) after its port, files and --save ''. */
    ServerProcess redis(String name, List<String> persistence) throws IOException, InterruptedException {
        return redis(name, ServerProcess.freePort(), persistence);
    }

    /**
     * A Redis Cluster of {@code nodes} masters, each a redis-server without persistence on ports P..P+nodes-1
     * ({@code --cluster-enabled yes --cluster-config-file <dir>/nodes-<port>.conf}), formed by
     * {@link KvCluster#create} and whole ({@link KvCluster#awaitOk}); the first node is named {@code name}
     * and is the one clients start from. All are stopped by {@link #close()}, also when forming fails.
     */
    List<ServerProcess> redisCluster(String name, int nodes) throws IOException, InterruptedException {
        int base = ServerProcess.freePortRange(nodes);
        List<ServerProcess> started = new ArrayList<>();
        for (int port = base; port < base + nodes; port++) {
            started.add(redis(port == base ? name : name + " node " + (port - base), port, List.of("--cluster-enabled",
                    "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(), "--appendonly", "no")));
        }
        List<Integer> ports = KvCluster.ports(base, nodes);
        KvCluster.create(ports, dir.resolve(slug(name) + "-create.log"));
        KvCluster.awaitOk(ports);
        return started;
    }

    private ServerProcess redis(String name, int port, List<String> persistence) throws IOException, InterruptedException {
        Path data = Files.createDirectories(dir.resolve(slug(name)));
        List<String> command = new ArrayList<>(List.of(REDIS_SERVER, "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--dir", data.toString(), "--daemonize", "no"));
        command.addAll(persistence);
        return track(ServerProcess.start(name, port, command, data, dir.resolve(slug(name) + ".log")));
    }

    /**
     * Shardline kv with {@code --appendonly no}, at the default shard count ({@code shards} 0) or
     * {@code --shards shards}.
     */
    ServerProcess shardline(String name, int shards) throws IOException, InterruptedException {
        return shardline(name, shards, List.of("--appendonly", "no"));
    }

    /** Shardline kv with its log on, {@code --fsync everysec}, at the default shard count. */
    ServerProcess shardlinePersistent(String name) throws IOException, InterruptedException {
        return shardline(name, 0, List.of("--fsync", "everysec"));
    }

    /**
     * Shardline kv in cluster mode, {@code --cluster --port P --shards shards --appendonly no}: shard i a
     * master node on P+i, P picked so that P..P+shards-1 and their bus ports are free; returned once
     * every node says the cluster is whole ({@link KvCluster#awaitOk}).
     */
    ServerProcess shardlineCluster(String name, int shards) throws IOException, InterruptedException {
        int base = ServerProcess.freePortRange(shards);
        ServerProcess server = shardline(name, base, shards, List.of("--cluster", "--appendonly", "no"));
        KvCluster.awaitOk(KvCluster.ports(base, shards));
        return server;
    }

    private ServerProcess shardline(String name, int shards, List<String> persistence)
            throws IOException, InterruptedException {
        return shardline(name, ServerProcess.freePort(), shards, persistence);
    }

    private ServerProcess shardline(String name, int port, int shards, List<String> persistence)
            throws IOException, InterruptedException {
        Path data = dir.resolve(slug(name) + "-data");
        List<String> command = new ArrayList<>(List.of(root.resolve("shardline").toString(), "kv"));
        command.addAll(persistence);
        command.addAll(List.of("--port", Integer.toString(port), "--data", data.toString()));
        if (shards > 0) {
            command.addAll(List.of("--shards", Integer.toString(shards)));
        }
        return track(ServerProcess.start(name, port, command, root, dir.resolve(slug(name) + ".log")));
    }

    /** Stops {@code server} now and forgets it. */
    void stop(ServerProcess server) {
        server.close();
        synchronized (running) {
            running.remove(server);
        }
    }

    /** Counts {@code server} among those {@link #close()} stops (the broker suite's servers use it too). */
    ServerProcess track(ServerProcess server) {
        synchronized (running) {
            if (!closed) {
                running.add(server);
                return server;
            }
        }
        server.close();
        throw new IllegalStateException("the suite is stopping: " + server.name() + " stopped as it started");
    }

    /** Stops every server still running; with {@code forGood}, also every server started from now on. */
    void close(boolean forGood) {
        List<ServerProcess> all;
        synchronized (running) {
            closed |= forGood;
            all = new ArrayList<>(running);
            running.clear();
        }
        for (ServerProcess s : all) {
            s.close();
        }
    }

    /** Stops every server still running; the suite may start others afterwards. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * The repository root: {@value #ROOT_PROPERTY} if set, else the first directory up from the working
     * directory that holds the {@code shardline} launcher and a pom.xml; null if none does.
     */
    static Path repositoryRoot() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property).toAbsolutePath().normalize();
            return Files.isExecutable(p.resolve("shardline")) ? p : null;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("shardline")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        return null;
    }

    /**
     * The commands of {@code needed} that no directory of {@code path} (a PATH value) holds as an
     * executable file, in order.
     */
    static List<String> missing(String path, List<String> needed) {
        List<String> missing = new ArrayList<>();
        for (String command : needed) {
            boolean found = false;
            for (String d : (path == null ? "" : path).split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, command)) && !Files.isDirectory(Path.of(d, command))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                missing.add(command);
            }
        }
        return missing;
    }

    /**
     * The message for missing tools: which are missing and the Debian packages that hold them
     * (redis-server in {@code redis-server}, redis-benchmark and redis-cli in {@code redis-tools}).
     */
    static String missingMessage(List<String> missing) {
        List<String> packages = new ArrayList<>();
        if (missing.contains(REDIS_SERVER)) {
            packages.add("redis-server");
        }
        if (missing.stream().anyMatch(m -> !m.equals(REDIS_SERVER))) {
            packages.add("redis-tools");
        }
        String listed = missing.size() == 1 ? missing.getFirst()
                : String.join(", ", missing.subList(0, missing.size() - 1)) + " and " + missing.getLast();
        return "bench kv runs against redis-server and a Redis Cluster formed by redis-cli, and drives the servers"
                + " with redis-benchmark, but " + listed + (missing.size() == 1 ? " is" : " are") + " not on the PATH;"
                + " on Debian or Ubuntu install the package" + (packages.size() == 1 ? " " : "s ")
                + String.join(" and ", packages) + " (apt-get install " + String.join(" ", packages) + ")";
    }

    static String slug(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }
}
