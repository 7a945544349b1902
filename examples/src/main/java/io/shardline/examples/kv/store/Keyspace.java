// About 405 lines: one shard's key map and the two indexes kept in step with it (scan tree, expiry heap);
// every add, remove and expiry updates all three here, so split, each part would reach into the others.
package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The data of one shard: keys mapped to typed values (string, list, set, hash, sorted set) with an
 * optional absolute expiry in Unix milliseconds. Owned by one shard; not thread-safe: every method,
 * the typed helpers included, runs on that shard's thread. There are no locks and no atomics.
 *
 * <p>Expiry is lazy (a key past its time behaves as absent on any access and is removed then) and
 * active ({@link #activeExpire(int)}, for a periodic sweep). Redis' rule decides: a key expires when
 * the clock is past its time, so at exactly its time it still exists with a TTL of 0. Each removal by
 * expiry is reported as {@code DEL key} to the journal of the command running at that moment, or else
 * to {@link #setExpiryJournal(Journal)}, so a replayed journal sees the same keys disappear.
 *
 * <p>Costs. Besides the hash map, keys are kept in a tree ordered by a 48-bit hash so SCAN resumes
 * from its cursor in O(log n) and each step costs O(count + log n); a new key costs an extra
 * O(log n) insert for it. Keys with a TTL sit in a min-heap: a sweep pays O(log n) per expired key.
 * A TTL change or a delete leaves a stale heap slot that is skipped later; the heap is compacted when
 * it holds more than twice as many slots as keys with a TTL, so stale slots stay bounded.
 */
public final class Keyspace {
    /**
     * SCAN cursors are below 2^48: a caller spreading one SCAN over shards may keep a shard number in
     * the top 16 bits of the cursor it hands out.
     */
    public static final int SCAN_CURSOR_BITS = 48;

    /**
     * What {@link #lookup(Bytes, ValueType, ReplySink)} returns after it replied WRONGTYPE. Never in a
     * keyspace; it has no key, type or value, so code that takes it for a live entry fails at once.
     */
    static final Entry WRONG_TYPE = new Entry(null, null, null);

    private static final long NO_COMMAND = Long.MIN_VALUE;
    private static final byte[] DEL = {'D', 'E', 'L'};
    /** Heap slots allowed beyond twice the live TTL count before compaction. */
    private static final int HEAP_SLACK = 64;

    private final LongSupplier clock;
    private final HashMap<Bytes, Entry> entries = new HashMap<>();
    private final TreeSet<Bytes> scanOrder = new TreeSet<>(Bytes.SCAN_ORDER);
    private final ExpiryHeap expiryHeap = new ExpiryHeap();
    private final SplittableRandom random = new SplittableRandom();
    private int expires;
    private boolean loading;
    /** The time every lookup of the running command uses (Redis' commandTimeSnapshot), or NO_COMMAND. */
    private long commandTime = NO_COMMAND;
    private Journal commandJournal;
    private Journal expiryJournal = Journal.NONE;
    private final EncodingLimits limits = new EncodingLimits();

    /** An empty keyspace reading the time, in Unix milliseconds, from {@code clock}. */
    public Keyspace(LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** This shard's collection encoding thresholds (CONFIG SET hash-max-listpack-entries ...). */
    public EncodingLimits limits() {
        return limits;
    }

    /** Where expirations outside a command (sweeps, the typed helpers, KEYS, SCAN) are reported. */
    public void setExpiryJournal(Journal journal) {
        this.expiryJournal = Objects.requireNonNull(journal, "journal");
    }

    /**
     * While loading, nothing expires (lazily or by sweep) and EXPIRE with a past time sets it rather
     * than deleting: the journal being replayed carries its own DELs, as Redis' AOF does.
     */
    public void setLoading(boolean loading) {
        this.loading = loading;
    }

    public boolean isLoading() {
        return loading;
    }

    /** The current time in Unix milliseconds: the running command's snapshot, else the clock's. */
    public long now() {
        return commandTime != NO_COMMAND ? commandTime : clock.getAsLong();
    }

    /** Keys held, counting keys past their time that no access or sweep has removed yet (as DBSIZE). */
    public int size() {
        return entries.size();
    }

    /** Keys that have a TTL. */
    public int expiresCount() {
        return expires;
    }

    /** Removes every key. Reports nothing to a journal: FLUSHALL is logged by whoever runs it. */
    public void flush() {
        for (Entry e : entries.values()) {
            e.removed = true;
        }
        entries.clear();
        scanOrder.clear();
        expiryHeap.clear();
        expires = 0;
    }

    /**
     * Removes up to {@code maxKeys} keys whose time has passed, earliest first, reporting each as a
     * DEL; returns how many it removed. O(removed · log n), plus stale slots skipped on the way.
     */
    public int activeExpire(int maxKeys) {
        if (loading) {
            return 0;
        }
        long now = now();
        int removed = 0;
        while (removed < maxKeys && !expiryHeap.isEmpty() && expiryHeap.peekTime() < now) {
            long time = expiryHeap.peekTime();
            Entry e = expiryHeap.peekEntry();
            expiryHeap.pop();
            if (ExpiryHeap.current(time, e)) {
                expire(e);
                removed++;
            }
        }
        return removed;
    }

    /** KEYS: every live key matching the glob {@code pattern}. O(n), as in Redis. */
    public List<byte[]> keys(byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        boolean all = Glob.matchesAll(pattern);
        if (!all && Glob.isLiteral(pattern)) {
            Entry e = peek(new Bytes(pattern)); // KEYS and SCAN are no access to the keys they list
            if (e != null) {
                out.add(e.key.bytes);
            }
            return out;
        }
        long now = now();
        List<Entry> expired = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (isExpired(e, now)) {
                expired.add(e);
            } else if (all || Glob.matches(pattern, e.key.bytes)) {
                out.add(e.key.bytes);
            }
        }
        for (Entry e : expired) {
            expire(e);
        }
        return out;
    }

    /**
     * One SCAN step: examines about {@code count} keys from {@code cursor} (0 starts) and returns those
     * matching {@code pattern} (a glob, or null for all) and {@code type} (a TYPE name such as
     * "zset", or null for all; an unknown name matches nothing), with the cursor to pass next, 0 at
     * the end.
     *
     * <p>Keys are visited in the order of a 48-bit hash, and a step never splits the keys that share
     * one hash, so a key present from the first call to the last is returned at least once whatever is
     * added or removed in between; a key added or removed meanwhile may or may not be returned.
     * Cursors are below 2^{@value #SCAN_CURSOR_BITS}, leaving the top bits free for a caller that
     * spreads one SCAN over shards. Cost: O(count + log n).
     */
    public ScanResult scan(long cursor, int count, byte[] pattern, String type) {
        ValueType wanted = type == null ? null : ValueType.byName(type);
        int budget = Math.max(count, 1);
        List<Bytes> batch = new ArrayList<>(Math.min(budget, 1024));
        long next = 0;
        if (cursor >= 0 && cursor < 1L << SCAN_CURSOR_BITS) {
            long lastPosition = -1;
            for (Bytes k : scanOrder.tailSet(Bytes.scanProbe(cursor), true)) {
                long position = k.scanPosition();
                if (batch.size() >= budget && position != lastPosition) {
                    next = position;
                    break;
                }
                batch.add(k);
                lastPosition = position;
            }
        }
        boolean all = pattern == null || Glob.matchesAll(pattern);
        List<byte[]> keys = new ArrayList<>(batch.size());
        for (Bytes k : batch) {
            Entry e = peek(k); // after the walk: an expiry here changes the tree
            if (e != null && (type == null || e.type == wanted) && (all || Glob.matches(pattern, k.bytes))) {
                keys.add(k.bytes);
            }
        }
        return new ScanResult(next, keys);
    }

    /** The string at {@code key}, or null if it is missing or not a string (as MGET answers). */
    public byte[] getString(byte[] key) {
        Entry e = lookup(new Bytes(key));
        return e != null && e.type == ValueType.STRING ? e.string() : null;
    }

    /** What {@link #readString} returns for a key holding another type. Never a value; compare by identity. */
    public static final byte[] NOT_A_STRING = new byte[0];

    /** A copy of the string at {@code key} (for another shard), null if missing, or {@link #NOT_A_STRING}. */
    public byte[] readString(byte[] key) {
        Entry e = lookup(new Bytes(key));
        return e == null ? null : e.type != ValueType.STRING ? NOT_A_STRING : e.string().clone();
    }

    /** A live key drawn at a random SCAN position (O(log n); not quite uniform), or null if none. */
    public byte[] randomKey() {
        for (int tries = 0; tries < 100 && !scanOrder.isEmpty(); tries++) {
            Bytes k = scanOrder.ceiling(Bytes.scanProbe(random.nextLong(1L << SCAN_CURSOR_BITS)));
            if (k == null) {
                k = scanOrder.first();
            }
            if (peek(k) != null) {
                return k.bytes;
            }
        }
        return null;
    }

    /** Removes {@code key}; false if it was missing. The caller logs the DEL it is running. */
    public boolean delete(byte[] key) {
        Entry e = lookup(new Bytes(key));
        if (e == null) {
            return false;
        }
        remove(e);
        return true;
    }

    public boolean exists(byte[] key) {
        return lookup(new Bytes(key)) != null;
    }

    /**
     * MSET's write: {@code key} becomes the string {@code value} (the array is kept, not copied) with
     * no TTL, whatever it held before. The caller logs the MSET it is running.
     */
    public void setString(byte[] key, byte[] value) {
        Bytes k = new Bytes(key);
        Entry e = lookup(k);
        if (e == null) {
            add(k, ValueType.STRING, value);
        } else {
            e.type = ValueType.STRING;
            e.value = value;
            persist(e);
        }
    }

    /** Writes every live key with its value and expiry; see {@link Snapshot} for the format. */
    public void writeSnapshot(DataOutput out) throws IOException {
        Snapshot.write(this, out, key -> true);
    }

    /** Writes the live keys {@code keep} accepts, in the same format: one shard's part when keys move. */
    public void writeSnapshot(DataOutput out, Predicate<byte[]> keep) throws IOException {
        Snapshot.write(this, out, keep);
    }

    /** Adds what {@link #writeSnapshot} wrote to this keyspace; a key it already holds is an {@link IOException}. */
    public void addSnapshot(DataInput in) throws IOException {
        Snapshot.read(in, this);
    }

    /** A keyspace holding what {@link #writeSnapshot} wrote, less keys whose time has passed since. */
    public static Keyspace readSnapshot(DataInput in, LongSupplier clock) throws IOException {
        Keyspace ks = new Keyspace(clock);
        Snapshot.read(in, ks);
        return ks;
    }

    // ---- for the commands of this package ----

    /** Starts a command: fixes its time and routes its expirations to {@code journal}. */
    void beginCommand(Journal journal) {
        commandTime = clock.getAsLong();
        commandJournal = journal;
    }

    void endCommand() {
        commandTime = NO_COMMAND;
        commandJournal = null;
    }

    SplittableRandom random() {
        return random;
    }

    /** The live entry of {@code key}, or null; a key past its time is removed here. An access: it sets the LRU clock. */
    Entry lookup(Bytes key) {
        Entry e = peek(key);
        if (e != null) {
            e.lru = lruClock();
        }
        return e;
    }

    /** As {@link #lookup(Bytes)} but not an access (Redis's LOOKUP_NOTOUCH): OBJECT reads the idle time it would reset. */
    Entry peek(Bytes key) {
        Entry e = entries.get(key);
        if (e != null && isExpired(e, now())) {
            expire(e);
            return null;
        }
        return e;
    }

    /** Redis's LRU_CLOCK: seconds of {@link #now()}, in 24 bits (it wraps every 194 days, as Redis's). */
    int lruClock() {
        return (int) (now() / 1000) & Entry.LRU_MAX;
    }

    /**
     * The live entry of {@code key} for a command on values of {@code type}: null if the key is
     * missing, or {@link #WRONG_TYPE} after replying WRONGTYPE to {@code out} if it holds another type.
     */
    Entry lookup(Bytes key, ValueType type, ReplySink out) {
        Entry e = lookup(key);
        if (e != null && e.type != type) {
            out.error(Errors.WRONGTYPE);
            return WRONG_TYPE;
        }
        return e;
    }

    /**
     * The live entry of {@code key} for a write to a collection of {@code type}, added empty if the key
     * is missing; null after replying WRONGTYPE. The caller must leave a new entry non-empty, since
     * Redis never keeps an empty collection.
     */
    Entry lookupOrAdd(Bytes key, ValueType type, ReplySink out) {
        Entry e = lookup(key, type, out);
        if (e != null) {
            return e == WRONG_TYPE ? null : e;
        }
        return add(key, type, switch (type) {
            case LIST -> new ListValue(limits);
            case SET -> new SetValue(limits);
            case ZSET -> new ZSetValue(limits);
            case HASH -> new HashValue(limits);
            case STRING -> throw new IllegalArgumentException("a string is not a collection");
        });
    }

    boolean isExpired(Entry e, long now) {
        return e.expireAt != Entry.NO_EXPIRY && !loading && now > e.expireAt;
    }

    /** Adds a key that {@link #lookup} just reported missing; a {@link Bytes#probe()} is copied. */
    Entry add(Bytes key, ValueType type, Object value) {
        key = key.owned(); // a lookup probe becomes a key of its own only here
        Entry e = new Entry(key, type, value);
        e.lru = lruClock();
        Entry old = entries.put(key, e);
        assert old == null : "add over a present key";
        scanOrder.add(key);
        return e;
    }

    void remove(Entry e) {
        entries.remove(e.key);
        scanOrder.remove(e.key);
        e.removed = true;
        if (e.expireAt != Entry.NO_EXPIRY) {
            expires--;
        }
        boundHeap();
    }

    void setExpire(Entry e, long at) {
        if (e.expireAt == at) {
            return;
        }
        if (e.expireAt == Entry.NO_EXPIRY) {
            expires++;
        }
        e.expireAt = at;
        expiryHeap.push(at, e);
        boundHeap();
    }

    /** Drops the TTL of {@code e}; false if it had none. */
    boolean persist(Entry e) {
        if (e.expireAt == Entry.NO_EXPIRY) {
            return false;
        }
        e.expireAt = Entry.NO_EXPIRY;
        expires--;
        boundHeap();
        return true;
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    int expiryHeapSize() {
        return expiryHeap.size();
    }

    private void boundHeap() {
        if (expiryHeap.size() > 2 * expires + HEAP_SLACK) {
            expiryHeap.compact();
        }
    }

    private void expire(Entry e) {
        remove(e);
        (commandJournal != null ? commandJournal : expiryJournal).append(new byte[][] {DEL, e.key.bytes});
    }
}
