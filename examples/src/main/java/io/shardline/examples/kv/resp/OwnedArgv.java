package io.shardline.examples.kv.resp;

/**
 * Arguments that own their arrays, one per argument: a request's copy as it crosses to another shard,
 * a journal entry, a replayed command. Immutable once built (the arrays are never changed), so it
 * may be handed to another shard's thread.
 */
public final class OwnedArgv implements Argv {
    private final byte[][] argv;

    /** Takes {@code argv} without copying; the caller must not change it afterwards. */
    public OwnedArgv(byte[][] argv) {
        this.argv = argv;
    }

    @Override
    public int count() {
        return argv.length;
    }

    @Override
    public byte[] array(int i) {
        return argv[i];
    }

    @Override
    public int offset(int i) {
        return 0;
    }

    @Override
    public int length(int i) {
        return argv[i].length;
    }

    /** The argument's own array, not a copy: it is already owned and never changed. */
    @Override
    public byte[] bytes(int i) {
        return argv[i];
    }

    @Override
    public Argv copy() {
        return this;
    }

    @Override
    public byte[][] toArray() {
        return argv.clone();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < argv.length; i++) {
            s.append(i == 0 ? "" : ", ").append(string(i));
        }
        return s.append(']').toString();
    }
}
