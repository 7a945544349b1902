package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.ReplySink;

/**
 * DUMP and RESTORE in Redis' serialization format (cluster.c's dumpCommand and restoreCommand), with
 * Redis 7.2's order of checks and error texts. Owned by one shard; not thread-safe.
 *
 * <p>Journal form: a RESTORE that adds the key is logged as {@code RESTORE key <absolute ms or 0>
 * payload REPLACE [ABSTTL]}, which replays to the same value and expiry whenever it runs; one whose
 * time has already passed only deletes what REPLACE removed, logged as {@code DEL key}. IDLETIME sets
 * the key's access time (OBJECT IDLETIME) and FREQ is checked but, as in Redis under the noeviction
 * policy, kept nowhere; neither is logged, as Redis' AOF keeps no access times.
 */
public final class DumpCommands {
    static final String BUSYKEY = "BUSYKEY Target key name already exists.";
    static final String BAD_PAYLOAD = "ERR DUMP payload version or checksum are wrong";
    static final String BAD_FORMAT = "ERR Bad data format";
    static final String BAD_TTL = "ERR Invalid TTL value, must be >= 0";
    static final String BAD_IDLETIME = "ERR Invalid IDLETIME value, must be >= 0";
    static final String BAD_FREQ = "ERR Invalid FREQ value, must be >= 0 and <= 255";

    private static final byte[] RESTORE = Args.bytes("RESTORE");
    private static final byte[] REPLACE = Args.bytes("REPLACE");
    private static final byte[] ABSTTL = Args.bytes("ABSTTL");
    private static final byte[] DEL = Args.bytes("DEL");
    private static final byte[] ZERO = {'0'};

    private final Keyspace ks;
    private final Bytes probe = Bytes.probe();

    DumpCommands(Keyspace ks) {
        this.ks = ks;
    }

    /** DUMP key: the payload, or a null bulk for a missing key. */
    public void dump(Argv argv, ReplySink out, Journal journal) {
        Entry e = ks.lookup(probe.point(argv, 1));
        if (e == null) {
            out.nullBulk();
            return;
        }
        out.bulk(RdbWriter.payload(RdbObjects.of(e)));
    }

    /** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]. */
    public void restore(Argv argv, ReplySink out, Journal journal) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < argv.count(); j++) {
            boolean more = j + 1 < argv.count();
            if (argv.equalsIgnoreCase(j, "replace")) {
                replace = true;
            } else if (argv.equalsIgnoreCase(j, "absttl")) {
                absttl = true;
            } else if (argv.equalsIgnoreCase(j, "idletime") && more && freq == -1) {
                if (!Numbers.isLong(argv, j + 1)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                idle = Numbers.toLong(argv, ++j);
                if (idle < 0) {
                    out.error(BAD_IDLETIME);
                    return;
                }
            } else if (argv.equalsIgnoreCase(j, "freq") && more && idle == -1) {
                if (!Numbers.isLong(argv, j + 1)) {
                    out.error(Errors.NOT_INTEGER);
                    return;
                }
                freq = Numbers.toLong(argv, ++j);
                if (freq < 0 || freq > 255) {
                    out.error(BAD_FREQ);
                    return;
                }
            } else {
                out.error(Errors.SYNTAX);
                return;
            }
        }
        Entry existing = ks.lookup(probe.point(argv, 1));
        if (!replace && existing != null) {
            out.error(BUSYKEY);
            return;
        }
        if (!Numbers.isLong(argv, 2)) {
            out.error(Errors.NOT_INTEGER);
            return;
        }
        long ttl = Numbers.toLong(argv, 2);
        if (ttl < 0) {
            out.error(BAD_TTL);
            return;
        }
        byte[] payload = argv.bytes(3);
        if (!RdbReader.footerValid(payload)) {
            out.error(BAD_PAYLOAD);
            return;
        }
        RdbValue value;
        try {
            value = RdbReader.read(payload);
        } catch (RdbInput.Corrupt bad) {
            out.error(BAD_FORMAT);
            return;
        }
        byte[] key = argv.bytes(1);
        if (existing != null) {
            ks.remove(existing);
        }
        if (ttl != 0 && !absttl) {
            long now = ks.now();
            ttl = ttl > Long.MAX_VALUE - now ? Long.MAX_VALUE : ttl + now;
        }
        if (ttl != 0 && ttl <= ks.now() && !ks.isLoading()) {
            if (existing != null) {
                journal.append(DEL, key);
                ks.notifier().notify(Notifier.GENERIC, "del", key);
            }
            out.simple("OK");
            return;
        }
        Entry e = ks.add(new Bytes(key), value.type(), RdbObjects.toValue(value, ks.limits()));
        if (ttl != 0) {
            ks.setExpire(e, ttl);
        }
        if (idle >= 0) { // objectSetLRUOrLFU: the access time IDLETIME seconds ago, on the wrapping 24-bit clock
            long at = ks.lruClock() - idle;
            if (at < 0) {
                at += Entry.LRU_MAX;
            }
            e.lru((int) (at & Entry.LRU_MAX));
        }
        out.simple("OK");
        ks.notifier().notify(Notifier.GENERIC, "restore", key);
        journal.append(ttl != 0 ? new byte[][] {RESTORE, key, Numbers.ascii(ttl), payload, REPLACE, ABSTTL}
                : new byte[][] {RESTORE, key, ZERO, payload, REPLACE});
    }
}
