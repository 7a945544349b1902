package io.shardline.examples.kv;

import io.shardline.examples.kv.store.Notifier;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Publishes one shard's keyspace notifications: the {@link Notifier.Sink} of its keyspaces. Owned by
 * the {@link KvShard}; called on its thread, while the command that raised the event runs.
 *
 * <p>An event goes out as notify.c sends it: with 'K' on {@code __keyspace@<db>__:<key>} with the
 * event as message, then with 'E' on {@code __keyevent@<db>__:<event>} with the key as message, both
 * through {@link ShardPubSub#publishEvent} from this shard, so one key's events keep their order.
 */
final class KeyspaceEvents implements Notifier.Sink {
    private final KvServer server;

    KeyspaceEvents(KvServer server) {
        this.server = server;
    }

    @Override
    public void publish(int flags, int db, String event, byte[] key) {
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
    static <T> T quietly(KvShard shard, Supplier<T> write) {
        Notifier n = shard.keyspace().notifier();
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
