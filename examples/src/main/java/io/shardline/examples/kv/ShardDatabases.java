package io.shardline.examples.kv;

import io.shardline.examples.kv.store.DataCommands;
import io.shardline.examples.kv.store.Databases;
import io.shardline.examples.kv.store.EncodingLimits;
import io.shardline.examples.kv.store.Journal;
import io.shardline.examples.kv.store.Keyspace;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * One shard's numbered databases (Redis' SELECT 0..n-1), owned by its {@link KvShard}: every method
 * runs on that shard's thread. Each database is a {@link Keyspace} with its {@link DataCommands},
 * made when first used, so a server that only uses db 0 holds one; all share the shard's encoding
 * thresholds and its memory limit.
 *
 * <p>Each index has one {@link Journal} for good: what a keyspace logs names the index it has now, so
 * SWAPDB re-points the swapped keyspaces' expiry journals.
 *
 * <p>Snapshot form of all databases:
 * <pre>
 * int magic "SHDB", int version 1
 * per database with keys: int index, then that keyspace's snapshot ({@code Snapshot}'s format)
 * int -1
 * </pre>
 * An input that starts with a keyspace snapshot's own magic is the single-database form written before
 * there were databases: it is read as db 0.
 */
final class ShardDatabases implements Databases {
    private static final int MAGIC = 0x53484442; // "SHDB"
    private static final int VERSION = 1;
    /** The magic a keyspace snapshot starts with ("SHKV"): the older, single-database form. */
    private static final int KEYSPACE_MAGIC = 0x53484B56;
    private static final int END = -1;

    private final Keyspace[] keyspaces;
    private final DataCommands[] commands;
    private final Journal[] journals;
    private final LongSupplier clock;
    private final EncodingLimits limits = new EncodingLimits();
    /** This shard's share of maxmemory; CONFIG SET maxmemory changes it live. */
    private long memoryLimit;
    /** The shard's own wiring of a new database (blocked-client signals). */
    private final Consumer<DataCommands> wire;
    /** Highest index made so far, plus one: loops over the databases stop there. */
    private int made;
    private boolean loading;

    ShardDatabases(int count, LongSupplier clock, long memoryLimit, IntFunction<Journal> journalOf, Consumer<DataCommands> wire) {
        this.keyspaces = new Keyspace[count];
        this.commands = new DataCommands[count];
        this.journals = new Journal[count];
        for (int i = 0; i < count; i++) {
            journals[i] = journalOf.apply(i);
        }
        this.clock = clock;
        this.memoryLimit = memoryLimit;
        this.wire = wire;
        keyspace(0);
    }

    @Override
    public int count() {
        return keyspaces.length;
    }

    @Override
    public Keyspace keyspace(int db) {
        Keyspace ks = keyspaces[db];
        return ks != null ? ks : make(db).keyspace();
    }

    /** Database {@code db}'s data commands, made if it was never used. */
    DataCommands commands(int db) {
        DataCommands d = commands[db];
        return d != null ? d : make(db);
    }

    /** Database {@code db}'s keyspace, or null if it was never used (nothing to count or sweep). */
    Keyspace existing(int db) {
        return db < made ? keyspaces[db] : null;
    }

    /** Where database {@code db}'s writes are logged. */
    Journal journal(int db) {
        return journals[db];
    }

    /** One past the highest database index used: {@link #existing} is null from there on. */
    int made() {
        return made;
    }

