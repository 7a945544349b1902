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
        public void keyChanged(byte[] key) {
            keys.add(new String(key, StandardCharsets.UTF_8));
        }

        @Override
        public void allChanged() {
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
        changes.logged(argv("SET", "k", "v", "PXAT", "100"));
        changes.logged(argv("DEL", "a", "b", "c"));
        changes.logged(argv("RENAME", "from", "to"));
        changes.logged(argv("MSET", "m1", "1", "m2", "2"));
        changes.logged(argv("XGROUP", "SETID", "stream", "g", "0-1"));
        changes.logged(argv("LPOP", "list", "1"));
        assertEquals(List.of("k", "a", "b", "c", "from", "to", "m1", "m2", "stream", "list"), r.keys);
        assertEquals(0, r.all);
    }

    @Test
    void aFlushChangesEverythingAndAnIdleListenerHearsNothing() {
        KeyChanges changes = new KeyChanges();
        Recorder r = new Recorder();
        changes.add(r);
        changes.logged(argv("FLUSHALL"));
        assertEquals(1, r.all);
        r.on = false;
        assertEquals(false, changes.listening());
        changes.logged(argv("SET", "k", "v"));
        changes.logged(argv("FLUSHALL"));
        assertEquals(List.of(), r.keys);
        assertEquals(1, r.all);
    }
}
