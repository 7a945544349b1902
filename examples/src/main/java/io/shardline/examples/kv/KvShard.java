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
import io.shardline.examples.kv.store.EncodingLimits;
import io.shardline.examples.kv.store.Keyspace;
import io.shardline.net.NetStats;
import io.shardline.net.Transport;
import io.shardline.storage.LogConfig;
import io.shardline.storage.SegmentedLog;
import io.shardline.storage.SnapshotStore;
import io.shardline.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/*
 * Over 400 lines: the shard is the one place where a command, its log record and its database meet
 * (run, log, replay, snapshot, and the flush/swap hooks other features attach to); the databases
 * themselves, their snapshot form and the database log records are in ShardDatabases and DatabaseRecords.
 */
/**
 * One shard's slice of the key space: its numbered databases, their data commands and its log. Owned
 * by its shard: every method is called on that shard's thread.
 *
 * <p>Every key command runs in a database given with it (the connection's SELECTed one); the log
 * names the database of its records with a SELECT record wherever it changes, as Redis' AOF does.
 *
 * <p>A write command runs at once; what it changed is logged as a replayable command, and its reply
 * is released when the log says the record is done under the configured fsync policy. After the log
 * grows by {@link KvConfig#compactBytes()} the shard saves a snapshot and drops the log's older
 * segments. A restart loads the newest snapshot and replays the log after it.
 */
final class KvShard {
    private static final Logger LOG = Logger.getLogger(KvShard.class.getName());
    /** Redis' active expiry runs 10 times a second. */
    private static final Duration SWEEP_PERIOD = Duration.ofMillis(100);
    private static final int SWEEP_KEYS = 200;

    final int id;
    private final Loop loop;
    private final KvConfig config;
    /** Its numbered databases (SELECT 0..n-1); a SWAPDB or a loaded snapshot changes what they hold. */
    private ShardDatabases dbs;
    /** The database the last record logged runs in; -1 when unknown, so the next record says (a SELECT record first). */
    private int loggedDb = -1;
    /** While replaying: the database the records being read run in (a SELECT record changes it). */
    private int replayDb;
    private final RespWriter resp2 = RespWriter.forReply(2);
    private final RespWriter resp3 = RespWriter.forReply(3);
    /** Where the replies of a run of forwarded requests, or of a transaction's part, are encoded (protocol set per run). */
    private final RespWriter forwardOut = new RespWriter(4 * 1024, 1 << 20, false);
    /** The arguments of the forwarded request running now, read where its run holds them. */
    private final RespArgs forwardArgs = PackedArgs.newView();
    /** Where a connection command's reply that waits its turn is encoded ({@link Dispatcher#run}); null while in use. */
    private RespWriter replyScratch = RespWriter.forReply(2);
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
    private final KeyspaceEvents events = new KeyspaceEvents();
    /** The connections living here, CLIENT PAUSE's part here and the idle timeout (issue 16 point 5). */
    final ClientRegistry clients;
    /** INFO commandstats and errorstats of this shard's connections. */
    final CommandStats stats = new CommandStats();
    /** INFO's instantaneous_* rates of this shard, sampled every 100 ms. */
    final InstantMetrics instant = new InstantMetrics();
    private Timer sampler;
    /** This shard's copy of the CONFIG values. */
    final LiveConfig live;
    /** This shard's copy of the script cache (kv-lua). */
    final ScriptCache scripts = new ScriptCache();
    /** This shard's copy of the function libraries (kv-lua). */
    final FunctionLibraries functions = new FunctionLibraries();
    /** The scripts past the busy threshold, and this shard's running ones (kv-lua). */
    final ScriptBusy scriptBusy = new ScriptBusy();
    /**
     * Set just before a key command of a CLIENT NO-TOUCH client runs here (its own shard's or a
     * forwarded run's), and cleared as it starts: that command does not update the keys' LRU clock.
     */
    boolean noTouch;
    /** When SAVE or BGSAVE last completed here (epoch seconds), 0 before: LASTSAVE reports the latest of every shard. */
    long lastSaveSeconds;
    /** Intent locks of the transactions and cross-shard commands on this shard's keys ({@link TxExec}). */
    private final TxLocks locks = new TxLocks();
    private final Watches watches;

