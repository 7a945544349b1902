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
 * per write.
 */
final class KeyChanges {
    /** One party interested in changes: asked before each write whether it listens now. */
    interface Listener {
        boolean listening();

        /** {@code key} (an array of its own) was written, deleted or expired. */
        void keyChanged(byte[] key);

        /** Every key may have changed (FLUSHALL, FLUSHDB, SWAPDB...). */
        void allChanged();
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

    /** A write logged {@code record}: its keys changed. */
    void logged(Argv record) {
        CommandSpec spec = CommandTable.lookup(record);
        if (spec == null) {
            return;
        }
        if (spec.name().equals("flushall") || spec.name().equals("flushdb") || spec.name().equals("swapdb")) {
            allChanged();
            return;
        }
        if (spec.firstKey() <= 0 || record.count() <= spec.firstKey()) {
            return;
        }
        int last = spec.lastKey() < 0 ? record.count() + spec.lastKey() : spec.lastKey();
        int step = Math.max(1, spec.keyStep());
        for (int i = spec.firstKey(); i <= last && i < record.count(); i += step) {
            byte[] key = Arrays.copyOfRange(record.array(i), record.offset(i), record.offset(i) + record.length(i));
            for (Listener l : listeners) {
                if (l.listening()) {
                    l.keyChanged(key);
                }
            }
        }
    }

    void allChanged() {
        for (Listener l : listeners) {
            if (l.listening()) {
                l.allChanged();
            }
        }
    }
}
