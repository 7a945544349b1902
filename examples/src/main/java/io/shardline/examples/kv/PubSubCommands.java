package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.shard.Shard;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH and
 * PUBSUB, with Redis 7.2's replies, over {@link ShardPubSub}. Stateless; runs on the connection's shard.
 *
 * <p>A subscribe reply goes out once the channel's home (every shard, for a pattern) has recorded
 * this shard, so a PUBLISH sent after the reply reaches the subscriber wherever it is published.
 */
final class PubSubCommands {
    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    };

    /** What RESP2's subscribed mode accepts (Redis' processCommand). */
    private static final java.util.Set<String> ALLOWED_WHEN_SUBSCRIBED = java.util.Set.of("ping", "subscribe",
            "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "quit", "reset");
    /** Container commands, whose full name in errors is {@code name|subcommand}. */
    private static final java.util.Set<String> CONTAINERS = java.util.Set.of("client", "config", "command",
            "cluster", "pubsub", "object", "memory", "xinfo", "function", "script", "acl", "latency", "slowlog");

    private PubSubCommands() {
    }

    static boolean allowedWhenSubscribed(CommandSpec spec) {
        return ALLOWED_WHEN_SUBSCRIBED.contains(spec.name());
    }

    /** Redis' refusal of {@code spec} in RESP2's subscribed mode, naming it as Redis' fullname does. */
    static String notAllowed(CommandSpec spec, Argv argv) {
        String name = spec.name();
        if (CONTAINERS.contains(name) && argv.count() > 1) {
            name = name + "|" + ConnectionCommands.lower(argv.bytes(1));
        }
        return "ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                + " are allowed in this context";
    }

    static Future<byte[]> subscribe(KvConnection c, Argv argv) {
        return subscribe(c, argv, PubSubKind.CHANNEL);
    }

    static Future<byte[]> psubscribe(KvConnection c, Argv argv) {
        return subscribe(c, argv, PubSubKind.PATTERN);
    }

    static Future<byte[]> ssubscribe(KvConnection c, Argv argv) {
        return subscribe(c, argv, PubSubKind.SHARD);
    }

    static Future<byte[]> unsubscribe(KvConnection c, Argv argv) {
        return unsubscribe(c, argv, PubSubKind.CHANNEL);
    }

    static Future<byte[]> punsubscribe(KvConnection c, Argv argv) {
        return unsubscribe(c, argv, PubSubKind.PATTERN);
    }

    static Future<byte[]> sunsubscribe(KvConnection c, Argv argv) {
        return unsubscribe(c, argv, PubSubKind.SHARD);
    }

    private static Future<byte[]> subscribe(KvConnection c, Argv argv, PubSubKind kind) {
        Subscriptions subs = c.subscriptions();
        ShardPubSub local = c.server.pubsub().local();
        RespWriter out = RespWriter.forReply(c.protocol);
        List<Future<?>> waits = new ArrayList<>();
        for (int i = 1; i < argv.count(); i++) {
            PubSubName name = new PubSubName(argv.bytes(i));
            subs.of(kind).add(name);
            Future<?> known = local.add(kind, name, c);
            if (known != null) {
                waits.add(known);
            }
            PubSubFrames.confirmation(out, kind.subscribe, name.bytes, subs.count(kind));
        }
        return afterAll(waits, out.toByteArray());
    }

    private static Future<byte[]> unsubscribe(KvConnection c, Argv argv, PubSubKind kind) {
        Subscriptions subs = c.subscriptions();
        RespWriter out = RespWriter.forReply(c.protocol);
        List<Future<?>> waits = new ArrayList<>();
        if (argv.count() == 1) {
            if (subs.of(kind).isEmpty()) {
                PubSubFrames.confirmation(out, kind.unsubscribe, null, subs.count(kind));
            }
            for (PubSubName name : new ArrayList<>(subs.of(kind))) {
                leave(c, subs, kind, name, waits);
                PubSubFrames.confirmation(out, kind.unsubscribe, name.bytes, subs.count(kind));
            }
        } else {
            for (int i = 1; i < argv.count(); i++) {
                PubSubName name = new PubSubName(argv.bytes(i));
                leave(c, subs, kind, name, waits);
                PubSubFrames.confirmation(out, kind.unsubscribe, name.bytes, subs.count(kind));
            }
        }
        return afterAll(waits, out.toByteArray());
    }

    private static void leave(KvConnection c, Subscriptions subs, PubSubKind kind, PubSubName name, List<Future<?>> waits) {
        if (subs.of(kind).remove(name)) {
            Future<?> done = c.server.pubsub().local().remove(kind, name, c);
            if (done != null && waits != null) {
                waits.add(done);
            }
        }
    }

    /** Drops every subscription of {@code c} without replies: on close and on RESET. */
    static void leaveAll(KvConnection c) {
        Subscriptions subs = c.subscriptionsIfAny();
        if (subs == null) {
            return;
        }
        for (PubSubKind kind : PubSubKind.values()) {
            for (PubSubName name : new ArrayList<>(subs.of(kind))) {
                leave(c, subs, kind, name, null);
            }
        }
    }

    private static Future<byte[]> afterAll(List<Future<?>> waits, byte[] reply) {
        return waits.isEmpty() ? Future.succeeded(reply) : Futures.all(waits).map(v -> reply);
    }

    static Future<byte[]> publish(KvConnection c, Argv argv) {
        return publish(c, argv, PubSubKind.CHANNEL);
    }

    static Future<byte[]> spublish(KvConnection c, Argv argv) {
        return publish(c, argv, PubSubKind.SHARD);
    }

    /** Sends the message to the channel's home, which fans it out; the reply is the receivers it counted. */
    private static Future<byte[]> publish(KvConnection c, Argv argv, PubSubKind kind) {
        PubSubName channel = new PubSubName(argv.bytes(1));
        byte[] message = argv.bytes(2);
        int protocol = c.protocol;
        Shard here = c.shard();
        int home = c.server.slots().shardOf(channel.bytes, 0, channel.bytes.length);
        Future<Long> receivers = home == here.id() ? c.server.pubsub().local().publishAtHome(kind, channel, message)
                : here.submitToAsync(home, () -> c.server.pubsub().local().publishAtHome(kind, channel, message));
        return receivers.map(n -> AllShards.integer(protocol, n));
    }

    /** PUBSUB CHANNELS | NUMSUB | NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP. */
    static Future<byte[]> pubsub(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        int argc = argv.count();
        int protocol = c.protocol;
        switch (sub) {
            case "channels", "shardchannels" -> {
                if (argc > 3) {
                    return syntax(argv);
                }
                PubSubKind kind = sub.equals("channels") ? PubSubKind.CHANNEL : PubSubKind.SHARD;
                byte[] pattern = argc == 3 ? argv.bytes(2) : null;
                return EveryShard.call(c.shard(), () -> c.server.pubsub().local().localNames(kind, pattern)).map(lists -> {
                    LinkedHashSet<PubSubName> names = new LinkedHashSet<>();
                    for (List<byte[]> l : lists) {
                        for (byte[] n : l) {
                            names.add(new PubSubName(n));
                        }
                    }
                    RespWriter out = RespWriter.forReply(protocol);
                    out.arrayHeader(names.size());
                    for (PubSubName n : names) {
                        out.bulk(n.bytes);
                    }
                    return out.toByteArray();
                });
            }
            case "numsub", "shardnumsub" -> {
                PubSubKind kind = sub.equals("numsub") ? PubSubKind.CHANNEL : PubSubKind.SHARD;
                List<PubSubName> names = new ArrayList<>();
                for (int i = 2; i < argc; i++) {
                    names.add(new PubSubName(argv.bytes(i)));
                }
                return EveryShard.call(c.shard(), () -> c.server.pubsub().local().localCounts(kind, names)).map(parts -> {
                    RespWriter out = RespWriter.forReply(protocol);
                    out.arrayHeader(2L * names.size()); // a flat array in RESP3 too, as Redis replies
                    for (int i = 0; i < names.size(); i++) {
                        long n = 0;
                        for (long[] counts : parts) {
                            n += counts[i];
                        }
                        out.bulk(names.get(i).bytes);
                        out.integer(n);
                    }
                    return out.toByteArray();
                });
            }
            case "numpat" -> {
                if (argc != 2) {
                    return Dispatcher.error(Errors.wrongArity("pubsub|numpat"));
                }
                return Future.succeeded(AllShards.integer(protocol, c.server.pubsub().local().patternCount()));
            }
            case "help" -> {
                if (argc != 2) {
                    return Dispatcher.error(Errors.wrongArity("pubsub|help"));
                }
                RespWriter out = RespWriter.forReply(protocol);
                out.arrayHeader(HELP.length);
                for (String line : HELP) {
                    out.simple(line);
                }
                return Future.succeeded(out.toByteArray());
            }
            default -> {
                return Dispatcher.error(Errors.unknownSubcommand("pubsub", argv.bytes(1)));
            }
        }
    }

    private static Future<byte[]> syntax(Argv argv) {
        return Dispatcher.error("ERR unknown subcommand or wrong number of arguments for '" + Errors.text(argv.bytes(1))
                + "'. Try PUBSUB HELP.");
    }
}
