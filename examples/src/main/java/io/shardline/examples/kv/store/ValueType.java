package io.shardline.examples.kv.store;

/** The kinds of value a key can hold, with the names TYPE and SCAN ... TYPE use. Immutable. */
enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    /** The lowercase name Redis' TYPE replies with. */
    String redisName() {
        return redisName;
    }

    /** The type named {@code name} (as TYPE spells it, any case), or null. */
    static ValueType byName(String name) {
        for (ValueType t : values()) {
            if (t.redisName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
