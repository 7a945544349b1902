package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.core.Future;
import io.shardline.core.Loop;
import io.shardline.core.Timer;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.PackedArgs;
import io.shardline.examples.kv.resp.RespArgs;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.Journal;
import io.shardline.examples.kv.store.Keyspace;
import io.shardline.storage.LogConfig;
import io.shardline.storage.SegmentedLog;
import io.shardline.storage.SnapshotStore;
import io.shardline.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * One shard's slice of the key space: its data, its data commands and its log. Owned by its
 * shard: every method is called on that shard's thread.
 *
 * <p>A write command runs at once; what it changed is logged as a replayable command, and its reply
 * is released when the log says the record is done under the configured fsync policy. After the log
 * grows by {@link KvConfig#compactBytes()} the shard saves a snapshot and drops the log's older
 * segments. A restart loads the newest snapshot and replays the log after it.
 */
final class KvShard implements Journal {
    private static final Logger LOG = Logger.getLogger(KvShard.class.getName());
    /** Redis' active expiry runs 10 times a second. */
    private static final Duration SWEEP_PERIOD = Duration.ofMillis(100);
    private static final int SWEEP_KEYS = 200;

    final int id;
    private final Loop loop;
    private final KvConfig config;
    private Keyspace keyspace;
    private DataCommands commands;
    private final RespWriter resp2 = RespWriter.forReply(2);
    private final RespWriter resp3 = RespWriter.forReply(3);
    /** Where the replies of a run of forwarded requests are encoded (protocol set per run). */
    private final RespWriter forwardOut = new RespWriter(4 * 1024, 1 << 20, false);
    /** The arguments of the forwarded request running now, read where its run holds them. */
    private final RespArgs forwardArgs = PackedArgs.newView();
    private SegmentedLog log;
    private SnapshotStore snapshots;
    private Timer sweep;
    private Future<Long> lastAppend;
    private long loggedSinceSnapshot;
    private boolean snapshotting;
    private boolean compactWanted;
    private boolean replaying;
    /** Clients blocked on this shard's keys (XREAD/XREADGROUP BLOCK). */
    private final KeyWaiters waiters;
    /** Who hears which keys this shard's writes changed (WATCH, blocked clients). */
    private final KeyChanges changes = new KeyChanges();

    // Counters of this shard, plain fields: only its thread writes them, INFO reads them on it.
    long commandsRun;
    /** Connections living on this shard now, and since the start. */
    long connectedClients;
    long totalConnections;
    /** Requests refused before running: unknown command, wrong arity, not authenticated. */
    long rejectedCommands;
    private long clientsNumbered;
    long expiredKeys;
    /** Write commands refused with -OOM past the memory limit. */
    long oomRejected;
    long snapshotsTaken;
    long replayed;

    KvShard(int id, Loop loop, KvConfig config) {
        this.id = id;
        this.loop = loop;
        this.config = config;
        this.waiters = new KeyWaiters(loop, this);
        changes.add(waiters); // blocked clients hear of every key a write changes, while any wait
        use(new Keyspace(config.clock()));
    }

    /**
     * A client id no other shard gives out: this shard's n-th id is {@code n * shards + id + 1}, so ids
     * are unique without a shared counter, as Redis' CLIENT ID requires.
     */
    long nextClientId(int shards) {
        return clientsNumbered++ * shards + id + 1;
    }

    private void use(Keyspace ks) {
        keyspace = ks;
        ks.setMemoryLimit(MemoryLimit.perShard(config));
        commands = new DataCommands(ks);
        // Keys the sweep or a lookup expires are logged as DELs, as Redis propagates them.
        ks.setExpiryJournal(this);
        commands.streams().onAppend(waiters::signal);
        ks.onStreamGone(waiters::signal);
    }

    /** Where the parts of this shard that follow key changes register. */
    KeyChanges changes() {
        return changes;
    }

    KeyWaiters waiters() {
        return waiters;
    }

    /** Opens the log, loads the newest snapshot and replays the log after it, then starts expiry. */
    Future<Void> open() {
        return load().map(v -> {
            sweep = loop.schedulePeriodic(SWEEP_PERIOD, SWEEP_PERIOD, () -> expiredKeys += keyspace.activeExpire(SWEEP_KEYS));
            return null;
        });
    }

    /** Opens the log, loads the newest snapshot and replays the log after it; no expiry runs. */
    Future<Void> load() {
        return config.dataDir() == null ? Future.succeeded(null) : openStorage();
    }

    /**
     * This shard's live keys split by the shard {@code slots} gives them, each part in snapshot form
     * (bytes, so it may travel to another shard): what {@link DataDirectory} moves when the shard count
     * changes.
     */
    byte[][] partsBySlot(SlotTable slots) {
        byte[][] parts = new byte[slots.shards()][];
        for (int t = 0; t < parts.length; t++) {
            int target = t;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                keyspace.writeSnapshot(out, key -> slots.shardOf(key) == target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            parts[t] = bytes.toByteArray();
        }
        return parts;
    }

    /**
     * Adds {@code parts} (from {@link #partsBySlot}) to this shard's keys and saves them as its base
     * snapshot, taken before the first record of its log; completes once the snapshot is on disk.
     */
    Future<Void> placeBase(java.util.List<byte[]> parts) {
        for (byte[] part : parts) {
            try {
                keyspace.addSnapshot(new DataInputStream(new java.io.ByteArrayInputStream(part)));
            } catch (IOException e) {
                throw new UncheckedIOException("shard " + id + ": a moved part is unreadable", e);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            keyspace.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snapshots.save(log.nextOffset() - 1, ByteBuffer.wrap(bytes.toByteArray()));
    }

    private Future<Void> openStorage() {
        Path dir = config.dataDir().resolve("shard-" + id);
        snapshots = new SnapshotStore(dir.resolve("snapshots"), Storage.fileIo(loop));
        LogConfig logConfig = LogConfig.builder(dir.resolve("log")).durability(config.durability())
                .maxRecordBytes(1 << 30) // a logged command: up to the parser's 1 GiB request cap
                .segmentBytes(64 << 20)
                // A command is applied before it is logged, so the log must not refuse it for backlog;
                // each connection bounds its outstanding requests, which bounds what waits here.
                .maxQueuedBytes(Long.MAX_VALUE)
                .build();
        return SegmentedLog.open(logConfig).flatMap(opened -> {
            log = opened;
            return snapshots.latest();
        }).flatMap(snapshot -> {
            long from = log.startOffset();
            if (snapshot != null) {
                ByteBuffer data = snapshot.data();
                try {
                    use(Keyspace.readSnapshot(new DataInputStream(new java.io.ByteArrayInputStream(data.array(),
                            data.arrayOffset() + data.position(), data.remaining())), config.clock()));
                } catch (IOException e) {
                    throw new UncheckedIOException(snapshot.path() + ": unreadable snapshot", e);
                }
                from = snapshot.lastOffset() + 1;
                if (from > log.nextOffset()) {
                    throw new IllegalStateException(snapshot.path() + " covers offsets up to " + snapshot.lastOffset()
                            + " but the log in " + dir + " ends at " + (log.nextOffset() - 1));
                }
            }
            if (from < log.startOffset()) {
                throw new IllegalStateException("the log in " + dir + " starts at offset " + log.startOffset()
                        + " but no snapshot covers the offsets before it (" + (snapshot == null ? "none found" : snapshot.path()) + ")");
            }
            replaying = true;
            return log.scan(from, Long.MAX_VALUE, (offset, payload) -> {
                byte[][] argv = ArgvCodec.decode(payload);
                if (argv.length == 1 && new String(argv[0], java.nio.charset.StandardCharsets.US_ASCII).equals("FLUSHALL")) {
                    keyspace.flush();
                } else {
                    replay(Argv.of(argv));
                }
                replayed++;
                return true;
            });
        }).map(n -> {
            replaying = false;
            if (n > 0) {
                LOG.info("shard " + id + ": replayed " + n + " logged commands; " + keyspace.size() + " keys");
            }
            return null;
        });
    }

    /** Applies one logged command through the command table; one that names no data command is skipped, as before. */
    private void replay(Argv argv) {
        CommandSpec spec = CommandTable.lookup(argv.bytes(0));
        if (spec == null || !(spec.handler() instanceof OnKeys keys) || !spec.arityAccepts(argv.count())) {
            LOG.warning("shard " + id + ": skipped a logged command it cannot replay: " + Errors.text(argv.bytes(0)));
            return;
        }
        commands.replay(keys.command(), argv);
    }

    /**
     * Runs one key command (or one shard's part of a multi-key one), looked up and arity-checked by
     * the caller, and gives its reply in RESP {@code protocol}; the future completes once the log holds
     * what it changed.
     */
    Future<byte[]> execute(CommandSpec spec, byte[][] argv, int protocol) {
        return execute(spec, Argv.of(argv), protocol);
    }

    Future<byte[]> execute(CommandSpec spec, Argv argv, int protocol) {
        this.commandsRun++;
        if (log != null && log.failure() != null && spec.write()) {
            // As Redis after an AOF write error: refuse writes before running them.
            return Future.succeeded(RespWriter.errorBytes(misconf(log.failure())));
        }
        if (spec.has(CommandSpec.DENYOOM) && keyspace.exceedsMemoryLimit(MemoryLimit.requestBytes(argv))) {
            oomRejected++;
            return Future.succeeded(RespWriter.errorBytes(MemoryLimit.OOM));
        }
        RespWriter out = protocol == 3 ? resp3 : resp2;
        out.clear();
        lastAppend = null;
        try {
            commands.execute(((OnKeys) spec.handler()).command(), argv, out, this);
        } catch (OutOfMemoryError e) {
            // The heap ran out inside the command (one value larger than the limit could foresee): refuse
            // it as Redis would rather than let the error take the shard's loop down.
            oomRejected++;
            out.clear();
            out.error(MemoryLimit.OOM);
        }
        byte[] reply = out.toByteArray();
        Future<Long> appended = lastAppend;
        lastAppend = null;
        if (waiters.due) {
            waiters.serveNow(); // blocked clients first, after the command that readied their keys, as Redis
        }
        if (appended == null) {
            return Future.succeeded(reply);
        }
        return appended.handle((offset, failure) -> failure == null ? reply : RespWriter.errorBytes(misconf(failure)));
    }

    /**
     * Like {@link #execute(CommandSpec, Argv, int)}, for a request of a connection on this shard with
     * nothing ahead of it: the reply is encoded into {@code out} (the connection's outbound writer, in
     * its protocol) and null returned, with no allocation; only if the log has not yet done what the
     * command changed is the reply taken back out of {@code out} and returned as a future.
     */
    Future<byte[]> executeInto(CommandSpec spec, Argv argv, RespWriter out) {
        this.commandsRun++;
        if (log != null && log.failure() != null && spec.write()) {
            out.error(misconf(log.failure()));
            return null;
        }
        if (spec.has(CommandSpec.DENYOOM) && keyspace.exceedsMemoryLimit(MemoryLimit.requestBytes(argv))) {
            oomRejected++;
            out.error(MemoryLimit.OOM);
            return null;
        }
        int mark = out.size();
        lastAppend = null;
        try {
            commands.execute(((OnKeys) spec.handler()).command(), argv, out, this);
        } catch (OutOfMemoryError e) {
            oomRejected++; // as in execute: refuse the command, keep the shard
            out.truncate(mark);
            out.error(MemoryLimit.OOM);
        }
        Future<Long> appended = lastAppend;
        lastAppend = null;
        if (waiters.due) {
            waiters.serveNow(); // as in execute; the reply is in out already
        }
        if (appended == null) {
            return null;
        }
        if (appended.isDone()) {
            if (appended.isFailed()) {
                out.truncate(mark);
                out.error(misconf(appended.cause()));
            }
            return null;
        }
        byte[] reply = out.cut(mark);
        return appended.handle((offset, failure) -> failure == null ? reply : RespWriter.errorBytes(misconf(failure)));
    }

    /** Runs a connection's run of requests from another shard; see {@link Forwarded#runOn}. */
    Future<byte[]> executeForwarded(Forwarded run) {
        return run.runOn(this, log == null, forwardOut, forwardArgs);
    }

    static String failureText(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static String misconf(Throwable failure) {
        return "MISCONF Errors writing to the AOF file: " + failure.getMessage();
    }

    /** Logs one effective write. Called by a data command while it runs. */
    @Override
    public void append(Argv argv) {
        if (!replaying && changes.listening()) {
            changes.logged(argv);
        }
        if (log == null || replaying) {
            return;
        }
        byte[] record = ArgvCodec.encode(argv);
        lastAppend = log.append(record);
        loggedSinceSnapshot += record.length;
        if (loggedSinceSnapshot >= config.compactBytes() && !snapshotting && !compactWanted) {
            // Never inside a command: the keyspace may be mid-change. Run it as a task of its own.
            compactWanted = true;
            loop.execute(() -> {
                compactWanted = false;
                compact();
            });
        }
    }

    /** Saves the keyspace as of the last logged record and drops the segments before it. */
    Future<Integer> compact() {
        if (log == null || snapshotting) {
            return Future.succeeded(0);
        }
        long lastOffset = log.nextOffset() - 1;
        if (lastOffset < log.startOffset()) {
            return Future.succeeded(0);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            keyspace.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        snapshotting = true;
        loggedSinceSnapshot = 0;
        return log.snapshotAndTruncate(snapshots, lastOffset, ByteBuffer.wrap(bytes.toByteArray())).handle((n, e) -> {
            snapshotting = false;
            if (e != null) {
                LOG.warning("shard " + id + ": snapshot failed: " + e);
                return 0;
            }
            snapshotsTaken++;
            return n;
        });
    }

    DataCommands commands() {
        return commands;
    }

    Keyspace keyspace() {
        return keyspace;
    }

    /** Removes every key, and logs that it did; completes once the log holds that. */
    Future<Void> flush() {
        keyspace.flush(); // the FLUSHALL record appended next tells the listeners
        append(new byte[][] {"FLUSHALL".getBytes(java.nio.charset.StandardCharsets.US_ASCII)});
        Future<Long> appended = lastAppend;
        lastAppend = null;
        return appended == null ? Future.succeeded(null) : appended.map(o -> null);
    }

    /** Closes the log after what was appended is written; stops the expiry timer. */
    Future<Void> close() {
        if (sweep != null) {
            sweep.cancel();
        }
        return log == null ? Future.succeeded(null) : log.close();
    }

    SegmentedLog log() {
        return log;
    }
}