    // Counters of this shard, plain fields: only its thread writes them, INFO reads them on it.
    long commandsRun;
    /** Connections living on this shard now, and since the start. */
    long connectedClients;
    long totalConnections;
    /** Requests refused before running: unknown command, wrong arity, not authenticated. */
    long rejectedCommands;
    /** Connections turned away at maxclients. */
    long rejectedConnections;
    /** The transport's byte counts at the last CONFIG RESETSTAT: INFO shows the bytes since. */
    private long netInputBase;
    private long netOutputBase;
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
        this.watches = new Watches(this);
        changes.add(watches); // so do WATCHes, while any is set
        this.dbs = newDatabases();
        this.clients = new ClientRegistry(loop);
        this.lastSaveSeconds = System.currentTimeMillis() / 1000; // as Redis: the start counts as the last save
        this.live = new LiveConfig(new ConfigParams(config), config);
    }

    /**
     * A client id no other shard gives out: this shard's n-th id is {@code n * shards + id + 1}, so ids
     * are unique without a shared counter, as Redis' CLIENT ID requires.
     */
    long nextClientId(int shards) {
        return clientsNumbered++ * shards + id + 1;
    }

    private ShardDatabases newDatabases() {
        // Keys the sweep or a lookup expires are logged as DELs (in their database), as Redis propagates them.
        return new ShardDatabases(config.databases(), config.clock(), MemoryLimit.perShard(config),
                db -> argv -> append(db, argv), d -> {
                    d.streams().onAppend(waiters::signal);
                    d.keyspace().onStreamGone(waiters::signal);
                    events.attach(d.keyspace()); // its notifier already names its database
                });
    }

    /** Where the parts of this shard that follow key changes register. */
    KeyChanges changes() {
        return changes;
    }

    KeyWaiters waiters() {
        return waiters;
    }

    TxLocks locks() {
        return locks;
    }

    Watches watches() {
        return watches;
    }

    Loop loop() {
        return loop;
    }

    /** Opens the log, loads the newest snapshot and replays the log after it, then starts expiry. */
    Future<Void> open() {
        return load().map(v -> {
            sweep = loop.schedulePeriodic(SWEEP_PERIOD, SWEEP_PERIOD, () -> expiredKeys += dbs.activeExpire(SWEEP_KEYS));
            Duration sampling = Duration.ofMillis(InstantMetrics.PERIOD_MILLIS);
            sampler = loop.schedulePeriodic(sampling, sampling, this::sampleRates);
            clients.startIdleCheck(loop, live, config.clock());
            return null;
        });
    }

    /**
     * CONFIG SET hz: the active expiry runs {@code hz} times a second from now on (Redis' serverCron
     * frequency, which drives its expire cycle); before the shard opened, nothing runs yet.
     */
    void expireHz(int hz) {
        if (sweep == null) {
            return;
        }
        sweep.cancel();
        Duration period = Duration.ofMillis(Math.max(1, 1000 / hz));
        sweep = loop.schedulePeriodic(period, period, () -> expiredKeys += dbs.activeExpire(SWEEP_KEYS));
    }

    /** INFO total_net_input_bytes: read by this shard's connections since the start or RESETSTAT. */
    long netInputBytes() {
        NetStats net = netStats();
        return net == null ? 0 : net.bytesIn() - netInputBase;
    }

    long netOutputBytes() {
        NetStats net = netStats();
        return net == null ? 0 : net.bytesOut() - netOutputBase;
    }

    void resetNetBytes() {
        NetStats net = netStats();
        netInputBase = net == null ? 0 : net.bytesIn();
        netOutputBase = net == null ? 0 : net.bytesOut();
    }

    private NetStats netStats() {
        Transport transport = loop.service(Transport.class); // none in tests that run a shard without a network
        return transport == null ? null : transport.stats();
    }

    /** One sample of the commands run and the bytes the shard's connections read and wrote. */
    private void sampleRates() {
        NetStats net = netStats();
        instant.sample(loop.clock().nanoTime(), stats.calls(), net == null ? 0 : net.bytesIn(),
                net == null ? 0 : net.bytesOut());
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
                dbs.writeSnapshot(out, key -> slots.shardOf(key) == target); // every database, keys keep their db
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
                dbs.addSnapshot(part, 0, part.length);
            } catch (IOException e) {
                throw new UncheckedIOException("shard " + id + ": a moved part is unreadable", e);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            dbs.writeSnapshot(out, key -> true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loggedDb = -1; // a replay from this base starts in db 0, whatever the log said before it
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
                    ShardDatabases loaded = newDatabases();
                    loaded.addSnapshot(data.array(), data.arrayOffset() + data.position(), data.remaining());
                    dbs = loaded;
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
            replayDb = 0; // a log (or what follows a snapshot) starts in db 0, as the logs before databases did
            dbs.setLoading(true);
            return log.scan(from, Long.MAX_VALUE, (offset, payload) -> {
                byte[][] argv = ArgvCodec.decode(payload);
                if (!DatabaseRecords.replay(this, argv)) {
                    replay(Argv.of(argv));
                }
                replayed++;
                return true;
            });
        }).map(n -> {
            replaying = false;
            dbs.setLoading(false);
            loggedDb = -1; // the next record says its db: the log's last SELECT may be before a snapshot
            if (n > 0) {
                LOG.info("shard " + id + ": replayed " + n + " logged commands; " + dbs.size() + " keys");
            }
            return null;
        });
    }

    /** Applies one logged command through the command table; one that names no data command is skipped, as before. */
    private void replay(Argv argv) {
        if (FunctionLog.replay(this, argv)) {
            return; // a function library change (kv-lua)
        }
        CommandSpec spec = CommandTable.lookup(argv.bytes(0));
        if (spec == null || !(spec.handler() instanceof OnKeys keys) || !spec.arityAccepts(argv.count())) {
            LOG.warning("shard " + id + ": skipped a logged command it cannot replay: " + Errors.text(argv.bytes(0)));
            return;
        }
        dbs.commands(replayDb).replay(keys.command(), argv);
    }

    /** Replay: the records after this one run in database {@code db} (a SELECT record). */
    void replaySelect(int db) {
        if (db < 0 || db >= dbs.count()) {
            throw new IllegalStateException("shard " + id + ": the log selects database " + db + " but the server has "
                    + dbs.count() + " (start it with --databases " + (db + 1) + " or more)");
        }
        replayDb = db;
    }

    int replayDb() {
        return replayDb;
    }

    /**
     * Runs one key command (or one shard's part of a multi-key one), looked up and arity-checked by
     * the caller, and gives its reply in RESP {@code protocol}; the future completes once the log holds
     * what it changed.
     */
    Future<byte[]> execute(CommandSpec spec, byte[][] argv, int protocol, int db) {
        return execute(spec, Argv.of(argv), protocol, db);
    }

    /** Runs {@code spec} in database {@code db} (the connection's SELECTed one when it was sent). */
    Future<byte[]> execute(CommandSpec spec, Argv argv, int protocol, int db) {
        this.commandsRun++;
        if (log != null && log.failure() != null && spec.write()) {
            // As Redis after an AOF write error: refuse writes before running them.
            return Future.succeeded(RespWriter.errorBytes(misconf(log.failure())));
        }
        if (spec.has(CommandSpec.DENYOOM) && dbs.exceedsMemoryLimit(MemoryLimit.requestBytes(argv))) {
            oomRejected++;
            return Future.succeeded(RespWriter.errorBytes(MemoryLimit.OOM));
        }
        RespWriter out = protocol == 3 ? resp3 : resp2;
        out.clear();
        lastAppend = null;
        if (events.flags() != 0) {
            events.beforeCommand(dbs.keyspace(db), spec);
        }
        Keyspace ks = dbs.keyspace(db);
        ks.countLookups(!spec.write());
        ks.noTouch(noTouch && !spec.name().equals("touch")); // TOUCH touches even then, as in Redis
        noTouch = false;
        try {
            dbs.commands(db).execute(((OnKeys) spec.handler()).command(), argv, out, dbs.journal(db));
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
    Future<byte[]> executeInto(CommandSpec spec, Argv argv, RespWriter out, int db) {
        this.commandsRun++;
        if (log != null && log.failure() != null && spec.write()) {
            out.error(misconf(log.failure()));
            return null;
        }
        if (spec.has(CommandSpec.DENYOOM) && dbs.exceedsMemoryLimit(MemoryLimit.requestBytes(argv))) {
            oomRejected++;
            out.error(MemoryLimit.OOM);
            return null;
        }
        int mark = out.size();
        lastAppend = null;
        if (events.flags() != 0) {
            events.beforeCommand(dbs.keyspace(db), spec);
        }
        Keyspace ks = dbs.keyspace(db);
        ks.countLookups(!spec.write());
        ks.noTouch(noTouch && !spec.name().equals("touch")); // TOUCH touches even then, as in Redis
        noTouch = false;
        try {
            dbs.commands(db).execute(((OnKeys) spec.handler()).command(), argv, out, dbs.journal(db));
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

    /** A writer for one reply in {@code protocol}, reused; given back with {@link #giveBackReplyScratch}. */
    RespWriter takeReplyScratch(int protocol) {
        RespWriter w = replyScratch != null ? replyScratch : RespWriter.forReply(protocol); // a nested use gets its own
        replyScratch = null;
        w.protocol(protocol);
        return w;
    }

    void giveBackReplyScratch(RespWriter w) {
        w.clear();
        w.acceptSlices(false);
        w.takeDeferred();
        replyScratch = w;
    }

    /** Runs one shard's part of a transaction here, its locks held; see {@link TxPart#runOn}. */
    Future<byte[]> executeTxPart(TxPart part, int protocol) {
        return part.runOn(this, log == null, forwardOut, forwardArgs, protocol);
    }

    static String failureText(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    private static String misconf(Throwable failure) {
        return "MISCONF Errors writing to the AOF file: " + failure.getMessage();
    }

    /**
     * Logs one effective write made in database {@code db} (-1: one that names its databases itself,
     * FLUSHALL and SWAPDB), after a SELECT record when the last record ran in another, as Redis' AOF
     * does. Called by a data command while it runs.
     */
    void append(int db, Argv argv) {
        if (db >= 0 && !replaying && changes.listening()) {
            changes.logged(db, argv);
        }
        if (log == null || replaying) {
            return;
        }
        if (db >= 0 && db != loggedDb) {
            appendRecord(ArgvCodec.encode(Argv.of(DatabaseRecords.select(db))));
            loggedDb = db;
        }
        appendRecord(ArgvCodec.encode(argv));
    }

    private void appendRecord(byte[] record) {
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
            dbs.writeSnapshot(out, key -> true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        loggedDb = -1; // a replay from this snapshot starts in db 0: the next record says its db again
        snapshotting = true;
        loggedSinceSnapshot = 0;
        FunctionLog.relog(this); // the snapshot holds keys only: the libraries go on in the log after it (kv-lua)
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

    /** Database {@code db}'s data commands (made if it was never used). */
    DataCommands commands(int db) {
        return dbs.commands(db);
    }

    /** Database {@code db}'s keyspace (made if it was never used): the hook for code that reads a db's keys. */
    Keyspace keyspace(int db) {
        return dbs.keyspace(db);
    }

    /** This shard's databases: counts for INFO, the per-db keyspaces that exist. */
    ShardDatabases databases() {
        return dbs;
    }

    /** The shard's CONFIG SET encoding thresholds, shared by all its databases. */
    EncodingLimits limits() {
        return dbs.limits();
    }

    /** FLUSHALL: removes every key of every database, and logs that; completes once the log holds it. */
    Future<Void> flush() {
        for (int db = 0; db < dbs.made(); db++) {
            flushed(db);
        }
        dbs.flushAll();
        return logged(-1, DatabaseRecords.flushAll());
    }

    /** FLUSHDB: removes every key of database {@code db}, and logs that; completes once the log holds it. */
    Future<Void> flushDb(int db) {
        flushed(db);
        dbs.flush(db);
        return logged(db, DatabaseRecords.flushDb());
    }

    /** SWAPDB a b: the two databases trade their keys on this shard, logged; completes once the log holds it. */
    Future<Void> swapDb(int a, int b) {
        if (a == b) {
            return Future.succeeded(null); // nothing changes, as Redis' dbSwapDatabases does nothing then
        }
        if (changes.listening()) { // a WATCHed key live in either database before the swap changed, as in Redis
            changes.allChanged(a);
            changes.allChanged(b);
        }
        dbs.swap(a, b);
        swapped(a, b);
        return logged(-1, DatabaseRecords.swapDb(a, b));
    }

    /**
     * The one place where database {@code db} of this shard is about to be emptied (FLUSHDB, FLUSHALL, and
     * their replay): WATCH invalidation and blocked-client wakeups hook here.
     */
    void flushed(int db) {
        if (!replaying) {
            changes.allChanged(db);
        }
    }

    /**
     * The one place where databases {@code a} and {@code b} of this shard have just traded keys (SWAPDB
     * and its replay): WATCH invalidation and blocked-client wakeups hook here.
     */
    void swapped(int a, int b) {
        events.attach(dbs.keyspace(a)); // each raises its events under its new number now
        events.attach(dbs.keyspace(b));
        if (!replaying) {
            changes.allChanged(a);
            changes.allChanged(b);
        }
        waiters.signalAll(); // blocked clients retry: a key they wait on may now hold data, or be gone
    }

    private Future<Void> logged(int db, byte[][] record) {
        lastAppend = null;
        append(db, Argv.of(record));
        Future<Long> appended = lastAppend;
        lastAppend = null;
        return appended == null ? Future.succeeded(null) : appended.map(o -> null);
    }

    /** Closes the log after what was appended is written; stops the expiry timer. */
    Future<Void> close() {
        if (sweep != null) {
            sweep.cancel();
        }
        if (sampler != null) {
            sampler.cancel();
        }
        clients.stop();
        return log == null ? Future.succeeded(null) : log.close();
    }

    SegmentedLog log() {
        return log;
    }

    /** This shard's keyspace notifications: notify-keyspace-events here, and where events go. */
    KeyspaceEvents events() {
        return events;
    }
}
