package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.Argv;
import java.util.Arrays;

/**
 * Tells the parts of one shard that care (WATCH, blocked clients) which keys its writes changed. Owned
 * by the {@link KvShard}; every method runs on its thread.
 *
 * <p>Every effective write on a shard reports itself to the shard's journal as a replayable command
 * (expirations as DELs), so the keys of that record, found by the command table's key positions, are
 * exactly the keys the write changed. Deriving them there, in one place, means no data command has to
 * announce its changes, and a command added later cannot forget to. The work is done only while some
 * listener says it is listening, so a shard with no watchers and no blocked clients pays one flag test
 * per write. Whole databases that change (FLUSHDB, FLUSHALL, SWAPDB) are told by the shard where it
 * applies them ({@link KvShard#flushed}, {@link KvShard#swapped}), as MOVE and COPY ... DB tell the key's
 * other database here.
 */
final class KeyChanges {
    /** One party interested in changes: asked before each write whether it listens now. */
    interface Listener {
        boolean listening();

        /** {@code key} (an array of its own) of database {@code db} was written, deleted or expired. */
        void keyChanged(int db, byte[] key);

        /** Every key of database {@code db} may have changed (FLUSHALL, FLUSHDB, SWAPDB). */
        void allChanged(int db);
    }

    private Listener[] listeners = new Listener[0];

    void add(Listener listener) {
        listeners = Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = listener;
    }

    boolean listening() {
        for (Listener l : listeners) {
            if (l.listening()) {
                return true;
            }
        }
        return false;
    }

    /** A write in database {@code db} logged {@code record}: its keys changed. */
    void logged(int db, Argv record) {
        CommandSpec spec = CommandTable.lookup(record);
        if (spec == null || spec.firstKey() <= 0 || record.count() <= spec.firstKey()) {
            return; // FLUSHALL, FLUSHDB and SWAPDB name no key: the shard reports them itself
        }
        switch (spec.name()) {
            case "move" -> { // MOVE key db: gone here, there in the other
                changed(db, record, 1);
                Integer to = smallInt(record, 2);
                if (to != null) {
                    changed(to, record, 1);
                }
                return;
            }
            case "copy" -> { // COPY src dst [DB n] [REPLACE]: only dst changes, in db n if named
                int target = db;
                for (int i = 3; i + 1 < record.count(); i++) {
                    if (record.length(i) == 2 && (record.array(i)[record.offset(i)] | 0x20) == 'd'
                            && (record.array(i)[record.offset(i) + 1] | 0x20) == 'b') {
                        Integer to = smallInt(record, i + 1);
                        target = to != null ? to : db;
                    }
                }
                changed(target, record, 2);
                return;
            }
            default -> {
            }
        }
        int last = spec.lastKey() < 0 ? record.count() + spec.lastKey() : spec.lastKey();
        int step = Math.max(1, spec.keyStep());
        for (int i = spec.firstKey(); i <= last && i < record.count(); i += step) {
            changed(db, record, i);
        }
    }

    private void changed(int db, Argv record, int i) {
        byte[] key = Arrays.copyOfRange(record.array(i), record.offset(i), record.offset(i) + record.length(i));
        for (Listener l : listeners) {
            if (l.listening()) {
                l.keyChanged(db, key);
            }
        }
    }

    private static Integer smallInt(Argv record, int i) {
        try {
            return Integer.valueOf(new String(record.array(i), record.offset(i), record.length(i), java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every key of database {@code db} may have changed. */
    void allChanged(int db) {
        for (Listener l : listeners) {
            if (l.listening()) {
                l.allChanged(db);
            }
        }
    }
}
