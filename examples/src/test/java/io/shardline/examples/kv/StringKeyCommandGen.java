package io.shardline.examples.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random requests over the string, bitmap and key commands (issue 17 points 1 and 2), valid and not:
 * wrong types, bad numbers, bad options, wrong arities, keys on one shard and on several. Replies to
 * them are deterministic (absolute expiry times only, no TTL, no SCAN order, no RANDOMKEY), so two
 * servers given the same sequence must answer byte for byte the same. Not thread-safe.
 */
final class StringKeyCommandGen {
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "{t}a", "{t}b", "{t}c"};
    private static final String[] VALUES = {"", "a", "ab", "abc", "hello", "world", "0", "1", "-5", "10", "123456",
        "9223372036854775807", "-9223372036854775808", "3.5", "1e3", "x y", "\u00ff\u0001", "foobar", "ohmytext"};
    /** Absolute expiry times: one long past (the key is deleted), others far ahead. */
    private static final String[] SECONDS = {"1000", "3000000000", "3000000001", "4000000000", "-5", "x", "0"};
    private static final String[] MILLIS = {"1000000", "3000000000123", "3000000000999", "4000000000000", "-1", "abc"};
    private static final String[] INTS = {"0", "1", "2", "3", "5", "-1", "-2", "-3", "-100", "100", "7", "x", "1.5",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999"};
    private static final String[] BIT_TYPES = {"u1", "u4", "u8", "i8", "i5", "u16", "i16", "i32", "u63", "i64", "u64",
        "i0", "x8", "u", ""};

    private final SplittableRandom r;

    StringKeyCommandGen(long seed) {
        this.r = new SplittableRandom(seed);
    }

    List<String[]> commands(int n) {
        List<String[]> out = new ArrayList<>(n);
        out.add(new String[] {"FLUSHALL"});
        while (out.size() < n) {
            out.addAll(next());
        }
        return out;
    }

    private String key() {
        return KEYS[r.nextInt(KEYS.length)];
    }

    private String value() {
        return r.nextInt(10) == 0 ? Long.toString(r.nextLong(-1000, 1000)) : VALUES[r.nextInt(VALUES.length)];
    }

    private String any(String... options) {
        return options[r.nextInt(options.length)];
    }

    private String integer() {
        return r.nextInt(4) == 0 ? INTS[r.nextInt(INTS.length)] : Integer.toString(r.nextInt(-12, 12));
    }

    private static List<String[]> one(String... cmd) {
        List<String[]> l = new ArrayList<>(1);
        l.add(cmd);
        return l;
    }

    /** The next request, or a few that go together. */
    List<String[]> next() {
        String k = key();
        int pick = r.nextInt(46);
        return switch (pick) {
            case 0, 1 -> one(set(k));
            case 2 -> one("GET", k);
            case 3 -> one("GETDEL", k);
            case 4 -> one(getex(k));
            case 5 -> one("GETSET", k, value());
            case 6 -> one("SETNX", k, value());
            case 7 -> one("APPEND", k, value());
            case 8 -> one("STRLEN", k);
            case 9 -> one(any("GETRANGE", "SUBSTR"), k, integer(), integer());
            case 10 -> one("SETRANGE", k, any("0", "1", "3", "7", "20", "-1", "x", "536870912"),
                    r.nextInt(8) == 0 ? "" : value());
            case 11 -> one(any("INCR", "DECR"), k);
            case 12 -> one(any("INCRBY", "DECRBY"), k, integer());
            case 13 -> one("INCRBYFLOAT", k, any("1.5", "-2", "x", "1e308", "0.1", "inf"));
            case 14 -> one(pairs(any("MSET", "MSETNX")));
            case 15 -> one("MGET", k, key(), key());
            case 16, 17 -> one(lcs());
            case 18, 19 -> one("SETBIT", k, any("0", "1", "7", "8", "15", "33", "100", "-1", "x", "4294967296"),
                    any("0", "1", "1", "2", "-1", "x"));
            case 20 -> one("GETBIT", k, any("0", "1", "7", "9", "100", "1000", "-1", "x"));
            case 21, 22 -> bitcount(k);
            case 23, 24 -> bitpos(k);
            case 25, 26 -> one(bitop());
            case 27, 28 -> one(bitfield(k, "BITFIELD"));
            case 29 -> one(bitfield(k, "BITFIELD_RO"));
            case 30 -> one("DEL", k, key());
            case 31 -> one(any("EXISTS", "TOUCH"), k, key(), k);
            case 32 -> one("TYPE", k);
            case 33 -> one(any("RENAME", "RENAMENX"), k, key());
            case 34 -> one(copy(k));
            case 35 -> one(expire(k));
            case 36 -> one(any("EXPIRETIME", "PEXPIRETIME"), k);
            case 37 -> one("PERSIST", k);
            case 38 -> one(any("LPUSH", "RPUSH"), k, value(), value());
            case 39 -> one("SADD", k, value(), value());
            case 40 -> one("HSET", k, any("f", "g"), value());
            case 41 -> one("ZADD", k, any("1", "2.5", "-3"), value());
            case 42 -> one(readBack(k));
            case 43 -> one(badArity());
            case 44 -> one(any("SETEX", "PSETEX"), k, any("0", "x", "-1"), value());
            default -> one("SET", k, value());
        };
    }

    private String[] set(String k) {
        List<String> a = new ArrayList<>(List.of("SET", k, value()));
        int opts = r.nextInt(4);
        for (int i = 0; i < opts; i++) {
            switch (r.nextInt(9)) {
                case 0 -> a.add("NX");
                case 1 -> a.add("XX");
                case 2 -> a.add("GET");
                case 3 -> a.add("KEEPTTL");
                case 4 -> a.addAll(List.of("EXAT", SECONDS[r.nextInt(SECONDS.length)]));
                case 5 -> a.addAll(List.of("PXAT", MILLIS[r.nextInt(MILLIS.length)]));
                case 6 -> a.addAll(List.of("EX", any("0", "-1", "x"))); // relative times differ between servers
                case 7 -> a.add(any("bogus", "EX"));
                default -> a.add("get");
            }
        }
        return a.toArray(String[]::new);
    }

    private String[] getex(String k) {
        List<String> a = new ArrayList<>(List.of("GETEX", k));
        int opts = r.nextInt(3);
        for (int i = 0; i < opts; i++) {
            switch (r.nextInt(6)) {
                case 0 -> a.addAll(List.of("EXAT", SECONDS[r.nextInt(SECONDS.length)]));
                case 1 -> a.addAll(List.of("PXAT", MILLIS[r.nextInt(MILLIS.length)]));
                case 2 -> a.add("PERSIST");
                case 3 -> a.addAll(List.of("PX", any("0", "x", "-3")));
                case 4 -> a.add(any("KEEPTTL", "NX", "EXAT"));
                default -> a.add("persist");
            }
        }
        return a.toArray(String[]::new);
    }

    private String[] pairs(String name) {
        List<String> a = new ArrayList<>(List.of(name));
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            a.add(key());
            a.add(value());
        }
        if (r.nextInt(15) == 0) {
            a.add(key()); // an odd count: wrong arity
        }
        return a.toArray(String[]::new);
    }

    private String[] lcs() {
        List<String> a = new ArrayList<>(List.of("LCS", key(), key()));
        int opts = r.nextInt(4);
        for (int i = 0; i < opts; i++) {
            switch (r.nextInt(6)) {
                case 0 -> a.add("LEN");
                case 1, 2 -> a.add("IDX");
                case 3 -> a.addAll(List.of("MINMATCHLEN", any("0", "1", "2", "4", "-1", "x")));
                case 4 -> a.add("WITHMATCHLEN");
                default -> a.add(any("MINMATCHLEN", "bogus"));
            }
        }
        return a.toArray(String[]::new);
    }

    /** BITCOUNT; bad arguments go to a key just made a string (7.0 and 7.2 differ for a missing key). */
    private List<String[]> bitcount(String k) {
        List<String[]> l = new ArrayList<>();
        List<String> a = new ArrayList<>(List.of("BITCOUNT", k));
        int shape = r.nextInt(5);
        if (shape >= 1) {
            a.add(integer());
            if (shape != 4) {
                a.add(integer());
            }
            if (shape == 3) {
                a.add(any("BIT", "BYTE", "bit", "bogus"));
                if (a.get(4).equals("bogus")) {
                    a.set(2, "0"); // 7.0 answers a negative empty range before it checks the unit, 7.2 after
                }
            }
        }
        if (shape == 4 || !wellFormed(a, 2)) {
            l.add(new String[] {"SET", k, "foobar"});
        }
        l.add(a.toArray(String[]::new));
        return l;
    }

    private List<String[]> bitpos(String k) {
        List<String[]> l = new ArrayList<>();
        List<String> a = new ArrayList<>(List.of("BITPOS", k, any("0", "1", "1", "0", "2", "x")));
        int shape = r.nextInt(5);
        if (shape >= 1) {
            a.add(integer());
        }
        if (shape >= 2) {
            a.add(integer());
        }
        if (shape >= 3) {
            a.add(any("BIT", "BYTE", "bit", "bogus"));
        }
        if (shape == 4) {
            a.add("extra");
        }
        if (shape == 4 || !wellFormed(a, 2) || !(a.get(2).equals("0") || a.get(2).equals("1"))) {
            l.add(new String[] {"SET", k, any("\u00ff\u00f0\u0000", "foobar", "\u0000\u0000\u0001")});
        }
        l.add(a.toArray(String[]::new));
        return l;
    }

    /** Whether every argument from {@code from} is a 64-bit integer or BIT / BYTE. */
    private static boolean wellFormed(List<String> args, int from) {
        for (String s : args.subList(from, args.size())) {
            if (!s.equals("BIT") && !s.equals("BYTE") && !s.equals("bit")) {
                try {
                    Long.parseLong(s);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private String[] bitop() {
        List<String> a = new ArrayList<>(List.of("BITOP", any("AND", "OR", "XOR", "NOT", "and", "bogus"), key()));
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            a.add(key());
        }
        return a.toArray(String[]::new);
    }

    private String[] bitfield(String k, String name) {
        List<String> a = new ArrayList<>(List.of(name, k));
        int ops = r.nextInt(4);
        for (int i = 0; i < ops; i++) {
            String type = r.nextInt(5) == 0 ? BIT_TYPES[r.nextInt(BIT_TYPES.length)] : any("u8", "i8", "u4", "i16", "u1", "i64", "u63");
            String offset = any("0", "1", "3", "8", "#0", "#1", "#2", "13", "-1", "x");
            switch (r.nextInt(7)) {
                case 0, 1 -> a.addAll(List.of("GET", type, offset));
                case 2 -> a.addAll(List.of("SET", type, offset, integer()));
                case 3, 4 -> a.addAll(List.of("INCRBY", type, offset, any("1", "-1", "100", "-200", "1000", "x",
                        "9223372036854775807", "-9223372036854775808")));
                case 5 -> a.addAll(List.of("OVERFLOW", any("WRAP", "SAT", "FAIL", "sat", "bogus")));
                default -> a.add(any("GET", "bogus"));
            }
        }
        return a.toArray(String[]::new);
    }

    private String[] copy(String k) {
        List<String> a = new ArrayList<>(List.of("COPY", k, key()));
        int opts = r.nextInt(3);
        for (int i = 0; i < opts; i++) {
            switch (r.nextInt(4)) {
                case 0, 1 -> a.add("REPLACE");
                case 2 -> a.addAll(List.of("DB", any("0", "x")));
                default -> a.add("bogus");
            }
        }
        return a.toArray(String[]::new);
    }

    private String[] expire(String k) {
        boolean ms = r.nextBoolean();
        List<String> a = new ArrayList<>(List.of(ms ? "PEXPIREAT" : "EXPIREAT", k,
                ms ? MILLIS[r.nextInt(MILLIS.length)] : SECONDS[r.nextInt(SECONDS.length)]));
        int opts = r.nextInt(3);
        for (int i = 0; i < opts; i++) {
            a.add(any("NX", "XX", "GT", "LT", "gt", "bogus"));
        }
        return a.toArray(String[]::new);
    }

    private String[] readBack(String k) {
        return switch (r.nextInt(5)) {
            case 0 -> new String[] {"LRANGE", k, "0", "-1"};
            case 1 -> new String[] {"HGETALL", k};
            case 2 -> new String[] {"ZRANGE", k, "0", "-1", "WITHSCORES"};
            case 3 -> new String[] {"SCARD", k};
            default -> new String[] {"SISMEMBER", k, value()};
        };
    }

    private String[] badArity() {
        return switch (r.nextInt(10)) {
            case 0 -> new String[] {"GETRANGE", key(), "0"};
            case 1 -> new String[] {"SETBIT", key(), "1"};
            case 2 -> new String[] {"BITOP", "AND", key()};
            case 3 -> new String[] {"LCS", key()};
            case 4 -> new String[] {"RENAME", key()};
            case 5 -> new String[] {"COPY", key()};
            case 6 -> new String[] {"GETDEL", key(), key()};
            case 7 -> new String[] {"EXPIRETIME"};
            case 8 -> new String[] {"BITFIELD"};
            default -> new String[] {"GETEX"};
        };
    }
}
