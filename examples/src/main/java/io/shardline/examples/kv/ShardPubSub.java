package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.store.Glob;
import io.shardline.shard.Shard;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One shard's part of pub/sub, shared with no other shard: the subscribers living on it, the
 * directory of the channels whose hash slot it owns (which shards have subscribers to each), and its
 * replica of the pattern table (which shards have subscribers to each pattern). Owned by its shard;
 * every method runs on that shard's thread, and other shards reach it only by mesh messages.
 *
 * <p>A PUBLISH goes to the channel's home shard, which sends one message per shard in the directory
 * entry or holding a matching pattern; each delivers to its own subscribers and answers how many it
 * reached. Every message of a channel passes through its home, so its subscribers all see one order.
 * Directory and pattern entries are set by a shard's first local subscriber and cleared by its last:
 * they never outgrow the subscriptions that exist, and the mesh's FIFO order per pair of shards keeps
 * set and clear in order.
 */
final class ShardPubSub {
    /** Local subscribers of one name, and when its home (or every shard, for a pattern) knows of them. */
    private static final class Local {
        final LinkedHashSet<KvConnection> subscribers = new LinkedHashSet<>();
        Future<?> known;
    }

    private final int id;
    private final KvServer server;
    private final SlotTable slots;
    private final Map<PubSubName, Local> channels = new HashMap<>();
    private final Map<PubSubName, Local> patterns = new HashMap<>();
    private final Map<PubSubName, Local> shardChannels = new HashMap<>();
    /** Home directories: channel to the shards with subscribers to it. */
    private final Map<PubSubName, BitSet> directory = new HashMap<>();
    private final Map<PubSubName, BitSet> shardDirectory = new HashMap<>();
    /** Replicated on every shard: pattern to the shards with subscribers to it. */
    private final Map<PubSubName, BitSet> patternShards = new HashMap<>();

    ShardPubSub(int id, KvServer server, SlotTable slots) {
        this.id = id;
        this.server = server;
        this.slots = slots;
    }

