package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/** Shared helpers for the Jedis suites: connections, key placement, error checks, a raw socket. Stateless. */
final class JedisSupport {
    static final String HOST = "127.0.0.1";
    static final int TIMEOUT_MILLIS = 10_000;

    private JedisSupport() {
    }

    static JedisClientConfig config() {
        return builder().build();
    }

    /** Bounded timeouts; RESP2 unless told otherwise (Jedis' plain client does not auto-negotiate RESP3). */
    static DefaultJedisClientConfig.Builder builder() {
        return DefaultJedisClientConfig.builder().timeoutMillis(TIMEOUT_MILLIS).autoNegotiateProtocol(false);
    }

    /** A Jedis connection with a bounded socket timeout, so a hung server fails the test instead of hanging it. */
    static Jedis connect(KvServer server) {
        return new Jedis(HOST, server.port(), config());
    }

    static Jedis connect(KvServer server, JedisClientConfig config) {
        return new Jedis(HOST, server.port(), config);
    }

    /** Any command name, known to Jedis or not (QUIT, FOO, ...). */
    static ProtocolCommand command(String name) {
        byte[] raw = name.getBytes(StandardCharsets.UTF_8);
        return () -> raw;
    }

    /** The shard that owns {@code key} on a server with {@code shards} shards: its hash slot's, evenly split. */
    static int shardOf(String key, int shards) {
        return SlotTable.evenOwner(HashSlot.of(key.getBytes(StandardCharsets.UTF_8)), shards);
    }

    /** {@code prefix0 .. prefix(n-1)}, checked to land on every one of {@code shards} shards. */
    static List<String> keys(String prefix, int n, int shards) {
        List<String> keys = new ArrayList<>(n);
        boolean[] hit = new boolean[shards];
        for (int i = 0; i < n; i++) {
            String k = prefix + i;
            keys.add(k);
            hit[shardOf(k, shards)] = true;
        }
        for (int s = 0; s < shards; s++) {
            assertTrue(hit[s], "no key of " + prefix + "0.." + (n - 1) + " on shard " + s);
        }
        return keys;
    }

    /** The first key {@code prefix<i>} that lives on {@code shard}. */
    static String keyOn(String prefix, int shard, int shards) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (shardOf(k, shards) == shard) {
                return k;
            }
        }
    }

    /** The shard a connection lives on, from CLIENT INFO's shard= field. */
    static int connectionShard(Jedis jedis) {
        String info = jedis.clientInfo();
        Matcher m = Pattern.compile("shard=(\\d+)").matcher(info);
        assertTrue(m.find(), "CLIENT INFO has no shard= field: " + info);
        return Integer.parseInt(m.group(1));
    }

    /** Runs {@code call}, expects Redis' error reply {@code text} exactly as Jedis surfaces it. */
    static <T extends JedisDataException> T assertRedisError(Class<T> type, String text, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(text, e.getMessage());
        return e;
    }

    static JedisDataException assertRedisError(String text, Executable call) {
        return assertRedisError(JedisDataException.class, text, call);
    }

    /** The number after {@code field:} in an INFO text. */
    static long infoField(String info, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(field) + ":(\\d+)\r?$").matcher(info);
        assertTrue(m.find(), "INFO has no " + field + ": " + info);
        return Long.parseLong(m.group(1));
    }

    /** Sum of {@code name=} over every shardN line of INFO's Shards section. */
    static long sumShardField(String info, String name) {
        Matcher m = Pattern.compile("(?m)^shard\\d+:.*\\b" + Pattern.quote(name) + "=(\\d+)").matcher(info);
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** A plain socket for what Jedis cannot send: raw bytes out, exact reply lines in. Not thread-safe. */
    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        RawClient(KvServer server) throws IOException {
            socket = new Socket(HOST, server.port());
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        RawClient send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        RawClient send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            return this;
        }

        RawClient command(String... args) throws IOException {
            return send(RawResp.encode(args));
        }

        /** One whole reply, exactly as sent. */
        String reply() throws IOException {
            return RawResp.readReply(in);
        }

        /** One CRLF-terminated line, without the CRLF. */
        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int prev = -1;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed after: " + b.toString(StandardCharsets.ISO_8859_1));
                }
                if (prev == '\r' && c == '\n') {
                    byte[] bytes = b.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
                }
                b.write(c);
                prev = c;
            }
        }

        /** Asserts the server closes the connection with nothing more to read (within the socket timeout). */
        void assertClosedByServer() throws IOException {
            int c;
            try {
                c = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server did not close the connection within " + TIMEOUT_MILLIS + " ms", e);
            } catch (IOException e) {
                return; // reset by peer: closed as well
            }
            assertEquals(-1, c, "expected end of stream, got more bytes");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
