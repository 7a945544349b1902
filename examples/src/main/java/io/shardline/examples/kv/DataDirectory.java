package io.shardline.examples.kv;

import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A KV data directory: {@code kv.meta} (the placement and the shard count that wrote it) and one
 * {@code shard-<i>} directory of log and snapshots per shard. Used by the thread that starts the
 * server, before the shards open their data; the loading and writing run on the shards.
 *
 * <p>Keys are placed by hash slot ({@link SlotTable}), so a directory is not bound to a shard count:
 * started with another {@code --shards}, or over data placed the old way (CRC32C mod N), the server
 * places the keys again. Every old shard's data is loaded (snapshot and log) and split by the slots
 * of the new count; each new shard writes what it gets as a base snapshot under {@code resharding/}.
 * Renaming that to {@code resharded/} is the commit point; the new shard directories then replace
 * the old ones and {@code kv.meta} is rewritten. A crash before the rename leaves the old data whole
 * (the next start drops {@code resharding/} and begins again); a crash after it is finished by the
 * next start.
 *
 * <p>Cost: a move holds the data about twice in memory (the loaded keyspaces and their parts in
 * snapshot form) and writes it once; a start with the same count and placement reads only kv.meta.
 */
final class DataDirectory {
    private static final Logger LOG = Logger.getLogger(DataDirectory.class.getName());
    static final String META = "kv.meta";
    static final String PLACEMENT = "slots";
    /** The placement of a node range of a cluster of several processes: {@code cluster:<first node>/<nodes>}. */
    static final String CLUSTER = "cluster:";
    private static final String BUILDING = "resharding";
    private static final String COMMITTED = "resharded";

    /** What kv.meta says: how keys were placed and over how many shards. */
    record Meta(String placement, int shards) {
        String text() {
            return "placement=" + placement + "\nshards=" + shards + "\n";
        }
    }

    private DataDirectory() {
    }

    /** Makes {@code config.dataDir()} hold data placed by slot over {@code config.shards()}, moving keys if needed. */
    static void prepare(ShardRuntime runtime, KvConfig config) throws Exception {
        prepare(runtime, config, SlotTable.evenSplit(config.shards()), PLACEMENT);
    }

    /**
     * Makes {@code config.dataDir()} hold data placed by {@code slots}, named {@code placement} in
     * kv.meta (a cluster node of a larger cluster places its slots its own way), moving keys if needed.
     */
    static void prepare(ShardRuntime runtime, KvConfig config, SlotTable slots, String placement) throws Exception {
        Path dir = config.dataDir();
        Files.createDirectories(dir);
        if (Files.isDirectory(dir.resolve(COMMITTED))) {
            finish(dir);
        }
        deleteTree(dir.resolve(BUILDING)); // an attempt that never reached its commit point
        Meta meta = read(dir.resolve(META));
        Meta wanted = new Meta(placement, config.shards());
        if (meta == null) {
            write(dir, wanted);
        } else if (!meta.equals(wanted)) {
            replace(runtime, config, meta, slots, wanted);
        }
    }

    /** Loads every old shard's keys, splits them by the new slot table and commits the new layout. */
    private static void replace(ShardRuntime runtime, KvConfig config, Meta old, SlotTable slots, Meta wanted)
            throws Exception {
        Path dir = config.dataDir();
        int shards = config.shards();
        LOG.info("placing the keys of " + dir + " (" + old.shards() + " shards, placement " + old.placement() + ") over "
                + shards + " shards by hash slot");
        // Each old shard is loaded on a new one (round robin); the parts come back as bytes.
        List<CompletableFuture<byte[][]>> loaded = new ArrayList<>();
        for (int j = 0; j < old.shards(); j++) {
            int oldId = j;
            loaded.add(runtime.submitAsync(j % shards, () -> {
                KvShard source = new KvShard(oldId, Shard.current().loop(), config);
                return source.load().flatMap(v -> {
                    byte[][] parts = source.partsBySlot(slots);
                    return source.close().map(closed -> parts);
                });
            }));
        }
        List<byte[][]> parts = new ArrayList<>();
        for (CompletableFuture<byte[][]> f : loaded) {
            parts.add(f.get(10, TimeUnit.MINUTES));
        }
        Path building = dir.resolve(BUILDING);
        KvConfig target = config.withDataDir(building);
        List<CompletableFuture<Void>> written = new ArrayList<>();
        for (int t = 0; t < shards; t++) {
            int id = t;
            List<byte[]> mine = new ArrayList<>();
            for (byte[][] p : parts) {
                mine.add(p[id]);
            }
            written.add(runtime.submitAsync(t, () -> {
                KvShard fresh = new KvShard(id, Shard.current().loop(), target);
                return fresh.load().flatMap(v -> fresh.placeBase(mine)).flatMap(v -> fresh.close());
            }));
        }
        for (CompletableFuture<Void> f : written) {
            f.get(10, TimeUnit.MINUTES);
        }
        write(building, wanted);
        Files.move(building, dir.resolve(COMMITTED), StandardCopyOption.ATOMIC_MOVE);
        sync(dir);
        finish(dir);
    }

    /** Puts a committed layout in place of the old one; safe to run again after a crash part way. */
    private static void finish(Path dir) throws IOException {
        Path committed = dir.resolve(COMMITTED);
        Meta meta = read(committed.resolve(META));
        if (meta == null) {
            throw new IOException(committed + " has no " + META + "; remove it to keep the data before it");
        }
        for (int i = 0; i < meta.shards(); i++) {
            Path moved = committed.resolve("shard-" + i);
            if (Files.isDirectory(moved)) {
                deleteTree(dir.resolve("shard-" + i));
                Files.move(moved, dir.resolve("shard-" + i), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "shard-*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString().substring("shard-".length());
                if (n.chars().allMatch(Character::isDigit) && !n.isEmpty() && Integer.parseInt(n) >= meta.shards()) {
                    deleteTree(p);
                }
            }
        }
        write(dir, meta);
        deleteTree(committed);
        sync(dir);
    }

    /** kv.meta's contents, or null if there is none. Without a placement line it was written under CRC32C. */
    static Meta read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        String placement = "crc32c";
        int shards = -1;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq);
            String value = eq < 0 ? "" : line.substring(eq + 1).trim();
            switch (key) {
                case "placement" -> placement = value;
                case "shards" -> {
                    try {
                        shards = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        shards = -1;
                    }
                }
                default -> {
                }
            }
        }
        if (shards < 1 || !(placement.equals(PLACEMENT) || placement.equals("crc32c") || placement.startsWith(CLUSTER))) {
            throw new IllegalArgumentException(file + " is not a KV data directory's meta file (placement=" + placement
                    + ", shards=" + shards + ")");
        }
        return new Meta(placement, shards);
    }

    /** Replaces {@code dir}/kv.meta atomically. */
    private static void write(Path dir, Meta meta) throws IOException {
        Path tmp = dir.resolve(META + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(meta.text().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        sync(dir);
    }

    private static void sync(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
