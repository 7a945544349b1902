package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.FunctionRestorePolicy;
import redis.clients.jedis.exceptions.JedisDataException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FUNCTION LOAD|LIST|DELETE|FLUSH|STATS|KILL|HELP, FCALL and FCALL_RO against a real redis-server,
 * every reply compared byte for byte (RESP2 and RESP3): library headers, register_function in both
 * forms with flags and descriptions, the errors of loading and of calling, and keys on several shards.
 */
class RedisFunctionDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    private static final String LIB = "#!lua name=mylib\n"
            + "redis.register_function('echo_args', function(keys, args) return {keys, args} end)\n"
            + "redis.register_function{function_name='get_ro', callback=function(keys) return redis.call('GET', keys[1]) end,"
            + " flags={'no-writes'}, description='reads a key'}\n"
            + "local function set(keys, args) return redis.call('SET', keys[1], args[1]) end\n"
            + "redis.register_function('set_it', set)\n"
            + "redis.register_function{function_name='boom', callback=function() error('exploded') end}\n"
            + "redis.register_function{function_name='ro_writes', callback=function(keys) return redis.call('SET', keys[1], 1) end,"
            + " flags={'no-writes', 'allow-oom'}}\n";

    /** One function: Redis lists a library's functions in its hash order, so LIST is compared on one. */
    private static final String ONE = "#!lua name=one\n"
            + "redis.register_function{function_name='only', callback=function(keys, args) return args[1] end,"
            + " flags={'no-writes', 'allow-stale'}, description='the one'}";

    private static String[] c(String... args) {
        return args;
    }

    private static void same(int skip, String[]... cmds) throws IOException {
        RedisScriptDifferentialTest.compare(fixture, c("FUNCTION", "FLUSH"), skip, cmds);
    }

    @Test
    void loadListCallDelete() throws IOException {
        for (int skip : new int[] {-10, 0}) {
            same(skip, skip == 0 ? c("HELLO", "3") : c("PING"), c("FUNCTION", "LOAD", ONE), c("FUNCTION", "LIST"),
                    c("FUNCTION", "LIST", "WITHCODE"), c("FUNCTION", "LIST", "LIBRARYNAME", "on*"),
                    c("FUNCTION", "LIST", "LIBRARYNAME", "other*"), c("FUNCTION", "STATS"), c("FCALL", "only", "0", "a"),
                    c("FUNCTION", "DELETE", "one"), c("FUNCTION", "LOAD", LIB), c("FUNCTION", "STATS"),
                    c("FCALL", "echo_args", "2", "a", "b", "x", "y", "z"), c("FCALL", "set_it", "1", "k1", "v1"),
                    c("FCALL", "get_ro", "1", "k1"), c("FCALL_RO", "get_ro", "1", "k1"), c("FCALL_RO", "set_it", "1", "k1", "v"),
                    c("FCALL", "ro_writes", "1", "k1"), c("FCALL", "boom", "0"), c("FCALL", "nosuch", "0"),
                    c("FCALL", "set_it", "-1"), c("FCALL", "set_it", "5", "k"), c("FCALL", "set_it", "x"), c("FCALL", "nosuch", "x"),
                    c("FUNCTION", "LOAD", LIB), c("FUNCTION", "LOAD", "REPLACE", LIB), c("FUNCTION", "LOAD", "BOGUS", LIB),
                    c("FUNCTION", "DELETE", "nolib"), c("FUNCTION", "DELETE", "mylib"), c("FCALL", "echo_args", "0"),
                    c("FUNCTION", "LIST"), c("FUNCTION", "STATS"), c("FUNCTION", "KILL"));
        }
    }

    @Test
    void loadErrors() throws IOException {
        same(-10, c("FUNCTION", "LOAD", "return 1"), c("FUNCTION", "LOAD", "#!lua\nreturn 1"),
                c("FUNCTION", "LOAD", "#!lua name=l1 foo=bar\nreturn 1"), c("FUNCTION", "LOAD", "#!lua name=l1\nreturn 1"),
                c("FUNCTION", "LOAD", "#!lua name=bad-name\nreturn 1"),
                c("FUNCTION", "LOAD", "#!lua name=l2\nredis.call('ping')"),
                c("FUNCTION", "LOAD", "#!lua name=l3\nredis.register_function('bad name', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=l4\nredis.register_function{function_name='x', callback=function() end, flags={'bogus'}}"),
                c("FUNCTION", "LOAD", "#!lua name=l5\nredis.register_function('f7')"),
                c("FUNCTION", "LOAD", "#!lua name=l6\nlocal x = nosuch"), c("FUNCTION", "LOAD", "#!lua name=l7\ny = 1"),
                c("FUNCTION", "LOAD", "#!lua name=l8\nredis.register_function('f', function() end)\nredis.register_function('f', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=l9\nredis.register_function('f', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=l10\nredis.register_function('f', function() end)"),
                c("FUNCTION", "LOAD", "#!lua name=l11\nredis.register_function{function_name='g', callback=function() end, other=1}"),
                c("FUNCTION", "LOAD", "#!lua name=l12\nredis.register_function(1, 2, 3)"),
                c("FUNCTION", "LOAD", "#!lua name=l13\nredis.register_function{callback=function() end}"),
                c("FUNCTION", "FLUSH", "bogus"), c("FUNCTION", "FLUSH", "ASYNC"), c("FUNCTION", "FLUSH", "SYNC"),
                c("FUNCTION", "foo"), c("FUNCTION", "DELETE"), c("FUNCTION", "LIST", "bogus"),
                c("FUNCTION", "LIST", "LIBRARYNAME"), c("FCALL"), c("FUNCTION", "LOAD"), c("FUNCTION", "HELP"));
    }

    @Test
    void dumpFromRedisRestoresHereAndOursRoundTrips() throws Exception {
        try (Jedis redis = new Jedis("127.0.0.1", fixture.pair().redisPort, JedisSupport.config());
                Jedis kv = JedisSupport.connect(fixture.pair().kv)) {
            redis.functionFlush();
            kv.functionFlush();
            redis.functionLoad(LIB);
            redis.functionLoad(ONE);
            byte[] fromRedis = redis.functionDump();
            assertEquals("OK", kv.functionRestore(fromRedis));
            assertEquals(List.of(List.of("a"), List.of("x")), kv.fcall("echo_args", List.of("a"), List.of("x")));
            assertEquals("v", kv.fcall("only", List.of(), List.of("v")));
            JedisDataException again = assertThrows(
                    JedisDataException.class, () -> kv.functionRestore(fromRedis));
            JedisDataException redisAgain = assertThrows(
                    JedisDataException.class, () -> redis.functionRestore(fromRedis));
            assertEquals(redisAgain.getMessage(), again.getMessage());
            assertEquals("OK", kv.functionRestore(fromRedis, FunctionRestorePolicy.REPLACE));
            byte[] ours = kv.functionDump();
            assertEquals("OK", kv.functionFlush());
            assertEquals("OK", kv.functionRestore(ours, FunctionRestorePolicy.FLUSH));
            assertEquals("v", kv.fcall("only", List.of(), List.of("v")));
            byte[] bad = ours.clone();
            bad[bad.length - 1] ^= 1;
            JedisDataException e = assertThrows(
                    JedisDataException.class, () -> kv.functionRestore(bad));
            assertEquals("ERR DUMP payload version or checksum are wrong", e.getMessage());
            redis.functionFlush();
            kv.functionFlush();
        }
        same(-10, c("FUNCTION", "RESTORE", "garbage"), c("FUNCTION", "RESTORE", "x", "BOGUS"), c("FUNCTION", "RESTORE"),
                c("FUNCTION", "DUMP", "x"));
    }
}
