package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import java.util.Arrays;
import java.util.Objects;

/**
 * The keyspace-notification hook of one {@link Keyspace} (notify.c's notifyKeyspaceEvent). Owned by
 * that keyspace's shard; every method runs on its thread.
 *
 * <p>Commands call {@link #notify} for every event Redis would raise, in Redis' order. With the
 * server's {@code notify-keyspace-events} empty (the default) that is one int test and nothing more,
 * so the hot write paths pay no allocation; only an enabled class copies the key and hands it to the
 * {@link Sink}, which publishes on the shard's pub/sub.
 */
public final class Notifier {
    // notify.c's class bits (server.h NOTIFY_*): the same values, so the rendering order is Redis's.
    public static final int KEYSPACE = 1;
    public static final int KEYEVENT = 1 << 1;
    public static final int GENERIC = 1 << 2;
    public static final int STRING = 1 << 3;
    public static final int LIST = 1 << 4;
    public static final int SET = 1 << 5;
    public static final int HASH = 1 << 6;
    public static final int ZSET = 1 << 7;
    public static final int EXPIRED = 1 << 8;
    public static final int EVICTED = 1 << 9;
    public static final int STREAM = 1 << 10;
    public static final int KEY_MISS = 1 << 11;
    public static final int MODULE = 1 << 12;
    public static final int NEW = 1 << 13;
    /** 'A': every class but key misses and new keys (which must be asked for by name). */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** Where an enabled event goes: the shard publishes it on the keyspace and keyevent channels. */
    @FunctionalInterface
    public interface Sink {
        /** {@code key} is an array of its own; {@code flags} are the classes in force (K and E among them). */
        void publish(int flags, int db, String event, byte[] key);
    }

    /** The classes in force now: {@link #configured}, or 0 while the keyspace loads. One int test per event. */
    private int flags;
    private int configured;
    private boolean loading;
    private int db;
    private Sink sink = (f, d, e, k) -> { };

    /** The classes in force (CONFIG SET notify-keyspace-events); 0 turns every event off. */
    public void setFlags(int flags) {
        this.configured = flags;
        this.flags = loading ? 0 : flags;
    }

    /** The classes CONFIG SET gave (whether or not the keyspace is loading). */
    public int flags() {
        return configured;
    }

    /** A keyspace replaying its journal or a snapshot raises nothing: those writes happened before. */
    void setLoading(boolean loading) {
        this.loading = loading;
        this.flags = loading ? 0 : configured;
    }

    /** The database number the channels name ({@code __keyspace@<db>__:}); 0 unless set. */
    public void setDb(int db) {
        this.db = db;
    }

    public int db() {
        return db;
    }

    public void setSink(Sink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Whether events of class {@code type} are published: callers that build something for an event ask first. */
    public boolean enabled(int type) {
        return (flags & type) != 0;
    }

    /** Raises {@code event} of class {@code type} on {@code key}. */
    public void notify(int type, String event, byte[] key) {
        if ((flags & type) != 0) {
            sink.publish(flags, db, event, key.clone());
        }
    }

    /** Raises {@code event} on the key of {@code e}, copied only if the class is enabled. */
    void notify(int type, String event, Entry e) {
        if ((flags & type) != 0) {
            sink.publish(flags, db, event, e.key());
        }
    }

    void notify(int type, String event, Bytes key) {
        if ((flags & type) != 0) {
            sink.publish(flags, db, event, Arrays.copyOfRange(key.bytes, key.offset(), key.offset() + key.length()));
        }
    }

    /** Raises {@code event} on the key at argument {@code i} of {@code argv}. */
    public void notify(int type, String event, Argv argv, int i) {
        if ((flags & type) != 0) {
            sink.publish(flags, db, event, Arrays.copyOfRange(argv.array(i), argv.offset(i), argv.offset(i) + argv.length(i)));
        }
    }

    /** The event named as the command {@code argv} runs: its name in lower case (zremrangebyrank, sinterstore...). */
    static String commandEvent(Argv argv) {
        byte[] name = argv.bytes(0);
        char[] c = new char[name.length];
        for (int i = 0; i < c.length; i++) {
            int b = name[i] & 0xFF;
            c[i] = (char) (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        return new String(c);
    }

    /** The flags {@code s} names (notify.c's keyspaceEventsStringToFlags), or -1 for a character it does not know. */
    public static int parse(String s) {
        int f = 0;
        for (int i = 0; i < s.length(); i++) {
            f |= switch (s.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> -1;
            };
            if (f < 0) {
                return -1;
            }
        }
        return f;
    }

    /** What CONFIG GET shows for {@code flags} (keyspaceEventsFlagsToString): 'A' hides 'n', as Redis's does. */
    public static String render(int flags) {
        StringBuilder s = new StringBuilder();
        if ((flags & ALL) == ALL) {
            s.append('A');
        } else {
            String chars = "g$lshzxetdn";
            int[] bits = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};
            for (int i = 0; i < bits.length; i++) {
                if ((flags & bits[i]) != 0) {
                    s.append(chars.charAt(i));
                }
            }
        }
        if ((flags & KEYSPACE) != 0) {
            s.append('K');
        }
        if ((flags & KEYEVENT) != 0) {
            s.append('E');
        }
        if ((flags & KEY_MISS) != 0) {
            s.append('m');
        }
        return s.toString();
    }
}
