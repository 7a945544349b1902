package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardline.examples.kv.resp.Argv;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyChangesTest {
    private static final class Recorder implements KeyChanges.Listener {
        boolean on = true;
        final List<String> keys = new ArrayList<>();
        int all;

        @Override
        public boolean listening() {
            return on;
        }

        @Override
        public void keyChanged(int db, byte[] key) {
            keys.add(db + ":" + new String(key, StandardCharsets.UTF_8));
        }

        @Override
        public void allChanged(int db) {
            all++;
        }
    }

    private static Argv argv(String... parts) {
        byte[][] a = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            a[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        }
        return Argv.of(a);
    }

    @Test
    void theKeysOfALoggedRecordAreTheChangedKeys() {
        KeyChanges changes = new KeyChanges();
        Recorder r = new Recorder();
        changes.add(r);
        changes.logged(0, argv("SET", "k", "v", "PXAT", "100"));
        changes.logged(0, argv("DEL", "a", "b", "c"));
        changes.logged(2, argv("RENAME", "from", "to"));
        changes.logged(0, argv("MSET", "m1", "1", "m2", "2"));
        changes.logged(0, argv("XGROUP", "SETID", "stream", "g", "0-1"));
        changes.logged(0, argv("LPOP", "list", "1"));
        changes.logged(1, argv("MOVE", "mv", "5"));
        changes.logged(1, argv("COPY", "src", "dst", "db", "7", "REPLACE"));
        changes.logged(3, argv("COPY", "src", "dst"));
        assertEquals(List.of("0:k", "0:a", "0:b", "0:c", "2:from", "2:to", "0:m1", "0:m2", "0:stream", "0:list",
                "1:mv", "5:mv", "7:dst", "3:dst"), r.keys);
        assertEquals(0, r.all);
    }

    @Test
    void aWholeDatabaseIsToldApartAndAnIdleListenerHearsNothing() {
        KeyChanges changes = new KeyChanges();
        Recorder r = new Recorder();
        changes.add(r);
        changes.allChanged(0);
        changes.logged(0, argv("FLUSHALL")); // the shard reports whole databases itself, not from the record
        assertEquals(1, r.all);
        r.on = false;
        assertEquals(false, changes.listening());
        changes.logged(0, argv("SET", "k", "v"));
        changes.allChanged(0);
        assertEquals(List.of(), r.keys);
        assertEquals(1, r.all);
    }
}
