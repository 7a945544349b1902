package io.shardline.examples.kv;

import static io.shardline.examples.kv.JedisSupport.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.GeoCoordinate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.GeoUnit;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GeoAddParams;
import redis.clients.jedis.params.GeoRadiusParam;
import redis.clients.jedis.params.GeoRadiusStoreParam;
import redis.clients.jedis.params.GeoSearchParam;
import redis.clients.jedis.resps.GeoRadiusResponse;

/**
 * The GEO commands through Jedis: the values redis.io's examples show (Palermo and Catania), the
 * options, the errors, and the STORE forms with source and destination on different shards.
 */
class JedisGeoTest {
    private static final int SHARDS = 3;

    private static void sicily(Jedis j, String key) {
        assertEquals(2, j.geoadd(key, Map.of("Palermo", new GeoCoordinate(13.361389, 38.115556),
                "Catania", new GeoCoordinate(15.087269, 37.502669))));
    }

    @Test
    void addPosDistHashAsRedisIoShows() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            sicily(j, "Sicily");
            assertEquals(3479099956230698L, j.zscore("Sicily", "Palermo").longValue());
            assertEquals(166274.1516, j.geodist("Sicily", "Palermo", "Catania"));
            assertEquals(166.2742, j.geodist("Sicily", "Palermo", "Catania", GeoUnit.KM));
            assertEquals(103.3182, j.geodist("Sicily", "Palermo", "Catania", GeoUnit.MI));
            assertNull(j.geodist("Sicily", "Foo", "Bar"));
            assertEquals(List.of("sqc8b49rny0", "sqdtr74hyu0"), j.geohash("Sicily", "Palermo", "Catania"));
            List<GeoCoordinate> pos = j.geopos("Sicily", "Palermo", "Catania", "NonExisting");
            assertEquals(13.36138933897018433, pos.get(0).getLongitude());
            assertEquals(38.11555639549629859, pos.get(0).getLatitude());
            assertNull(pos.get(2));
            // the raw spelling Redis sends: %.17Lf without trailing zeros
            Object raw = j.sendCommand(JedisSupport.command("GEOPOS"), "Sicily", "Palermo");
            assertEquals("13.36138933897018433", new String((byte[]) ((List<?>) ((List<?>) raw).get(0)).get(0)));
            // NX does not move, XX does not add, CH counts moves
            assertEquals(0, j.geoadd("Sicily", GeoAddParams.geoAddParams().nx(), Map.of("Palermo", new GeoCoordinate(0, 0))));
            assertEquals(0, j.geoadd("Sicily", GeoAddParams.geoAddParams().xx(), Map.of("Rome", new GeoCoordinate(12.5, 41.9))));
            assertEquals(1, j.geoadd("Sicily", GeoAddParams.geoAddParams().xx().ch(), Map.of("Palermo", new GeoCoordinate(13, 38))));
            assertNull(j.zscore("Sicily", "Rome"));
        }
    }

    @Test
    void searchesAsRedisIoShows() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            sicily(j, "Sicily");
            j.geoadd("Sicily", Map.of("edge1", new GeoCoordinate(12.758489, 38.788135),
                    "edge2", new GeoCoordinate(17.241510, 38.788135)));
            List<GeoRadiusResponse> r = j.georadius("Sicily", 15, 37, 200, GeoUnit.KM,
                    GeoRadiusParam.geoRadiusParam().withDist().sortAscending());
            assertEquals(List.of("Catania", "Palermo"), r.stream().map(GeoRadiusResponse::getMemberByString).toList());
            assertEquals(56.4413, r.get(0).getDistance());
            assertEquals(190.4424, r.get(1).getDistance());
            List<GeoRadiusResponse> box = j.geosearch("Sicily",
                    GeoSearchParam.geoSearchParam().fromLonLat(15, 37).byBox(400, 400, GeoUnit.KM).asc().withDist().withCoord());
            assertEquals(List.of("Catania", "Palermo", "edge2", "edge1"),
                    box.stream().map(GeoRadiusResponse::getMemberByString).toList());
            assertEquals(List.of("Palermo", "edge1"), j.georadiusByMember("Sicily", "Palermo", 100, GeoUnit.KM,
                    GeoRadiusParam.geoRadiusParam().sortAscending()).stream().map(GeoRadiusResponse::getMemberByString).toList());
            assertEquals(1, j.geosearch("Sicily", GeoSearchParam.geoSearchParam().fromMember("Palermo")
                    .byRadius(500, GeoUnit.KM).count(1, true)).size());
        }
    }

    @Test
    void errorsAreRedisErrors() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            sicily(j, "Sicily");
            j.set("str", "x");
            assertError("ERR invalid longitude,latitude pair 181.000000,0.000000", () -> j.geoadd("Sicily", 181, 0, "x"));
            assertError("ERR syntax error", () -> j.sendCommand(JedisSupport.command("GEOADD"), "Sicily", "NX", "XX", "1", "1", "x"));
            assertError("ERR unsupported unit provided. please use M, KM, FT, MI",
                    () -> j.sendCommand(JedisSupport.command("GEODIST"), "Sicily", "Palermo", "Catania", "yd"));
            assertError("ERR could not decode requested zset member",
                    () -> j.sendCommand(JedisSupport.command("GEORADIUSBYMEMBER"), "Sicily", "Nope", "1", "km"));
            assertError("ERR need numeric radius", () -> j.sendCommand(JedisSupport.command("GEORADIUS"), "Sicily", "1", "1", "x", "km"));
            assertError("ERR radius cannot be negative", () -> j.sendCommand(JedisSupport.command("GEORADIUS"), "Sicily", "1", "1", "-1", "km"));
            assertError("ERR COUNT must be > 0", () -> j.sendCommand(JedisSupport.command("GEORADIUS"), "Sicily", "1", "1", "1", "km", "COUNT", "0"));
            assertError("ERR the ANY argument requires COUNT argument",
                    () -> j.sendCommand(JedisSupport.command("GEORADIUS"), "Sicily", "1", "1", "1", "km", "ANY"));
            assertError("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH",
                    () -> j.sendCommand(JedisSupport.command("GEOSEARCH"), "Sicily", "BYRADIUS", "1", "km", "ASC", "WITHDIST"));
            assertError("ERR exactly one of BYRADIUS and BYBOX can be specified for GEOSEARCH",
                    () -> j.sendCommand(JedisSupport.command("GEOSEARCH"), "Sicily", "FROMLONLAT", "1", "1", "ASC", "WITHDIST"));
            assertError("ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
                    () -> j.sendCommand(JedisSupport.command("GEORADIUS"), "Sicily", "1", "1", "1", "km", "WITHDIST", "STORE", "d"));
            assertError("ERR syntax error", () -> j.sendCommand(JedisSupport.command("GEORADIUS_RO"), "Sicily", "1", "1", "1", "km", "STORE", "d"));
            assertError("WRONGTYPE Operation against a key holding the wrong kind of value", () -> j.geopos("str", "a"));
            assertEquals(2, j.zcard("Sicily"), "a failed GEOADD changes nothing");
        }
    }

    @Test
    void storeFormsWorkAcrossShards() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(SHARDS)); Jedis j = connect(kv)) {
            String src = "src";
            String dst = "dst";
            for (int i = 0; JedisSupport.shardOf(dst, SHARDS) == JedisSupport.shardOf(src, SHARDS); i++) {
                dst = "dst" + i;
            }
            sicily(j, src);
            assertEquals(2, j.georadiusStore(src, 15, 37, 200, GeoUnit.KM, GeoRadiusParam.geoRadiusParam(),
                    GeoRadiusStoreParam.geoRadiusStoreParam().store(dst)));
            assertEquals(j.zscore(src, "Palermo"), j.zscore(dst, "Palermo"));
            assertEquals(1, j.georadiusByMemberStore(src, "Palermo", 10, GeoUnit.KM, GeoRadiusParam.geoRadiusParam(),
                    GeoRadiusStoreParam.geoRadiusStoreParam().storeDist(dst)));
            assertEquals(0.0, j.zscore(dst, "Palermo"));
            assertEquals(1, j.zcard(dst));
            assertEquals(2L, j.sendCommand(JedisSupport.command("GEOSEARCHSTORE"), dst, src, "FROMLONLAT", "15", "37",
                    "BYRADIUS", "200", "km", "ASC", "STOREDIST"));
            assertEquals(56.441257870158204, j.zscore(dst, "Catania"));
            // a missing source empties the destination, as Redis 7.2 does
            assertEquals(0L, j.sendCommand(JedisSupport.command("GEOSEARCHSTORE"), dst, "nosuch", "FROMLONLAT", "15", "37",
                    "BYRADIUS", "200", "km"));
            assertTrue(!j.exists(dst));
        }
    }

    private static void assertError(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(JedisDataException.class, call).getMessage());
    }
}
