package io.shardline.examples.kv;

import java.nio.charset.StandardCharsets;

/**
 * The log records that name databases rather than keys: {@code SELECT n} (the records after it run in
 * db n, written only when the db changes, as Redis' AOF does), {@code FLUSHALL}, {@code FLUSHDB} (of
 * the selected db) and {@code SWAPDB a b}. A log written before there were databases has none of
 * them but FLUSHALL and replays in db 0. Stateless; {@link #replay} runs on the replaying shard.
 */
final class DatabaseRecords {
    private static final byte[] SELECT = ascii("SELECT");
    private static final byte[] FLUSHALL = ascii("FLUSHALL");
    private static final byte[] FLUSHDB = ascii("FLUSHDB");
    private static final byte[] SWAPDB = ascii("SWAPDB");

    private DatabaseRecords() {
    }

    static byte[][] select(int db) {
        return new byte[][] {SELECT, ascii(Integer.toString(db))};
    }

    static byte[][] flushAll() {
        return new byte[][] {FLUSHALL};
    }

    static byte[][] flushDb() {
        return new byte[][] {FLUSHDB};
    }

    static byte[][] swapDb(int a, int b) {
        return new byte[][] {SWAPDB, ascii(Integer.toString(a)), ascii(Integer.toString(b))};
    }

    /** Applies {@code argv} to {@code shard} if it is one of these records; false for a key command. */
    static boolean replay(KvShard shard, byte[][] argv) {
        if (argv.length == 2 && is(argv[0], SELECT)) {
            shard.replaySelect(index(shard, argv[1]));
        } else if (argv.length == 1 && is(argv[0], FLUSHALL)) {
            shard.flush();
        } else if (argv.length == 1 && is(argv[0], FLUSHDB)) {
            shard.flushDb(shard.replayDb());
        } else if (argv.length == 3 && is(argv[0], SWAPDB)) {
            int a = index(shard, argv[1]);
            int b = index(shard, argv[2]);
            int selected = shard.replayDb();
            shard.replaySelect(a); // both checked to be in range before anything changes
            shard.replaySelect(b);
            shard.replaySelect(selected);
            shard.swapDb(a, b);
        } else {
            return false;
        }
        return true;
    }

    private static int index(KvShard shard, byte[] arg) {
        try {
            return Integer.parseInt(new String(arg, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("shard " + shard.id + ": a logged database index is not a number: "
                    + new String(arg, StandardCharsets.US_ASCII));
        }
    }

    private static boolean is(byte[] name, byte[] upper) {
        return new String(name, StandardCharsets.US_ASCII).equalsIgnoreCase(new String(upper, StandardCharsets.US_ASCII));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
