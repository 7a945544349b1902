// About 570 lines: one shard's keys, their TTLs and the byte accounting kept in step with both; every
// add, remove, expiry and command end updates all three here, so split, each part would reach into the others.
package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The data of one shard: keys mapped to typed values (string, list, set, hash, sorted set) with an
 * optional absolute expiry in Unix milliseconds. Owned by one shard; not thread-safe: every method,
 * the typed helpers included, runs on that shard's thread. There are no locks and no atomics.
 *
 * <p>Why one file of about 630 lines: it is the shard's one API over its keys. Lookup, expiry (lazy and
 * active), eviction, the typed accessors and the counters INFO reads all keep the key table and the
 * expiry table consistent together; the tables themselves ({@link KeyTable}, {@link ExpiryTable}) and
 * the value types live in files of their own.
 *
 * <p>Keys sit in a {@link KeyTable} (open addressing, one {@link Entry} and one record per key), TTLs
 * in a separate {@link ExpiryTable}, as Redis keeps {@code dict} and {@code expires}. A lookup by slice
 * ({@link #lookup(byte[], int, int)}) allocates nothing.
 *
 * <p>Expiry is lazy (a key past its time behaves as absent on any access and is removed then) and
 * active ({@link #activeExpire(int)}, a periodic sweep over the expiry table from where the last one
 * stopped). Redis' rule decides: a key expires when the clock is past its time, so at exactly its time
 * it still exists with a TTL of 0. Each removal by expiry is reported as {@code DEL key} to the journal
 * of the command running at that moment, or else to {@link #setExpiryJournal(Journal)}, so a replayed
 * journal sees the same keys disappear.
 *
 * <p>Memory. {@link #usedMemory()} counts the heap bytes of the tables, entries, records and raw
 * strings exactly, and a collection's contents by an estimate per element. Commands change values in
 * place, so an entry a command looks up is noted and its bytes are counted again when the command
 * ends. With a limit set ({@link #setMemoryLimit(long)}), {@link #exceedsMemoryLimit(long)} is what
 * a server asks before a command that may grow memory, to answer Redis' -OOM instead of running it.
 */
public final class Keyspace {
    /**
     * SCAN cursors are below 2^48: a caller spreading one SCAN over shards may keep a shard number in
     * the top 16 bits of the cursor it hands out.
     */
    public static final int SCAN_CURSOR_BITS = 48;

    /**
     * What {@link #lookup(Bytes, ValueType, ReplySink)} returns after it replied WRONGTYPE. Never in a
     * keyspace; it has no record, so code that takes it for a live entry fails at once.
     */
    static final Entry WRONG_TYPE = Entry.sentinel();

    /** What {@link #readString} returns for a key holding another type. Never a value; compare by identity. */
    public static final byte[] NOT_A_STRING = new byte[0];

    private static final long NO_COMMAND = Long.MIN_VALUE;
    private static final byte[] DEL = {'D', 'E', 'L'};
    /** Expiry-table slots one sweep may examine per key it is allowed to remove (Redis samples 20 per loop). */
    private static final int SWEEP_SLOTS_PER_KEY = 20;

    private final LongSupplier clock;
    private final KeyTable table = new KeyTable();
    private final ExpiryTable expires = new ExpiryTable();
    private final SplittableRandom random = new SplittableRandom();
    private final Touched touched = new Touched();
    private boolean loading;
    /** The time every lookup of the running command uses (Redis' commandTimeSnapshot), or NO_COMMAND. */
    private long commandTime = NO_COMMAND;
    private Journal commandJournal;
    private Journal expiryJournal = Journal.NONE;
    /** Heap bytes of the entries (tables aside), as of each one's last count. */
    private long entryBytes;
    private long memoryLimit;
    private final EncodingLimits limits;
    /** Told each stream key that leaves (deleted, expired, renamed, flushed): blocked group readers end then. */
    private java.util.function.Consumer<byte[]> streamGone = key -> { };
    /** Keyspace notifications: off (one int test per event) unless notify-keyspace-events is set. */
    private final Notifier notifier = new Notifier();
    /** Set for one read-only command while 'm' is enabled: its lookups that miss raise "keymiss". */
    private boolean notingMisses;
    /** Set while a command re-adds a key it just removed, which Redis overwrites (setKey): no "new" then. */
    private boolean overwriting;

    /** An empty keyspace reading the time, in Unix milliseconds, from {@code clock}. */
    public Keyspace(LongSupplier clock) {
        this(clock, new EncodingLimits());
    }

    /** Like {@link #Keyspace(LongSupplier)}, sharing {@code limits} (one shard's databases share its CONFIG SET thresholds). */
    public Keyspace(LongSupplier clock, EncodingLimits limits) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** This keyspace's notification hook: its classes, its database number and where events go. */
    public Notifier notifier() {
        return notifier;
    }

    /**
     * The next command is a read (or not, {@code read} false) and 'm' is enabled: its lookups that find
     * no key raise "keymiss", as Redis' lookupKeyRead does. Cleared when the command ends.
     */
    public void noteMisses(boolean read) {
        notingMisses = read;
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
        notifier.setLoading(loading);
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
        return table.size();
    }

    /** Keys that have a TTL. */
    public int expiresCount() {
        return expires.size();
    }

    /** Heap bytes this keyspace holds: tables, entries, records and values (collections estimated). */
    public long usedMemory() {
        return entryBytes + table.bytes() + expires.bytes();
    }

    /** Bytes {@link #exceedsMemoryLimit} allows; 0 for no limit. */
    public void setMemoryLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("memory limit must be >= 0, was " + bytes);
        }
        this.memoryLimit = bytes;
    }

    public long memoryLimit() {
        return memoryLimit;
    }

    /**
     * Whether holding {@code incomingBytes} more would pass the limit: checked before a command that
     * may grow memory, with its arguments' size, so one oversized value is refused as well as a flood.
     */
    public boolean exceedsMemoryLimit(long incomingBytes) {
        return memoryLimit > 0 && usedMemory() + incomingBytes > memoryLimit;
    }

    /** Removes every key. Reports nothing to a journal: FLUSHALL is logged by whoever runs it. */
    public void flush() {
        for (Entry e : table) {
            if (e.type() == ValueType.STREAM) {
                streamGone.accept(e.key());
            }
        }
        table.clear();
        expires.clear();
        touched.clear();
        entryBytes = 0;
    }

    /**
     * Removes up to {@code maxKeys} keys whose time has passed, reporting each as a DEL; returns how
     * many it removed. It examines at most {@value #SWEEP_SLOTS_PER_KEY} expiry slots per key it may
     * remove (one full pass at most), resuming where the previous sweep stopped, so a sweep's cost is
     * bounded however many keys have a TTL.
     */
    public int activeExpire(int maxKeys) {
        if (loading || maxKeys <= 0) {
            return 0;
        }
        long now = now();
        int removed = 0;
        long budget = Math.min((long) expires.capacity(), (long) maxKeys * SWEEP_SLOTS_PER_KEY);
        expires.beginSweep();
        try {
            while (budget > 0 && removed < maxKeys && expires.size() > 0) {
                Entry e = expires.entryAtCursor();
                if (e != null && expires.timeAtCursor() < now) {
                    expire(e); // the cursor stays: the removal may shift the run's next key into this slot
                    removed++;
                } else {
                    expires.advanceCursor();
                    budget--;
                }
            }
        } finally {
            expires.endSweep();
        }
        return removed;
    }

    /** KEYS: every live key matching the glob {@code pattern}. O(n), as in Redis. */
    public List<byte[]> keys(byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        boolean all = Glob.matchesAll(pattern);
        if (!all && Glob.isLiteral(pattern)) {
            Entry e = peek(pattern, 0, pattern.length, KeyHash.of(pattern, 0, pattern.length)); // no access
            if (e != null) {
                out.add(e.key());
            }
            return out;
        }
        long now = now();
        List<Entry> expired = new ArrayList<>();
        for (Entry e : table) { // the walk changes nothing: expired keys go after it
            if (isExpired(e, now)) {
                expired.add(e);
            } else if (all || Glob.matches(pattern, e.keyBytes(), e.keyOffset(), e.keyLength())) {
                out.add(e.key());
            }
        }
        for (Entry e : expired) {
            expire(e);
        }
        return out;
    }

    /**
     * One SCAN step: examines the keys of about {@code count} home slots from {@code cursor} (0 starts)
     * and returns those matching {@code pattern} (a glob, or null for all) and {@code type} (a TYPE name
     * such as "zset", or null for all; an unknown name matches nothing), with the cursor to pass next,
     * 0 at the end.
     *
     * <p>The cursor is a reverse-binary home-slot number, as Redis' ({@link KeyTable}), so a key
     * present from the first call to the last is returned at least once whatever is added or removed
     * in between and however the table resizes; a key added or removed meanwhile may or may not be
     * returned. Cursors are below 2^{@value #SCAN_CURSOR_BITS}, leaving the top bits free for a caller
     * that spreads one SCAN over shards.
     */
    public ScanResult scan(long cursor, int count, byte[] pattern, String type) {
        ValueType wanted = type == null ? null : ValueType.byName(type);
        List<Entry> batch = new ArrayList<>(Math.min(Math.max(count, 1), 1024));
        long next = 0;
        if (cursor >= 0 && cursor < 1L << SCAN_CURSOR_BITS && table.size() > 0) {
            next = table.scan(cursor, count, batch);
        }
        boolean all = pattern == null || Glob.matchesAll(pattern);
        List<byte[]> keys = new ArrayList<>(batch.size());
        long now = now();
        List<Entry> expired = null;
        for (Entry e : batch) {
            if (isExpired(e, now)) {
                (expired == null ? expired = new ArrayList<>() : expired).add(e);
            } else if ((type == null || e.type() == wanted)
                    && (all || Glob.matches(pattern, e.keyBytes(), e.keyOffset(), e.keyLength()))) {
                keys.add(e.key());
            }
        }
        if (expired != null) {
            for (Entry e : expired) { // after the walk: a removal shifts slots
                expire(e);
            }
        }
        return new ScanResult(next, keys);
    }

    /** The string at {@code key}, or null if it is missing or not a string (as MGET answers). */
    public byte[] getString(byte[] key) {
        Entry e = lookup(key, 0, key.length);
        return e != null && e.type() == ValueType.STRING ? stringCopy(e) : null;
    }

    /** A copy of the string at {@code key} (for another shard), null if missing, or {@link #NOT_A_STRING}. */
    public byte[] readString(byte[] key) {
        Entry e = lookup(key, 0, key.length);
        return e == null ? null : e.type() != ValueType.STRING ? NOT_A_STRING : stringCopy(e);
    }

    private static byte[] stringCopy(Entry e) {
        int off = e.stringOffset();
        return Arrays.copyOfRange(e.stringBytes(), off, off + e.stringLength());
    }

    /** A live key from a random slot (not quite uniform: a key after a long run of free slots is likelier), or null if none. */
    public byte[] randomKey() {
        for (int tries = 0; tries < 100 && table.size() > 0; tries++) {
            Entry e = table.random(random);
            if (peek(e.keyBytes(), e.keyOffset(), e.keyLength(), e.keyHash()) != null) { // no access, as Redis's
                return e.key();
            }
        }
        return null;
    }

    /** Removes {@code key}; false if it was missing. The caller logs the DEL it is running. */
    public boolean delete(byte[] key) {
        Entry e = lookup(key, 0, key.length);
        if (e == null) {
            return false;
        }
        remove(e);
        return true;
    }

    /**
     * Whether {@code key} is live now, without expiring it, counting an access or raising a keymiss:
     * WATCH asks this of its keys when a whole database is flushed or swapped.
     */
    public boolean holdsLive(byte[] key) {
        int hash = KeyHash.of(key, 0, key.length);
        Entry e = table.find(key, 0, key.length, hash);
        return e != null && !(e.hasTtl() && now() > expires.get(e, hash));
    }

    public boolean exists(byte[] key) {
        return lookup(key, 0, key.length) != null;
    }

    /**
     * MSET's write: {@code key} becomes the string {@code value} (a long value's array is kept, not
     * copied) with no TTL, whatever it held before; returns its entry. The caller logs the MSET it is running.
     */
    public Entry setString(byte[] key, byte[] value) {
        int hash = KeyHash.of(key, 0, key.length);
        Entry e = lookup(key, 0, key.length, hash);
        if (e == null) {
            return add(key, 0, key.length, hash, ValueType.STRING, value);
        }
        e.setString(value);
        persist(e);
        return e;
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

    /** Ends a command: the entries it looked up are counted again, since it may have changed them in place. */
    void endCommand() {
        entryBytes += touched.recount();
        commandTime = NO_COMMAND;
        commandJournal = null;
        notingMisses = false;
    }

    SplittableRandom random() {
        return random;
    }

    /** The hash {@link #lookup(byte[], int, int, int)} takes for {@code key[off, off+len)} (a probe's is {@link KeyHash#of(Bytes)}). */
    static int hash(byte[] key, int off, int len) {
        return KeyHash.of(key, off, len);
    }

    /**
     * The live entry of {@code key} (a stored key or a {@link Bytes#probe()}), or null; a key past its
     * time is removed here. An access: it sets the entry's LRU clock.
     */
    Entry lookup(Bytes key) {
        return touch(peek(key.bytes, key.offset(), key.length(), KeyHash.of(key)));
    }

    /** As {@link #lookup(Bytes)} but not an access (Redis's LOOKUP_NOTOUCH): OBJECT reads the idle time it would reset. */
    Entry peek(Bytes key) {
        return peek(key.bytes, key.offset(), key.length(), KeyHash.of(key));
    }

    /** The live entry of the key {@code key[off, off+len)}, or null; an access; allocates nothing. */
    Entry lookup(byte[] key, int off, int len) {
        return touch(peek(key, off, len, KeyHash.of(key, off, len)));
    }

    /** As {@link #lookup(byte[], int, int)} with the key's {@link #hash} already computed. */
    Entry lookup(byte[] key, int off, int len, int hash) {
        return touch(peek(key, off, len, hash));
    }

    private Entry touch(Entry e) {
        if (e != null && !noTouch) {
            e.lru(lruClock());
        }
        if (countingLookups) {
            if (e == null) {
                misses++;
            } else {
                hits++;
            }
        }
        return e;
    }

    /** Set by the shard around a read-only command: Redis counts keyspace hits and misses of reads only. */
    private boolean countingLookups;
    /** Set by the shard around a command of a CLIENT NO-TOUCH client: its lookups leave the LRU clock alone. */
    private boolean noTouch;
    private long hits;
    private long misses;

    /** Whether the lookups of the command about to run count as INFO's keyspace_hits/keyspace_misses. */
    public void countLookups(boolean on) {
        countingLookups = on;
    }

    /** Whether the command about to run leaves the keys' access times as they are (CLIENT NO-TOUCH). */
    public void noTouch(boolean on) {
        noTouch = on;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** CONFIG RESETSTAT. */
    public void resetLookupStats() {
        hits = 0;
        misses = 0;
    }

    /** Redis's LRU_CLOCK: seconds of {@link #now()}, in 24 bits (it wraps every 194 days, as Redis's). */
    int lruClock() {
        return (int) (now() / 1000) & Entry.LRU_MAX;
    }

    /** The live entry of {@code key[off, off+len)} hashing to {@code hash}, or null, without touching its LRU clock. */
    Entry peek(byte[] key, int off, int len, int hash) {
        Entry e = table.find(key, off, len, hash);
        if (e == null) {
            if (notingMisses) {
                notifier.notify(Notifier.KEY_MISS, "keymiss", Arrays.copyOfRange(key, off, off + len));
            }
            return null;
        }
        if (e.hasTtl() && !loading && now() > expires.get(e, hash)) {
            expire(e, hash);
            if (notingMisses) { // expired, then missed: lookupKey raises both
                notifier.notify(Notifier.KEY_MISS, "keymiss", Arrays.copyOfRange(key, off, off + len));
            }
            return null;
        }
        if (commandTime != NO_COMMAND) {
            touched.note(e);
        }
        return e;
    }

    /**
     * The live entry of {@code key} for a command on values of {@code type}: null if the key is
     * missing, or {@link #WRONG_TYPE} after replying WRONGTYPE to {@code out} if it holds another type.
     */
    Entry lookup(Bytes key, ValueType type, ReplySink out) {
        Entry e = lookup(key);
        if (e != null && e.type() != type) {
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
            case STREAM -> new StreamValue();
            case STRING -> throw new IllegalArgumentException("a string is not a collection");
        });
    }

    boolean isExpired(Entry e, long now) {
        return e.hasTtl() && !loading && now > expires.get(e, e.keyHash());
    }

    /** Absolute Unix milliseconds after which {@code e} is gone, or {@link Entry#NO_EXPIRY}. */
    long expireAt(Entry e) {
        return e.hasTtl() ? expires.get(e, e.keyHash()) : Entry.NO_EXPIRY;
    }

    /**
     * Adds a key that {@link #lookup} just reported missing; a string's array may be kept. The key's
     * bytes are copied into the entry's record, so {@code key} may be a {@link Bytes#probe()}.
     */
    Entry add(Bytes key, ValueType type, Object value) {
        return add(key.bytes, key.offset(), key.length(), KeyHash.of(key), type, value);
    }

    /** {@link #add}, for a key whose old value the caller removed ({@code replaced}): Redis' overwrite raises no "new". */
    Entry addReplacing(Bytes key, ValueType type, Object value, boolean replaced) {
        overwriting = replaced;
        try {
            return add(key, type, value);
        } finally {
            overwriting = false;
        }
    }

    Entry add(byte[] key, int off, int len, int hash, ValueType type, Object value) {
        return insert(Entry.of(key, off, len, type, value), hash);
    }

    /** Adds the string {@code v[voff, voff+vlen)}, copied, at {@code key} (maybe a probe), which {@link #lookup} just reported missing. */
    Entry addString(Bytes key, byte[] v, int voff, int vlen) {
        return insert(Entry.ofString(key.bytes, key.offset(), key.length(), v, voff, vlen), KeyHash.of(key));
    }

    private Entry insert(Entry e, int hash) {
        if (!table.hasRoom()) {
            throw new IllegalStateException("OOM the key table of this shard is full");
        }
        e.lru(lruClock());
        table.insert(e, hash);
        entryBytes += Touched.bytesOf(e);
        if (notifier.enabled(Notifier.NEW) && !overwriting) { // dbAdd's "new", before the command's own event
            notifier.notify(Notifier.NEW, "new", e.key());
        }
        if (commandTime != NO_COMMAND) {
            touched.note(e);
        }
        return e;
    }

    /** Where a stream key that leaves the keyspace is reported (the shard's blocked readers). */
    public void onStreamGone(java.util.function.Consumer<byte[]> listener) {
        this.streamGone = Objects.requireNonNull(listener, "listener");
    }

    void remove(Entry e) {
        remove(e, e.keyHash());
    }

    private void remove(Entry e, int hash) {
        if (e.type() == ValueType.STREAM) {
            streamGone.accept(e.key());
        }
        table.delete(e, hash);
        if (e.hasTtl()) {
            expires.remove(e, hash);
        }
        entryBytes -= touched.forget(e);
        e.markRemoved();
    }

    void setExpire(Entry e, long at) {
        expires.put(e, e.keyHash(), at);
        e.markTtl(true);
    }

    /** Drops the TTL of {@code e}; false if it had none. */
    boolean persist(Entry e) {
        if (!e.hasTtl()) {
            return false;
        }
        expires.remove(e, e.keyHash());
        e.markTtl(false);
        return true;
    }

    /** Slots of the expiry table, for tests of its resizing. */
    int expiryTableCapacity() {
        return expires.capacity();
    }

    /** Every entry, live or past its time, for a walk that changes nothing meanwhile (a snapshot). */
    Iterable<Entry> entries() {
        return table;
    }

    private void expire(Entry e) {
        expire(e, e.keyHash());
    }

    private void expire(Entry e, int hash) {
        byte[] key = e.key();
        remove(e, hash);
        (commandJournal != null ? commandJournal : expiryJournal).append(new byte[][] {DEL, key});
        notifier.notify(Notifier.EXPIRED, "expired", key);
    }
}