    @Override
    public int indexOf(Keyspace ks) {
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] == ks) {
                return i;
            }
        }
        return -1;
    }

    private DataCommands make(int db) {
        Keyspace ks = new Keyspace(clock, limits);
        ks.setMemoryLimit(memoryLimit);
        ks.setExpiryJournal(journals[db]);
        ks.setLoading(loading);
        ks.notifier().setDb(db);
        DataCommands d = new DataCommands(ks);
        d.setDatabases(this);
        wire.accept(d);
        keyspaces[db] = ks;
        commands[db] = d;
        made = Math.max(made, db + 1);
        return d;
    }

    /** The shard's CONFIG SET encoding thresholds, shared by every database. */
    EncodingLimits limits() {
        return limits;
    }

    /** SWAPDB a b: the two indexes trade keyspaces; each keeps logging under its new index. */
    void swap(int a, int b) {
        DataCommands da = commands(a);
        DataCommands db = commands(b);
        keyspaces[a] = db.keyspace();
        commands[a] = db;
        keyspaces[b] = da.keyspace();
        commands[b] = da;
        keyspaces[a].setExpiryJournal(journals[a]);
        keyspaces[b].setExpiryJournal(journals[b]);
        keyspaces[a].notifier().setDb(a);
        keyspaces[b].notifier().setDb(b);
    }

    /** FLUSHDB of database {@code db}. */
    void flush(int db) {
        Keyspace ks = existing(db);
        if (ks != null) {
            ks.flush();
        }
    }

    void flushAll() {
        for (int i = 0; i < made; i++) {
            flush(i);
        }
    }

    /** While loading nothing expires in any database, including one made meanwhile. */
    void setLoading(boolean on) {
        loading = on;
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                keyspaces[i].setLoading(on);
            }
        }
    }

    /** One sweep of every database used; returns the keys it expired. */
    int activeExpire(int maxKeysPerDb) {
        int n = 0;
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                n += keyspaces[i].activeExpire(maxKeysPerDb);
            }
        }
        return n;
    }

    /** Keys in every database (DBSIZE summed: the shard's INFO line). */
    long size() {
        long n = 0;
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                n += keyspaces[i].size();
            }
        }
        return n;
    }

    long expiresCount() {
        long n = 0;
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                n += keyspaces[i].expiresCount();
            }
        }
        return n;
    }

    long usedMemory() {
        long n = 0;
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                n += keyspaces[i].usedMemory();
            }
        }
        return n;
    }

    /** INFO's keyspace_hits and keyspace_misses over every database: {hits, misses}. */
    long[] lookupStats() {
        long[] n = new long[2];
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                n[0] += keyspaces[i].hits();
                n[1] += keyspaces[i].misses();
            }
        }
        return n;
    }

    /** CONFIG RESETSTAT: the hit and miss counts start again. */
    void resetLookupStats() {
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                keyspaces[i].resetLookupStats();
            }
        }
    }

    /** CONFIG SET maxmemory: this shard's new share, for every database now and later. */
    void setMemoryLimit(long bytes) {
        memoryLimit = bytes;
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null) {
                keyspaces[i].setMemoryLimit(bytes);
            }
        }
    }

    /** Whether {@code incomingBytes} more would pass the shard's share of maxmemory, over all its databases. */
    boolean exceedsMemoryLimit(long incomingBytes) {
        if (made == 1) {
            return keyspaces[0].exceedsMemoryLimit(incomingBytes); // the common case: one database, no loop
        }
        return memoryLimit > 0 && usedMemory() + incomingBytes > memoryLimit;
    }

    /** Writes the live keys {@code keep} accepts of every database, in the form above. */
    void writeSnapshot(DataOutput out, Predicate<byte[]> keep) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        for (int i = 0; i < made; i++) {
            if (keyspaces[i] != null && keyspaces[i].size() > 0) {
                out.writeInt(i);
                keyspaces[i].writeSnapshot(out, keep);
            }
        }
        out.writeInt(END);
    }

    /** Adds what {@link #writeSnapshot} (or a single-database snapshot) holds to these databases. */
    void addSnapshot(byte[] data, int offset, int length) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, offset, length));
        if (length >= 4 && readInt(data, offset) == KEYSPACE_MAGIC) {
            keyspace(0).addSnapshot(in);
            return;
        }
        if (in.readInt() != MAGIC) {
            throw new IOException("not a KV snapshot (bad magic)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unsupported databases snapshot version " + version);
        }
        for (int db = in.readInt(); db != END; db = in.readInt()) {
            if (db < 0 || db >= keyspaces.length) {
                throw new IOException("the snapshot holds database " + db + " but the server has " + keyspaces.length
                        + " (start it with --databases " + (db + 1) + " or more)");
            }
            keyspace(db).addSnapshot(in);
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
