package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * EVAL, EVALSHA, EVAL_RO and SCRIPT against a real redis-server, every reply compared byte for byte:
 * Redis' conversions both ways (RESP2, and RESP3 after HELLO 3 and redis.setresp(3)), error replies of
 * scripts, redis.call and redis.pcall, the sandbox, cjson and bit. The KV server runs 3 shards, so the
 * keys of one script are spread over them.
 */
class RedisScriptDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    /** A Lua prefix defining hex(s), so binary results compare as text. */
    private static final String HEX = "local function hex(s) return (s:gsub('.', function(ch) return string.format('%02x', ch:byte()) end)) end ";

    /** A command given as its arguments (scripts have spaces). */
    private static String[] c(String... args) {
        return args;
    }

    private static String[] eval(String script, String... keysAndArgs) {
        String[] a = new String[keysAndArgs.length + 2];
        a[0] = "EVAL";
        a[1] = script;
        System.arraycopy(keysAndArgs, 0, a, 2, keysAndArgs.length);
        return a;
    }

    /** Sends {@code cmds} to both servers; {@code skip} replies (HELLO's, which names the server) are not compared. */
    private static void same(int skip, String[]... cmds) throws IOException {
        compare(fixture, c("SCRIPT", "FLUSH"), skip, cmds);
    }

    /**
     * Sends FLUSHALL, {@code reset}, then {@code cmds} to both servers of {@code pair} and compares every
     * reply but the one to {@code cmds[skip]}.
     */
    static void compare(RedisPair.Fixture pair, String[] reset, int skip, String[]... cmds) throws IOException {
        List<String[]> list = new ArrayList<>(List.of(cmds));
        list.add(0, c("FLUSHALL"));
        list.add(1, reset);
        List<String> expected = RedisDifferentialTest.exchange(pair.pair().redisPort, list);
        List<String> actual = RedisDifferentialTest.exchange(pair.pair().kv.port(), list);
        for (int i = 0; i < list.size(); i++) {
            if (i == skip + 2) {
                continue;
            }
            assertEquals(expected.get(i), actual.get(i), "reply " + i + " to: " + String.join(" ", list.get(i)));
        }
    }

    private static void same(String[]... cmds) throws IOException {
        same(-10, cmds);
    }

    @Test
    void luaToRespConversions() throws IOException {
        same(eval("return 1", "0"), eval("return 3.99", "0"), eval("return -2.5", "0"), eval("return 'hello'", "0"),
                eval("return {1,2,3,'x',{4,{5}}}", "0"), eval("return {1,2,nil,4}", "0"), eval("return true", "0"),
                eval("return false", "0"), eval("return nil", "0"), eval("return", "0"), eval("return {true,false,1}", "0"),
                eval("return {ok='fine'}", "0"), eval("return {err='My Error'}", "0"),
                eval("return redis.status_reply('STATUS')", "0"), eval("return redis.error_reply('myerr')", "0"),
                eval("return redis.error_reply('WRONG thing')", "0"), eval("return redis.error_reply('-X y')", "0"),
                eval("return {ok='a\\r\\nb'}", "0"), eval("return {}", "0"), eval("return {{},{{}}}", "0"),
                eval("return {double=3.5}", "0"), eval("return {1, {ok='x'}, {err='E in array'}}", "0"),
                eval("return KEYS", "2", "k1", "k2", "a1", "a2"), eval("return ARGV", "1", "k1", "a1", "a2"),
                eval("return #KEYS + #ARGV", "0"), eval("return 1e20", "0"), eval("return -0.5", "0"));
    }

    @Test
    void respToLuaConversions() throws IOException {
        same(c("SET", "s", "str"), c("RPUSH", "l", "a", "b", "c"), c("HSET", "h", "f", "v"),
                eval("return redis.call('GET', KEYS[1])", "1", "s"),
                eval("return type(redis.call('GET', 'nokey'))", "0"),
                eval("return tostring(redis.call('GET', 'nokey'))", "0"),
                eval("return redis.call('INCR', 'n')", "0"),
                eval("return type(redis.call('INCR', 'n'))", "0"),
                eval("return redis.call('LRANGE', KEYS[1], 0, -1)", "1", "l"),
                eval("local r = redis.call('SET', 'x', 'y') return type(r) .. ':' .. r.ok", "0"),
                eval("local r = redis.pcall('LPUSH', 's', 'x') return type(r) .. ':' .. r.err", "0"),
                eval("return redis.pcall('LPUSH', 's', 'x')", "0"),
                eval("return redis.call('SET', 'num', 1.5)", "0"), c("GET", "num"),
                eval("return redis.call('SET', 'num', 0.1)", "0"), c("GET", "num"),
                eval("return redis.call('SET', 'num', 100)", "0"), c("GET", "num"),
                eval("return redis.call('SET', 'num', -1e300)", "0"), c("GET", "num"),
                eval("return redis.call('HGETALL', 'h')", "0"),
                eval("return redis.call('EXISTS', 'x', 's', 'nope')", "0"),
                eval("return redis.call('PING')", "0"), eval("return redis.call('ECHO', 'hi')", "0"),
                eval("return redis.call('BLPOP', 'empty', 0)", "0"),
                eval("return redis.call('MGET', 's', 'l', 'x', 'nokey')", "0"),
                eval("return redis.call('ZADD', 'z', 1.5, 'm')", "0"),
                eval("return redis.call('ZSCORE', 'z', 'm')", "0"));
    }

    @Test
    void scriptErrors() throws IOException {
        same(c("SET", "s", "str"), eval("error('foo')", "0"), eval("\n\nerror('line three')", "0"),
                eval("return redis.call('INCR', 's')", "0"), eval("return redis.call('nosuchcommand')", "0"),
                eval("return redis.call('GET')", "0"), eval("return redis.call('MULTI')", "0"),
                eval("return redis.call()", "0"), eval("return redis.call({})", "0"),
                eval("return redis.call('GET', {})", "0"), eval("return redis.call('GET', true)", "0"),
                eval("x = 1", "0"), eval("return undefinedvar", "0"), eval("error({err='CUSTOM my error'})", "0"),
                eval("local ok, e = pcall(function() error('inner') end) return e", "0"),
                eval("local ok, e = pcall(redis.call, 'INCR', 's') return {tostring(ok), e}", "0"),
                eval("return redis.pcall('nosuchcommand')", "0"),
                eval("return 1", "-1"), eval("return 1", "2", "a"), eval("return 1", "x"),
                c("EVAL", "return 1"), c("EVALSHA", "0123456789012345678901234567890123456789", "0"),
                c("EVALSHA", "abc", "0"), eval("return os", "0"), eval("return io", "0"), eval("return loadfile", "0"),
                eval("return dofile", "0"), eval("return print", "0"), eval("return debug", "0"),
                c("EVAL_RO", "return redis.call('SET', 'x', 1)", "0"),
                c("EVAL_RO", "return redis.call('GET', 's')", "0"),
                eval("#!lua flags=no-writes\nreturn redis.call('SET', 'x', 1)", "0"),
                eval("#!lua flags=no-writes\nreturn redis.call('GET', 's')", "0"),
                eval("#!lua flags=bogus\nreturn 1", "0"), eval("#!luax\nreturn 1", "0"),
                eval("#!lua name=x\nreturn 1", "0"), eval("#!lua\nreturn 1", "0"),
                eval("#!lua flags=allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 2", "0"),
                eval("redis.setresp(4)", "0"), eval("redis.log(redis.LOG_WARNING)", "0"),
                eval("redis.log('x', 'y')", "0"), eval("redis.log(9, 'y')", "0"),
                eval("redis.set_repl(99)", "0"), eval("return redis.sha1hex()", "0"));
    }

    @Test
    void redisApi() throws IOException {
        same(eval("return redis.sha1hex('')", "0"), eval("return redis.sha1hex('abc')", "0"),
                eval("redis.log(redis.LOG_NOTICE, 'from a script', 1) return 1", "0"),
                eval("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", "0"),
                eval("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}", "0"),
                eval("redis.set_repl(redis.REPL_ALL) return redis.replicate_commands()", "0"),
                eval("return redis.breakpoint()", "0"), eval("return type(redis.debug)", "0"),
                eval("return type(redis.REDIS_VERSION)", "0"), eval("return type(redis.REDIS_VERSION_NUM)", "0"),
                eval("return {type(unpack), type(loadstring), type(pcall), type(xpcall), type(coroutine), type(string),"
                        + " type(table), type(math), type(cjson), type(bit), type(select), type(rawequal)}", "0"),
                eval("return {unpack({1, 2, 3})}", "0"), eval("return loadstring('return 7')()", "0"),
                eval("return string.format('%d-%s', 5, 'x')", "0"), eval("return table.concat({'a','b'}, ',')", "0"),
                eval("return math.floor(7.9)", "0"), eval("return select('#', 1, 2, 3)", "0"),
                eval("return string.rep('ab', 3)", "0"), eval("return tostring(12)", "0"),
                eval("return tonumber('0x10')", "0"));
    }

    @Test
    void cjsonAndBit() throws IOException {
        same(eval("return cjson.encode({1, 2, 'three', true, false})", "0"),
                eval("return cjson.encode({a = 1})", "0"), eval("return cjson.encode({})", "0"),
                eval("return cjson.encode('a/b\"c\\\\d\\n')", "0"), eval("return cjson.encode(3.25)", "0"),
                eval("return cjson.encode(1/3)", "0"), eval("return cjson.encode(cjson.null)", "0"),
                eval("return cjson.encode({1, {2, {3}}})", "0"),
                eval("local t = cjson.decode('[1, 2, \"x\", {\"k\": [true, false]}]') return {t[1], t[3], tostring(t[4].k[1])}", "0"),
                eval("local t = cjson.decode('{\"a\": {\"b\": 42}}') return t.a.b", "0"),
                eval("return cjson.decode('\"\\\\u0041\\\\n\"')", "0"),
                eval("return tostring(cjson.decode('null') == cjson.null)", "0"),
                eval("return cjson.encode(cjson.decode('[1.5,-2,1e3]'))", "0"),
                eval("return cjson.decode('[1,')", "0"), eval("return cjson.decode('')", "0"),
                eval("local t = {} t[100] = 1 return cjson.encode(t)", "0"),
                eval("return cjson.encode(function() end)", "0"),
                eval("return {bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0), bit.lshift(1, 31),"
                        + " bit.rshift(-1, 28), bit.arshift(-256, 4), bit.tobit(2^32 + 5), bit.rol(1, 33), bit.ror(1, 1),"
                        + " bit.bswap(0x12345678)}", "0"),
                eval("return {bit.tohex(255), bit.tohex(255, 2), bit.tohex(-1, -4)}", "0"));
    }

    @Test
    void cmsgpack() throws IOException {
        String hex = HEX;
        same(eval(hex + "return hex(cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -128, -129, -32768, -32769,"
                        + " 4294967296, -2147483649, 1.5, 0.1, 'abc', true, false))", "0"),
                eval(hex + "return hex(cmsgpack.pack(string.rep('x', 40), string.rep('y', 300)))", "0"),
                eval(hex + "return hex(cmsgpack.pack({1, 2, 3}, {a = 1}, {}, {1, {2, {3}}}))", "0"),
                eval("local t = cmsgpack.unpack(cmsgpack.pack({1, {2, 'x'}, true, 2.5})) return {t[1], t[2][2], tostring(t[3]), tostring(t[4])}", "0"),
                eval("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', 3))}", "0"),
                eval("return {cmsgpack.unpack_one(cmsgpack.pack(7, 8))}", "0"),
                eval("return {cmsgpack.unpack_limit(cmsgpack.pack(7, 8, 9), 2)}", "0"),
                eval("return cmsgpack.unpack(string.char(0xcd, 1))", "0"),
                eval("return cmsgpack.unpack(string.char(0xc1))", "0"),
                eval("return cmsgpack.unpack(cmsgpack.pack(-5))", "0"));
    }

    @Test
    void struct() throws IOException {
        String hex = HEX;
        same(eval(hex + "return hex(struct.pack('>i2', 1))", "0"), eval(hex + "return hex(struct.pack('<I4bBhHlL', 1, -2, 3, -4, 5, -6, 7))", "0"),
                eval(hex + "return hex(struct.pack('>dfc3s', 1.5, 0.25, 'abc', 'zt'))", "0"),
                eval(hex + "return hex(struct.pack('!4bi', 1, 2))", "0"), eval(hex + "return hex(struct.pack('i8', -1))", "0"),
                eval("return {struct.unpack('<I4', string.char(1, 0, 0, 0))}", "0"),
                eval("return {struct.unpack('>i2h', string.char(255, 254, 0, 5))}", "0"),
                eval("return {struct.unpack('bc0', string.char(3) .. 'abcdef')}", "0"),
                eval("return {struct.unpack('s', 'hi' .. string.char(0) .. 'x')}", "0"),
                eval("local a, b = struct.unpack('>d', struct.pack('>d', 2.5)) return {tostring(a), b}", "0"),
                eval("return struct.size('>ihb')", "0"), eval("return struct.size('!4bi')", "0"),
                eval("return struct.pack('q', 1)", "0"), eval("return struct.unpack('>i4', 'ab')", "0"),
                eval("return struct.size('s')", "0"), eval("return struct.pack('c3', 'ab')", "0"),
                eval("return {struct.unpack('c0', 'abc')}", "0"));
    }

    @Test
    void scriptCacheCommands() throws IOException {
        String sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"; // sha1("return 1")
        same(c("SCRIPT", "LOAD", "return 1"), c("SCRIPT", "EXISTS", sha, "ffffffffffffffffffffffffffffffffffffffff"),
                c("EVALSHA", sha, "0"), c("EVALSHA", sha.toUpperCase(), "0"), c("EVALSHA_RO", sha, "0"),
                c("SCRIPT", "FLUSH"), c("SCRIPT", "EXISTS", sha), c("EVALSHA", sha, "0"),
                eval("return 1", "0"), c("SCRIPT", "EXISTS", sha), c("SCRIPT", "FLUSH", "ASYNC"),
                c("SCRIPT", "FLUSH", "SYNC"), c("SCRIPT", "FLUSH", "bogus"), c("SCRIPT", "FLUSH", "SYNC", "x"),
                c("SCRIPT", "HELP"), c("SCRIPT", "foo"), c("SCRIPT", "EXISTS"), c("SCRIPT", "LOAD"),
                c("SCRIPT", "LOAD", "return +"), c("SCRIPT", "KILL"), c("SCRIPT"),
                c("SCRIPT", "LOAD", "#!lua flags=nope\nreturn 1"));
    }

    @Test
    void resp3Conversions() throws IOException {
        same(0, c("HELLO", "3"), c("HSET", "h", "f", "v"), c("SADD", "set", "m"), c("ZADD", "z", "2.5", "m"),
                eval("return redis.call('HGETALL', 'h')", "0"),
                eval("redis.setresp(3) return redis.call('HGETALL', 'h')", "0"),
                eval("redis.setresp(3) local r = redis.call('HGETALL', 'h') return r.map.f", "0"),
                eval("redis.setresp(3) return redis.call('SMEMBERS', 'set')", "0"),
                eval("redis.setresp(3) local r = redis.call('SMEMBERS', 'set') return tostring(r.set.m)", "0"),
                eval("redis.setresp(3) return redis.call('ZSCORE', 'z', 'm')", "0"),
                eval("redis.setresp(3) local r = redis.call('ZSCORE', 'z', 'm') return tostring(r.double)", "0"),
                eval("redis.setresp(3) return type(redis.call('GET', 'nokey'))", "0"),
                eval("redis.setresp(3) return redis.call('GET', 'nokey')", "0"),
                eval("return {map={a=1}}", "0"), eval("return {set={x=true}}", "0"),
                eval("return {double=1.5}", "0"), eval("return {big_number='123456789012345678901234567890'}", "0"),
                eval("return {verbatim_string={format='txt', string='hello'}}", "0"),
                eval("return true", "0"), eval("return false", "0"), eval("redis.setresp(3) return true", "0"),
                eval("redis.setresp(3) return false", "0"), eval("return nil", "0"),
                eval("redis.setresp(3) return {1, nil, 2}", "0"));
    }

    @Test
    void resp2ClientGetsResp3ValuesDowngraded() throws IOException {
        same(c("HSET", "h", "f", "v"), eval("return {map={a=1}}", "0"), eval("return {set={x=true}}", "0"),
                eval("return {double=1.5}", "0"), eval("return {big_number='1234567890123456789012'}", "0"),
                eval("return {verbatim_string={format='txt', string='hello'}}", "0"),
                eval("redis.setresp(3) return true", "0"), eval("redis.setresp(3) return false", "0"),
                eval("redis.setresp(3) return redis.call('HGETALL', 'h')", "0"));
    }

    @Test
    void scriptsWriteAcrossShardsAndSelect() throws IOException {
        same(eval("for i = 1, 20 do redis.call('SET', KEYS[i], i) end return redis.call('MGET', unpack(KEYS))", "20",
                        "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t"),
                eval("return redis.call('DBSIZE')", "0"),
                eval("redis.call('SELECT', 1) redis.call('SET', 'in1', 'v') return redis.call('DBSIZE')", "0"),
                c("GET", "in1"), c("SELECT", "1"), c("GET", "in1"), c("SELECT", "0"),
                eval("return redis.call('DEL', 'a', 'b', 'c', 'zz')", "0"),
                eval("redis.call('RPUSH', 'src', 'x', 'y') return redis.call('LMOVE', 'src', 'dst', 'LEFT', 'RIGHT')", "0"),
                c("LRANGE", "dst", "0", "-1"));
    }
}
