package io.shardline.examples.kv;

import io.shardline.examples.kv.RedisCollectionsDifferentialTest.Cmd;
import io.shardline.examples.kv.RedisCollectionsDifferentialTest.Compare;
import io.shardline.examples.kv.RedisCollectionsDifferentialTest.Gen;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomised GEO command sequences against a real redis-server, replies compared byte for byte: sets
 * of a few hundred random points (listpack and skip list), with clusters at the poles' limits and on
 * both sides of the antimeridian, searched by radius and by box from random centres and members with
 * every option, the STORE forms checked through ZRANGE and GEOPOS of what they wrote, and
 * bad coordinates, units, counts and option mixes. Unsorted searches are compared in order too: the
 * order is the neighbour cells' and the scores' order, which this server follows.
 *
 * <p>Kept difference: DUMP is not compared, since this server's DUMP writes the plain ZSET_2 form
 * ({@code RdbWriter}) where Redis writes its listpack; the scores, and so RESTORE on either side, agree.
 */
class RedisGeoDifferentialTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        RedisCollectionsDifferentialTest.pair = RedisPair.start(dir);
        RedisCollectionsDifferentialTest.redisPort = RedisCollectionsDifferentialTest.pair.redisPort;
        RedisCollectionsDifferentialTest.kv = RedisCollectionsDifferentialTest.pair.kv;
    }

    @AfterAll
    static void stop() throws Exception {
        if (RedisCollectionsDifferentialTest.pair != null) {
            RedisCollectionsDifferentialTest.pair.close();
            RedisCollectionsDifferentialTest.pair = null;
        }
    }

    @Test
    void geoMatchesRedisResp2() throws IOException {
        RedisCollectionsDifferentialTest.run(2, new GeoGen(new SplittableRandom(31)), 3000);
    }

    @Test
    void geoMatchesRedisResp3() throws IOException {
        RedisCollectionsDifferentialTest.run(3, new GeoGen(new SplittableRandom(32)), 1500);
    }

    @Test
    void geoAcrossShardsMatchesRedis() throws IOException {
        RedisCollectionsDifferentialTest.run(2, new GeoGen(new SplittableRandom(33)).spread(), 3000);
    }

    /**
     * The table's arity, key positions and write flag of the GEO commands are redis-server's, but for
     * GEORADIUS and GEORADIUSBYMEMBER, whose STORE key this server finds itself (keys 0 0 0, as SORT).
     */
    @Test
    void commandInfoMatchesRedis() {
        String[] names = {"geoadd", "geopos", "geodist", "geohash", "geosearch", "geosearchstore", "georadius_ro",
            "georadiusbymember_ro"};
        try (redis.clients.jedis.Jedis r = new redis.clients.jedis.Jedis("127.0.0.1", RedisCollectionsDifferentialTest.redisPort);
                redis.clients.jedis.Jedis k = new redis.clients.jedis.Jedis("127.0.0.1", RedisCollectionsDifferentialTest.kv.port())) {
            var expected = r.commandInfo(names);
            var actual = k.commandInfo(names);
            for (String n : names) {
                var e = expected.get(n);
                var a = actual.get(n);
                org.junit.jupiter.api.Assertions.assertEquals(List.of(e.getArity(), e.getFirstKey(), e.getLastKey(), e.getStep()),
                        List.of(a.getArity(), a.getFirstKey(), a.getLastKey(), a.getStep()), n);
                org.junit.jupiter.api.Assertions.assertEquals(e.getFlags().contains("write"), a.getFlags().contains("write"), n);
            }
            for (String n : new String[] {"georadius", "georadiusbymember"}) {
                org.junit.jupiter.api.Assertions.assertEquals(r.commandInfo(n).get(n).getArity(), k.commandInfo(n).get(n).getArity(), n);
            }
            // ROLE of a master without replicas
            org.junit.jupiter.api.Assertions.assertEquals(r.role(), k.role());
        }
    }

    /** GEO commands with random points, centres, shapes and options, bad ones included. */
    static final class GeoGen extends Gen {
        GeoGen(SplittableRandom rnd) {
            super(rnd);
        }

        @Override
        List<String[]> setup(int protocol) {
            List<String[]> setup = new ArrayList<>(super.setup(protocol));
            for (int k = 0; k < 3; k++) {
                int n = k == 0 ? 400 : k == 1 ? 100 : 20; // a skip list, and listpacks
                List<String> add = new ArrayList<>(List.of("GEOADD", tag + "k" + k));
                for (int i = 0; i < n; i++) {
                    add.add(lon());
                    add.add(lat());
                    add.add("m" + i);
                }
                setup.add(add.toArray(new String[0]));
            }
            return setup;
        }

        String lon() {
            return switch (rnd.nextInt(6)) {
                case 0 -> coord(179 + rnd.nextDouble()); // by the antimeridian, both sides
                case 1 -> coord(-180 + rnd.nextDouble());
                default -> coord(rnd.nextDouble() * 360 - 180);
            };
        }

        String lat() {
            return switch (rnd.nextInt(6)) {
                case 0 -> coord(84 + rnd.nextDouble() * 1.05); // at the Mercator limit
                case 1 -> coord(-85.05 + rnd.nextDouble());
                case 2 -> coord(rnd.nextDouble() * 2 - 1); // the equator
                default -> coord(rnd.nextDouble() * 170.1 - 85.05);
            };
        }

        String coord(double d) {
            return String.format(Locale.ROOT, "%." + (1 + rnd.nextInt(8)) + "f", d);
        }

        /** Sometimes out of range or not a number. */
        String badLon() {
            return rnd.nextInt(25) != 0 ? lon() : pick("180.5", "-181", "abc", "inf", "", "1e400");
        }

        String badLat() {
            return rnd.nextInt(25) != 0 ? lat() : pick("85.06", "-90", "91", "nan", "x");
        }

        String member() {
            return rnd.nextInt(30) == 0 ? "nosuch" : "m" + rnd.nextInt(420);
        }

        String unit() {
            return rnd.nextInt(30) == 0 ? pick("yd", "", "meters") : pick("m", "km", "ft", "mi", "M", "KM", "Mi");
        }

        String distance() {
            return rnd.nextInt(30) == 0 ? pick("-1", "abc", "") : pick("0", "1", "250", "5000", "80000", "300000",
                    "1200000", "5000000", "9000000", "20000000", "123.456", "0.5");
        }

        @Override
        Cmd next() {
            List<String> c = new ArrayList<>();
            switch (rnd.nextInt(20)) {
                case 0, 1 -> {
                    c.addAll(List.of("GEOADD", key()));
                    for (int i = rnd.nextInt(3); i > 0; i--) {
                        c.add(pick("NX", "XX", "CH", "ch", "GT"));
                    }
                    for (int i = 1 + rnd.nextInt(3); i > 0; i--) {
                        c.addAll(List.of(badLon(), badLat(), member()));
                    }
                    if (rnd.nextInt(25) == 0) {
                        c.remove(c.size() - 1);
                    }
                }
                case 2 -> {
                    c.addAll(List.of(pick("GEOPOS", "GEOHASH"), key()));
                    for (int i = rnd.nextInt(4); i > 0; i--) {
                        c.add(member());
                    }
                }
                case 3 -> {
                    c.addAll(List.of("GEODIST", key(), member(), member()));
                    if (rnd.nextBoolean()) {
                        c.add(unit());
                    }
                    if (rnd.nextInt(20) == 0) {
                        c.add("km");
                    }
                }
                case 4, 5, 6, 7 -> search(c, "GEOSEARCH", false);
                case 8, 9 -> search(c, "GEOSEARCHSTORE", true);
                case 10, 11 -> radius(c, pick("GEORADIUS", "GEORADIUS_RO", "georadius"), false);
                case 12, 13 -> radius(c, pick("GEORADIUSBYMEMBER", "GEORADIUSBYMEMBER_RO"), true);
                // a STOREDIST score is fractional, which 7.0 spells with %.17g and 7.2 (as here) shortest:
                // the destinations' order is compared, and their geohash scores through GEOPOS
                case 14 -> c.addAll(List.of("ZRANGE", tag + "d" + rnd.nextInt(2), "0", "-1"));
                case 15 -> c.addAll(List.of("GEOPOS", tag + "d" + rnd.nextInt(2), member(), member(), member()));
                case 16 -> c.addAll(List.of("ZRANGE", pick(tag + "k1", tag + "k2"), "0", "-1", "WITHSCORES"));
                case 17 -> c.addAll(List.of("ZSCORE", key(), member()));
                case 18 -> c.addAll(List.of("OBJECT", "ENCODING", pick(tag + "d0", tag + "d1", tag + "k0", tag + "k2")));
                default -> c.addAll(List.of("ZREM", key(), member()));
            }
            return new Cmd(args(c), Compare.EXACT);
        }

        /** GEOSEARCH key or GEOSEARCHSTORE dest key, then FROM..., BY... and options in random order. */
        void search(List<String> c, String name, boolean store) {
            c.add(name);
            if (store) {
                c.add(tag + "d" + rnd.nextInt(2));
            }
            c.add(key());
            List<List<String>> parts = new ArrayList<>();
            int from = rnd.nextInt(12);
            if (from < 6 || from == 10) {
                parts.add(List.of("FROMMEMBER", member()));
            }
            if (from >= 5 && from < 11) {
                parts.add(List.of("FROMLONLAT", badLon(), badLat()));
            }
            int by = rnd.nextInt(12);
            if (by < 6 || by == 10) {
                parts.add(List.of("BYRADIUS", distance(), unit()));
            }
            if (by >= 5 && by < 11) {
                parts.add(List.of("BYBOX", distance(), distance(), unit()));
            }
            options(parts, store);
            java.util.Collections.shuffle(parts, new java.util.Random(rnd.nextLong()));
            parts.forEach(c::addAll);
        }

        /** GEORADIUS key lon lat radius unit, or GEORADIUSBYMEMBER key member radius unit, then options. */
        void radius(List<String> c, String name, boolean byMember) {
            c.addAll(List.of(name, key()));
            if (byMember) {
                c.add(member());
            } else {
                c.addAll(List.of(badLon(), badLat()));
            }
            c.addAll(List.of(distance(), unit()));
            List<List<String>> parts = new ArrayList<>();
            options(parts, false);
            if (rnd.nextInt(3) == 0) {
                parts.add(List.of(pick("STORE", "STOREDIST"), tag + "d" + rnd.nextInt(2)));
            }
            java.util.Collections.shuffle(parts, new java.util.Random(rnd.nextLong()));
            parts.forEach(c::addAll);
        }

        void options(List<List<String>> parts, boolean store) {
            if (rnd.nextInt(3) == 0) {
                parts.add(List.of(pick("ASC", "DESC", "asc")));
            }
            if (rnd.nextInt(3) == 0) {
                parts.add(rnd.nextInt(4) == 0 ? List.of("COUNT", pick("0", "-1", "x", "3"), "ANY")
                        : List.of("COUNT", Integer.toString(1 + rnd.nextInt(20))));
            }
            if (rnd.nextInt(12) == 0) {
                parts.add(List.of("ANY"));
            }
            if (store) {
                if (rnd.nextInt(3) == 0) {
                    parts.add(List.of("STOREDIST"));
                }
                if (rnd.nextInt(15) == 0) {
                    parts.add(List.of("WITHDIST"));
                }
                return;
            }
            for (String w : List.of("WITHCOORD", "WITHDIST", "WITHHASH")) {
                if (rnd.nextInt(3) == 0) {
                    parts.add(List.of(w));
                }
            }
        }
    }
}