    private Map<PubSubName, Local> locals(PubSubKind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    private Map<PubSubName, BitSet> directory(PubSubKind kind) {
        return kind == PubSubKind.SHARD ? shardDirectory : directory;
    }

    /**
     * Adds {@code c} as a local subscriber; a first local subscriber tells the name's home (every
     * shard, for a pattern). Returns what to wait for before replying, null if nothing.
     */
    Future<?> add(PubSubKind kind, PubSubName name, KvConnection c) {
        Local local = locals(kind).get(name);
        if (local == null) {
            local = new Local();
            locals(kind).put(name, local);
            local.known = announce(kind, name, true);
        }
        local.subscribers.add(c);
        if (local.known != null && local.known.isDone()) {
            local.known = null;
        }
        return local.known;
    }

    /** Removes {@code c}; the last local subscriber clears this shard from the home's (or every shard's) entry. */
    Future<?> remove(PubSubKind kind, PubSubName name, KvConnection c) {
        Local local = locals(kind).get(name);
        if (local == null || !local.subscribers.remove(c) || !local.subscribers.isEmpty()) {
            return null;
        }
        locals(kind).remove(name);
        return announce(kind, name, false);
    }

    private Future<?> announce(PubSubKind kind, PubSubName name, boolean present) {
        Shard here = Shard.current();
        int from = id;
        if (kind == PubSubKind.PATTERN) {
            List<Future<Void>> acks = new ArrayList<>(here.count());
            for (int s = 0; s < here.count(); s++) {
                if (s == id) {
                    mark(patternShards, name, from, present);
                } else {
                    acks.add(here.submitTo(s, () -> {
                        server.pubsub().local().mark(server.pubsub().local().patternShards, name, from, present);
                        return null;
                    }));
                }
            }
            return acks.isEmpty() ? null : Futures.all(acks);
        }
        int home = slots.shardOf(name.bytes, 0, name.bytes.length);
        if (home == id) {
            mark(directory(kind), name, from, present);
            return null;
        }
        return here.submitTo(home, () -> {
            ShardPubSub h = server.pubsub().local();
            h.mark(h.directory(kind), name, from, present);
            return null;
        });
    }

    private void mark(Map<PubSubName, BitSet> table, PubSubName name, int shard, boolean present) {
        if (present) {
            table.computeIfAbsent(name, n -> new BitSet()).set(shard);
            return;
        }
        BitSet shards = table.get(name);
        if (shards != null) {
            shards.clear(shard);
            if (shards.isEmpty()) {
                table.remove(name);
            }
        }
    }

    /**
     * At the channel's home: sends {@code message} to every shard with subscribers to the channel or
     * with a matching pattern (patterns only for {@link PubSubKind#CHANNEL}), one mesh message each,
     * and sums the receivers they count.
     */
    Future<Long> publishAtHome(PubSubKind kind, PubSubName channel, byte[] message) {
        BitSet targets = new BitSet();
        BitSet direct = directory(kind).get(channel);
        if (direct != null) {
            targets.or(direct);
        }
        if (kind == PubSubKind.CHANNEL) {
            for (Map.Entry<PubSubName, BitSet> p : patternShards.entrySet()) {
                if (matches(p.getKey(), channel)) {
                    targets.or(p.getValue());
                }
            }
        }
        long here = 0;
        List<Future<Long>> remote = null;
        Shard shard = Shard.current();
        for (int t = targets.nextSetBit(0); t >= 0; t = targets.nextSetBit(t + 1)) {
            if (t == id) {
                here = deliver(kind, channel, message);
            } else {
                if (remote == null) {
                    remote = new ArrayList<>();
                }
                remote.add(shard.submitTo(t, () -> server.pubsub().local().deliver(kind, channel, message)));
            }
        }
        if (remote == null) {
            return Future.succeeded(here);
        }
        long local = here;
        return Futures.all(remote).map(counts -> {
            long sum = local;
            for (long n : counts) {
                sum += n;
            }
            return sum;
        });
    }

    /**
     * A keyspace notification raised on this shard (the key's): pattern subscribers are reached
     * straight from here, since every shard holds the pattern table, and channel subscribers through
     * the channel's home. So a PSUBSCRIBE client sees one key's events (keyspace and keyevent alike)
     * in the order its shard raised them, each shard-to-shard path being FIFO.
     */
    void publishEvent(PubSubName channel, byte[] message) {
        Shard shard = Shard.current();
        BitSet targets = null;
        for (Map.Entry<PubSubName, BitSet> p : patternShards.entrySet()) {
            if (matches(p.getKey(), channel)) {
                (targets == null ? targets = new BitSet() : targets).or(p.getValue());
            }
        }
        if (targets != null) {
            for (int t = targets.nextSetBit(0); t >= 0; t = targets.nextSetBit(t + 1)) {
                if (t == id) {
                    deliverToPatterns(channel, message);
                } else {
                    shard.submitTo(t, () -> server.pubsub().local().deliverToPatterns(channel, message));
                }
            }
        }
        int home = slots.shardOf(channel.bytes, 0, channel.bytes.length);
        if (home == id) {
            publishDirectAtHome(channel, message);
        } else {
            shard.submitTo(home, () -> {
                server.pubsub().local().publishDirectAtHome(channel, message);
                return null;
            });
        }
    }

    /** At the channel's home: {@code message} to the shards with channel (not pattern) subscribers. */
    private void publishDirectAtHome(PubSubName channel, byte[] message) {
        BitSet direct = directory.get(channel);
        if (direct == null) {
            return;
        }
        Shard shard = Shard.current();
        for (int t = direct.nextSetBit(0); t >= 0; t = direct.nextSetBit(t + 1)) {
            if (t == id) {
                deliverToChannel(PubSubKind.CHANNEL, channel, message);
            } else {
                shard.submitTo(t, () -> server.pubsub().local().deliverToChannel(PubSubKind.CHANNEL, channel, message));
            }
        }
    }

    /** Pushes {@code message} to this shard's subscribers of {@code channel} and of matching patterns; returns how many. */
    long deliver(PubSubKind kind, PubSubName channel, byte[] message) {
        long receivers = deliverToChannel(kind, channel, message);
        if (kind == PubSubKind.CHANNEL) {
            receivers += deliverToPatterns(channel, message);
        }
        return receivers;
    }

    private long deliverToChannel(PubSubKind kind, PubSubName channel, byte[] message) {
        long receivers = 0;
        Local local = locals(kind).get(channel);
        if (local != null) {
            PubSubFrames frames = new PubSubFrames(kind.message, null, channel.bytes, message);
            for (KvConnection c : local.subscribers) {
                c.push(frames.frame(c.protocol));
                receivers++;
            }
        }
        return receivers;
    }

    private long deliverToPatterns(PubSubName channel, byte[] message) {
        long receivers = 0;
        for (Map.Entry<PubSubName, Local> p : patterns.entrySet()) {
            if (!matches(p.getKey(), channel)) {
                continue;
            }
            PubSubFrames frames = new PubSubFrames(PubSubKind.PATTERN.message, p.getKey().bytes, channel.bytes, message);
            for (KvConnection c : p.getValue().subscribers) {
                c.push(frames.frame(c.protocol));
                receivers++;
            }
        }
        return receivers;
    }

    private static boolean matches(PubSubName pattern, PubSubName channel) {
        byte[] p = pattern.bytes;
        return (p.length == 1 && p[0] == '*') || Glob.matches(p, channel.bytes);
    }

    /** This shard's channels of {@code kind} with local subscribers, those matching {@code pattern} if given. */
    List<byte[]> localNames(PubSubKind kind, byte[] pattern) {
        List<byte[]> names = new ArrayList<>();
        for (PubSubName n : locals(kind).keySet()) {
            if (pattern == null || matches(new PubSubName(pattern), n)) {
                names.add(n.bytes);
            }
        }
        return names;
    }

    /** How many local subscribers each of {@code names} has here. */
    long[] localCounts(PubSubKind kind, List<PubSubName> names) {
        long[] counts = new long[names.size()];
        for (int i = 0; i < counts.length; i++) {
            Local local = locals(kind).get(names.get(i));
            counts[i] = local == null ? 0 : local.subscribers.size();
        }
        return counts;
    }

    /** Distinct patterns subscribed on any shard (PUBSUB NUMPAT), from this shard's replica. */
    int patternCount() {
        return patternShards.size();
    }

    /** Channels (or shard channels) whose home is this shard and that have subscribers: INFO sums them over the shards. */
    int homedChannels(PubSubKind kind) {
        return directory(kind).size();
    }

    /** Entries of every table this shard keeps, for tests that check nothing is left behind. */
    int entries() {
        return channels.size() + patterns.size() + shardChannels.size() + directory.size() + shardDirectory.size()
                + patternShards.size();
    }
}
