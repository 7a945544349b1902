package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.Argv;
import io.shardline.examples.kv.CommandSpec;
import io.shardline.examples.kv.CommandTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One keyspace and its data commands on a fake clock, for tests: {@code call("SET", "k", "v")} looks the
 * command up in the server's {@link CommandTable}, checks its arity as the dispatcher does, and returns
 * the RESP text of the reply; every journal entry is kept. Not thread-safe.
 */
final class TestShard {
    /** A settable clock in Unix milliseconds. */
    static final class FakeClock implements LongSupplier {
        long now;

        FakeClock(long now) {
            this.now = now;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    static final long START = 1_700_000_000_000L;

    final FakeClock clock = new FakeClock(START);
    final Keyspace keyspace = new Keyspace(clock);
    final DataCommands commands = new DataCommands(keyspace);
    final List<byte[][]> journal = new ArrayList<>();
    private final RespRecorder resp2 = new RespRecorder(2);
    private final RespRecorder resp3 = new RespRecorder(3);

    TestShard() {
        keyspace.setExpiryJournal(a -> journal.add(a.toArray()));
    }

    /** The RESP2 reply to the command, or "unknown" if it is not a data command. */
    String call(String... args) {
        return run(resp2, args);
    }

    /** The RESP3 reply to the command. */
    String call3(String... args) {
        return run(resp3, args);
    }

    private String run(RespRecorder out, String... args) {
        byte[][] argv = argv(args);
        CommandSpec spec = CommandTable.lookup(argv[0]);
        if (spec == null || !(spec.handler() instanceof CommandSpec.OnKeys keys)) {
            return "unknown";
        }
        if (!spec.arityAccepts(argv.length)) {
            out.error(Errors.wrongArity(spec.name()));
        } else {
            commands.execute(keys.command(), Argv.of(argv), out, a -> journal.add(a.toArray()));
        }
        return out.take();
    }

    /** Applies one journal entry as recovery does; false if it names no data command. */
    boolean replay(byte[][] argv) {
        CommandSpec spec = CommandTable.lookup(argv[0]);
        if (spec == null || !(spec.handler() instanceof CommandSpec.OnKeys keys) || !spec.arityAccepts(argv.length)) {
            return false;
        }
        commands.replay(keys.command(), Argv.of(argv));
        return true;
    }

    void advance(long millis) {
        clock.now += millis;
    }

    /** The journal entries as space-joined text, e.g. "SET k v PXAT 1700000010000". */
    List<String> journalText() {
        List<String> lines = new ArrayList<>();
        for (byte[][] argv : journal) {
            lines.add(text(argv));
        }
        return lines;
    }

    static String text(byte[][] argv) {
        StringBuilder s = new StringBuilder();
        for (byte[] a : argv) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(new String(a, StandardCharsets.ISO_8859_1));
        }
        return s.toString();
    }

    static byte[][] argv(String... args) {
        byte[][] argv = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return argv;
    }

    // RESP2 spellings, to keep expectations short
    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";
    static final String EMPTY = "*0\r\n";
    static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

    static String integer(long v) {
        return ":" + v + "\r\n";
    }

    static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n" + s + "\r\n";
    }

    static String error(String line) {
        return "-" + line + "\r\n";
    }

    /** An array of bulk strings. */
    static String array(String... items) {
        StringBuilder s = new StringBuilder("*" + items.length + "\r\n");
        for (String i : items) {
            s.append(bulk(i));
        }
        return s.toString();
    }
}
