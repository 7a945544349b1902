package io.shardline.examples.kv.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/** A keyspace's whole content as comparable text, for tests: key to type, value and expiry. */
final class Dump {
    private Dump() {
    }

    /** Every key, or only those not past their time when {@code liveOnly}. */
    static TreeMap<String, String> of(Keyspace ks, boolean liveOnly) {
        TreeMap<String, String> out = new TreeMap<>();
        long now = ks.now();
        for (Entry e : ks.entries()) {
            long expireAt = ks.expireAt(e);
            if (liveOnly && expireAt != Entry.NO_EXPIRY && now > expireAt) {
                continue;
            }
            out.put(text(e.key()), e.type().redisName() + " " + value(e) + " @" + expireAt);
        }
        return out;
    }

    private static String value(Entry e) {
        List<String> parts = new ArrayList<>();
        switch (e.type()) {
            case STRING -> parts.add(new String(e.stringBytes(), e.stringOffset(), e.stringLength(), StandardCharsets.ISO_8859_1));
            case LIST -> {
                for (int i = 0; i < e.list().size(); i++) {
                    parts.add(text(e.list().get(i)));
                }
            }
            case SET -> {
                for (int i = 0; i < e.set().size(); i++) {
                    parts.add(text(e.set().get(i).bytes));
                }
                Collections.sort(parts); // member order is not part of a set's content
            }
            case ZSET -> {
                for (int r = 0; r < e.zset().size(); r++) {
                    parts.add(text(e.zset().memberAt(r)) + "=" + Double.doubleToRawLongBits(e.zset().scoreAt(r)));
                }
            }
            case HASH -> {
                e.hash().forEach((f, v) -> parts.add(text(f) + "=" + text(v)));
            }
        }
        return parts.toString();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
