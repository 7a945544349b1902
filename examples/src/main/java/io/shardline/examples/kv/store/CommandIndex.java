package io.shardline.examples.kv.store;

/**
 * Finds a {@link Command} by the name bytes a client sent, in any letter case, without allocating: an
 * open-addressing table hashed over the lowercased bytes. Filled once, then read-only.
 */
final class CommandIndex {
    private static final int LONGEST_NAME = 16;

    private final Command[] slots = new Command[256];

    void add(Command c) {
        int mask = slots.length - 1;
        int i = hash(c.lowerName) & mask;
        while (slots[i] != null) {
            if (slots[i].name.equals(c.name)) {
                throw new IllegalStateException("command registered twice: " + c.name);
            }
            i = (i + 1) & mask;
        }
        slots[i] = c;
    }

    /** The command named {@code sent}, or null. */
    Command find(byte[] sent) {
        if (sent.length > LONGEST_NAME) {
            return null;
        }
        int mask = slots.length - 1;
        for (int i = hash(sent) & mask; slots[i] != null; i = (i + 1) & mask) {
            if (slots[i].named(sent)) {
                return slots[i];
            }
        }
        return null;
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = h * 31 + lower(b);
        }
        return h ^ (h >>> 8);
    }
}
