package io.shardline.examples.kv;

import io.shardline.examples.kv.store.Keyspace;
import io.shardline.examples.kv.store.Notifier;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * One shard's keyspace notifications: the server-wide {@code notify-keyspace-events} as this shard
 * applies it (CONFIG SET sets it on every shard), and the {@link Notifier.Sink} of its keyspaces.
 * Owned by the {@link KvShard}; used on its thread, events while the command that raised them runs.
 *
 * <p>An event goes out as notify.c sends it: with 'K' on {@code __keyspace@<db>__:<key>} with the
 * event as message, then with 'E' on {@code __keyevent@<db>__:<event>} with the key as message, both
 * through {@link ShardPubSub#publishEvent} from this shard, so one key's events keep their order.
 */
final class KeyspaceEvents implements Notifier.Sink {
    private KvServer server;
    private int flags;
    /** This shard's keyspaces by database number (their notifier's {@link Notifier#db()}). */
    private Keyspace[] keyspaces = new Keyspace[1];

    /** Where events go: the server's pub/sub (set before the server takes clients; until then none go). */
    void publishTo(KvServer server) {
        this.server = server;
    }

    /**
     * {@code ks} is this shard's keyspace of its database ({@code ks.notifier().db()}, set first; 0
     * unless set) now, in place of any before: it raises its events here, with the flags in force.
     */
    void attach(Keyspace ks) {
        int db = ks.notifier().db();
        if (db >= keyspaces.length) {
            keyspaces = java.util.Arrays.copyOf(keyspaces, db + 1);
        }
        keyspaces[db] = ks;
        ks.notifier().setSink(this);
        ks.notifier().setFlags(flags);
    }

    /** CONFIG SET notify-keyspace-events on this shard: every database's keyspace. */
    void setFlags(int flags) {
        this.flags = flags;
        for (Keyspace ks : keyspaces) {
            if (ks != null) {
                ks.notifier().setFlags(flags);
            }
        }
    }

    int flags() {
        return flags;
    }

    /**
     * Before {@code spec} runs on {@code ks}: with 'm' on, a read's lookups that miss raise "keymiss",
     * as Redis' lookupKeyRead does (and GETEX's and GETDEL's, which use it too; OBJECT's do not).
     */
    void beforeCommand(Keyspace ks, CommandSpec spec) {
        if ((flags & Notifier.KEY_MISS) != 0) {
            String name = spec.name();
            ks.noteMisses(spec.write() ? name.equals("getex") || name.equals("getdel") : !name.equals("object"));
        }
    }

    /**
     * Runs {@code read} on {@code shard} (this thread's) as a read command's lookups: with 'm' on, the
     * keys it finds missing raise "keymiss". For the reads a cross-shard form makes outside a command
     * (MGET's and EXISTS' parts, SORT's source).
     */
    static <T> T asRead(KvShard shard, int db, Supplier<T> read) {
        if ((shard.events().flags() & Notifier.KEY_MISS) == 0) {
            return read.get();
        }
        shard.keyspace(db).noteMisses(true);
        try {
            return read.get();
        } finally {
            shard.keyspace(db).noteMisses(false);
        }
    }

    @Override
    public void publish(int flags, int db, String event, byte[] key) {
        if (server == null) {
            return;
        }
        ShardPubSub pubsub = server.pubsub().local();
        byte[] eventBytes = event.getBytes(StandardCharsets.US_ASCII);
        if ((flags & Notifier.KEYSPACE) != 0) {
            pubsub.publishEvent(new PubSubName(concat(prefix("__keyspace@", db), key)), eventBytes);
        }
        if ((flags & Notifier.KEYEVENT) != 0) {
            pubsub.publishEvent(new PubSubName(concat(prefix("__keyevent@", db), eventBytes)), key);
        }
    }

    /**
     * Runs {@code write} on {@code shard} (this thread's) with its keyspace's events held back: a
     * cross-shard form made of plain steps (DEL, SET, RPUSH...) then raises the events Redis' single
     * command would, rather than its steps'.
     */
    static <T> T quietly(KvShard shard, int db, Supplier<T> write) {
        Notifier n = shard.keyspace(db).notifier();
        int flags = n.flags();
        if (flags == 0) {
            return write.get();
        }
        n.setFlags(0);
        try {
            return write.get();
        } finally {
            n.setFlags(flags);
        }
    }

    private static byte[] prefix(String kind, int db) {
        return (kind + db + "__:").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
