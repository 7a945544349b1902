package io.shardline.examples.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The WATCHed keys of one shard, by key and by client, marked dirty by every write the shard's
 * {@link KeyChanges} reports (expiry included, as the DEL it logs) and by FLUSHDB, FLUSHALL and SWAPDB
 * for the watched keys that are live in the database then. Owned by the {@link KvShard}; every method
 * runs on its thread. A client's connection may live on another shard: it only ever sends its client id.
 */
final class Watches implements KeyChanges.Listener {
    private static final class Watch {
        final long client;
        final TxLocks.Key key;
        boolean dirty;

        Watch(long client, TxLocks.Key key) {
            this.client = client;
            this.key = key;
        }
    }

    private final KvShard shard;
    private final HashMap<TxLocks.Key, List<Watch>> byKey = new HashMap<>();
    private final HashMap<Long, List<Watch>> byClient = new HashMap<>();

    Watches(KvShard shard) {
        this.shard = shard;
    }

    /**
     * WATCH {@code key} for {@code client}. The key is looked up first, so one already past its time is
     * expired before the watch starts and does not fail the EXEC (Redis' "WATCH stale keys").
     */
    void watch(long client, TxLocks.Key key) {
        shard.keyspace(key.db).exists(key.key);
        List<Watch> mine = byClient.computeIfAbsent(client, id -> new ArrayList<>(2));
        for (Watch w : mine) {
            if (w.key.equals(key)) {
                return; // Redis watches a key once per client
            }
        }
        Watch w = new Watch(client, key);
        mine.add(w);
        byKey.computeIfAbsent(key, k -> new ArrayList<>(1)).add(w);
    }

    /**
     * EXEC's check, under the transaction's locks: whether none of {@code client}'s watched keys here
     * changed since WATCH. Each is looked up first, so one that expired meanwhile fails the check as it
     * does in Redis 7. The client's watches here end either way.
     */
    boolean checkAndForget(long client) {
        List<Watch> mine = byClient.get(client);
        if (mine == null) {
            return true;
        }
        for (Watch w : mine) {
            shard.keyspace(w.key.db).exists(w.key.key); // a key past its time is expired (and logged) now
        }
        boolean clean = true;
        for (Watch w : mine) {
            clean &= !w.dirty;
        }
        forget(client);
        return clean;
    }

    /** UNWATCH, DISCARD, RESET, EXEC or a closed connection: {@code client} watches nothing here now. */
    void forget(long client) {
        List<Watch> mine = byClient.remove(client);
        if (mine == null) {
            return;
        }
        for (Watch w : mine) {
            List<Watch> same = byKey.get(w.key);
            if (same != null) {
                same.remove(w);
                if (same.isEmpty()) {
                    byKey.remove(w.key);
                }
            }
        }
    }

    /** Watched keys here, all clients (tests). */
    int size() {
        return byKey.size();
    }

    @Override
    public boolean listening() {
        return !byKey.isEmpty();
    }

    @Override
    public void keyChanged(int db, byte[] key) {
        List<Watch> same = byKey.get(new TxLocks.Key(db, key));
        if (same != null) {
            for (Watch w : same) {
                w.dirty = true;
            }
        }
    }

    /**
     * Database {@code db} is about to be flushed, or has just been swapped (the shard tells before and
     * after a swap): a watched key of it that is live now changed, as Redis' touchAllWatchedKeysInDb.
     */
    @Override
    public void allChanged(int db) {
        for (List<Watch> same : byKey.values()) {
            TxLocks.Key key = same.get(0).key;
            if (key.db == db && shard.keyspace(db).holdsLive(key.key)) {
                for (Watch w : same) {
                    w.dirty = true;
                }
            }
        }
    }
}
