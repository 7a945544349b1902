package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.resp.RespWriter;
import io.shardline.examples.kv.store.Errors;
import java.util.Collection;

/**
 * COMMAND, COMMAND COUNT / INFO / DOCS / LIST, read from the {@link CommandTable}: enough of Redis'
 * command introspection for clients to connect. Stateless, any thread.
 *
 * <p>The flags reported are {@code write} or {@code readonly}, as they always were here.
 */
final class CommandCommand {
    private CommandCommand() {
    }

    static void run(KvConnection c, Argv argv, RespWriter out) {
        if (argv.count() == 1) {
            Collection<CommandSpec> all = CommandTable.all();
            out.arrayHeader(all.size());
            for (CommandSpec s : all) {
                info(s, out);
            }
            return;
        }
        String sub = ConnectionCommands.lower(argv.bytes(1));
        switch (sub) {
            case "count" -> out.integer(CommandTable.all().size());
            case "list" -> {
                out.arrayHeader(CommandTable.all().size());
                for (CommandSpec s : CommandTable.all()) {
                    out.bulk(s.name());
                }
            }
            case "info" -> {
                if (argv.count() == 2) {
                    run(c, Argv.of(argv.bytes(0)), out);
                    return;
                }
                out.arrayHeader(argv.count() - 2);
                for (int i = 2; i < argv.count(); i++) {
                    CommandSpec s = CommandTable.lookup(argv.bytes(i));
                    if (s == null) {
                        out.nullArray();
                    } else {
                        info(s, out);
                    }
                }
            }
            case "docs" -> out.mapHeader(0); // no documentation shipped; clients fall back to their own
            default -> out.error(Errors.unknownSubcommand("command", argv.bytes(1)));
        }
    }

    /** Redis 7's ten-element command info reply. */
    private static void info(CommandSpec s, RespWriter out) {
        out.arrayHeader(10);
        out.bulk(s.name());
        out.integer(s.arity());
        out.setHeader(1);
        out.simple(s.write() ? "write" : "readonly");
        out.integer(s.firstKey());
        out.integer(s.lastKey());
        out.integer(s.keyStep());
        out.setHeader(0);
        out.arrayHeader(0);
        out.arrayHeader(0);
        out.arrayHeader(0);
    }
}
