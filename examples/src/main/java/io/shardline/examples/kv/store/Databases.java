package io.shardline.examples.kv.store;

/**
 * One shard's numbered databases as its data commands see them: what MOVE and COPY ... DB reach
 * through. Implemented by the shard that owns them; called only on that shard's thread.
 */
public interface Databases {
    /** How many databases there are (Redis' {@code databases}): valid indexes are 0..count-1. */
    int count();

    /** The keyspace of database {@code db} (0 <= db < count), created empty if it was never used. */
    Keyspace keyspace(int db);

    /** The index {@code ks} has now (SWAPDB changes it), or -1 if it is none of these. */
    int indexOf(Keyspace ks);

    /** One database and nothing else (a keyspace used alone, in tests and tools). */
    static Databases single(Keyspace ks) {
        return new Databases() {
            @Override
            public int count() {
                return 1;
            }

            @Override
            public Keyspace keyspace(int db) {
                return ks;
            }

            @Override
            public int indexOf(Keyspace k) {
                return k == ks ? 0 : -1;
            }
        };
    }
}
