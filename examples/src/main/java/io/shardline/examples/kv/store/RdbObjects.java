package io.shardline.examples.kv.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts between a key's value as this keyspace stores it and an {@link RdbValue}: the one place
 * DUMP and RESTORE touch the value classes, so a change of their internals is adapted here. Stateless;
 * runs on the keyspace's thread.
 */
final class RdbObjects {
    private RdbObjects() {
    }

    /**
     * The value of {@code e}, its arrays (and a stream itself) shared where the value class hands them
     * out: the payload is written at once.
     */
    static RdbValue of(Entry e) {
        return switch (e.type()) {
            case STRING -> RdbValue.ofString(e.stringCopy()); // a copy: string() may move it out of the key's record
            case LIST -> {
                ListValue list = e.list();
                List<byte[]> items = new ArrayList<>(list.size());
                for (int i = 0; i < list.size(); i++) {
                    items.add(list.get(i));
                }
                yield RdbValue.of(ValueType.LIST, items);
            }
            case SET -> {
                SetValue set = e.set();
                List<byte[]> items = new ArrayList<>(set.size());
                for (int i = 0; i < set.size(); i++) {
                    items.add(set.member(i));
                }
                yield RdbValue.of(ValueType.SET, items);
            }
            case HASH -> {
                List<byte[]> items = new ArrayList<>(2 * e.hash().size());
                e.hash().forEach((field, value) -> {
                    items.add(field);
                    items.add(value);
                });
                yield RdbValue.of(ValueType.HASH, items);
            }
            case ZSET -> {
                ZSetValue zset = e.zset();
                List<byte[]> members = new ArrayList<>(zset.size());
                double[] scores = new double[zset.size()];
                for (int i = 0; i < zset.size(); i++) {
                    members.add(zset.memberAt(i));
                    scores[i] = zset.scoreAt(i);
                }
                yield RdbValue.ofZset(members, scores);
            }
            case STREAM -> RdbValue.ofStream(StreamCommands.stream(e));
        };
    }

    /**
     * A new value holding {@code v} (whose arrays it keeps: the reader made them for it), in the
     * encoding {@code limits} give its size, as Redis converts what it loads.
     */
    static Object toValue(RdbValue v, EncodingLimits limits) {
        return switch (v.type()) {
            case STRING -> v.string();
            case LIST -> {
                ListValue list = new ListValue(limits);
                for (byte[] item : v.items()) {
                    list.append(item);
                }
                yield list;
            }
            case SET -> {
                SetValue set = new SetValue(limits);
                for (byte[] item : v.items()) {
                    set.add(new Bytes(item));
                }
                yield set;
            }
            case HASH -> {
                HashValue hash = new HashValue(limits);
                for (int i = 0; i < v.items().size(); i += 2) {
                    hash.put(new Bytes(v.items().get(i)), v.items().get(i + 1));
                }
                yield hash;
            }
            case ZSET -> {
                ZSetValue zset = new ZSetValue(limits);
                for (int i = 0; i < v.items().size(); i++) {
                    zset.add(new Bytes(v.items().get(i)), v.scores()[i]);
                }
                yield zset;
            }
            case STREAM -> v.stream();
        };
    }
}
