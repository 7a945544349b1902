package io.shardline.examples.kv;

import io.shardline.core.Future;
import io.shardline.examples.kv.CommandSpec.OnKeys;
import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import io.shardline.examples.kv.store.ObjectCommands;

/**
 * OBJECT ENCODING|REFCOUNT|IDLETIME|FREQ|HELP: the subcommand and its arity are checked here, on the
 * connection's shard; a key subcommand then runs on the key's shard ({@link ObjectCommands}). The key
 * sits after the subcommand, and HELP has none, so the table's key positions cannot place it.
 * Stateless; called on the connection's shard.
 */
final class ObjectCommand {
    /** The key subcommands as the key's shard runs them. */
    private static final CommandSpec ON_KEY = new CommandSpec("object", -2, CommandSpec.READONLY, 2, 2, 1,
            new OnKeys((d, argv, out, journal) -> ObjectCommands.run(d.keyspace(), argv, out)));

    /** object.c's help lines, replied as status strings after the usage line. */
    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    private ObjectCommand() {
    }

    static Future<byte[]> run(KvConnection c, Argv argv) {
        String sub = ConnectionCommands.lower(argv.bytes(1));
        switch (sub) {
            case "help" -> {
                if (argv.count() != 2) {
                    return Dispatcher.error(Errors.wrongArity("object|help"));
                }
                RespWriter out = RespWriter.forReply(c.protocol);
                out.arrayHeader(HELP.length);
                for (String line : HELP) {
                    out.simple(line);
                }
                return Future.succeeded(out.toByteArray());
            }
            case "encoding", "refcount", "idletime", "freq" -> {
                if (argv.count() != 3) {
                    return Dispatcher.error(Errors.wrongArity("object|" + sub));
                }
                return SameShard.on(c, c.server.slots().shardOf(argv.array(2), argv.offset(2), argv.length(2)), ON_KEY, argv);
            }
            default -> {
                return Dispatcher.error(Errors.unknownSubcommand("object", argv.bytes(1)));
            }
        }
    }
}
