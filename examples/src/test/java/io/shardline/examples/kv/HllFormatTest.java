package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.examples.kv.store.Hll;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Hll} against redis-server itself: the same elements added to both give the same value bytes
 * (sparse runs, merges of neighbouring opcodes, promotion to dense, the cached cardinality) and the
 * same PFCOUNT. Runs where redis-server is installed.
 */
class HllFormatTest {
    static Process redis;
    static Socket socket;
    static OutputStream out;
    static InputStream in;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Path binary = RedisBinaries.find("redis-server");
        Assumptions.assumeTrue(binary != null, "redis-server is not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        redis = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        for (int attempt = 0; ; attempt++) {
            try {
                socket = new Socket(InetAddress.getLoopbackAddress(), port);
                break;
            } catch (IOException e) {
                if (attempt > 200 || !redis.isAlive()) {
                    throw e;
                }
                redis.waitFor(25, TimeUnit.MILLISECONDS); // redis-server is still binding its port
            }
        }
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    @AfterAll
    static void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void emptyValueIsRedisBytes() throws IOException {
        call("DEL", "empty");
        call("PFADD", "empty");
        Hll created = Hll.empty();
        created.invalidateCache(); // PFADD counts creating the key as a change
        assertArrayEquals(call("GET", "empty"), created.bytes());
    }

    @Test
    void randomAddsGiveRedisBytesAndCounts() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 12; round++) {
            String key = "h" + round;
            call("DEL", key);
            Hll h = Hll.empty();
            int adds = 1 + random.nextInt(round < 6 ? 400 : 6000); // the later rounds pass the sparse limit
            List<String> batch = new ArrayList<>();
            batch.add("PFADD");
            batch.add(key);
            for (int i = 0; i < adds; i++) {
                String element = "e" + random.nextInt(1_000_000);
                byte[] b = element.getBytes(StandardCharsets.UTF_8);
                h.add(b, 0, b.length, 3000);
                batch.add(element);
                if (batch.size() == 64 || i == adds - 1) {
                    call(batch.toArray(new String[0]));
                    batch.subList(2, batch.size()).clear();
                }
            }
            assertArrayEquals(call("GET", key), h.bytes(), "value bytes after " + adds + " adds");
            long redisCount = Long.parseLong(new String(call("PFCOUNT", key), StandardCharsets.US_ASCII));
            assertEquals(redisCount, h.count(), "estimate after " + adds + " adds");
            h.cache(h.count());
            assertArrayEquals(call("GET", key), h.bytes(), "bytes with the cached cardinality");
            assertEquals(redisCount, h.cached());
        }
    }

    @Test
    void denseFromTheStartMatchesRedisTodense() throws IOException {
        call("DEL", "d");
        call("PFADD", "d", "a", "b", "c");
        call("PFDEBUG", "TODENSE", "d");
        Hll h = Hll.empty();
        for (String s : new String[] {"a", "b", "c"}) {
            h.add(s.getBytes(StandardCharsets.UTF_8), 0, s.length(), 3000);
        }
        assertTrue(h.toDense());
        assertFalse(h.isSparse());
        assertArrayEquals(call("GET", "d"), h.bytes());
        assertEquals(Hll.DENSE_SIZE, h.bytes().length);
    }

    @Test
    void validityFollowsRedis() {
        assertNull(Hll.of("not an hll at all".getBytes(StandardCharsets.US_ASCII)));
        byte[] shortDense = Hll.empty().bytes();
        shortDense[4] = 0; // claims dense but is sparse-sized
        assertNull(Hll.of(shortDense));
        assertNotNull(Hll.of(Hll.empty().bytes()));
    }

    /** Sends one command, returns the bulk, integer or status payload; fails on an error reply. */
    private static byte[] call(String... args) throws IOException {
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.writeBytes(b);
            req.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write(req.toByteArray());
        out.flush();
        String line = line();
        switch (line.charAt(0)) {
            case '$' -> {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] body = in.readNBytes(n);
                in.readNBytes(2);
                return body;
            }
            case ':', '+' -> {
                return line.substring(1).getBytes(StandardCharsets.US_ASCII);
            }
            default -> throw new AssertionError("redis replied " + line + " to " + String.join(" ", args));
        }
    }

    private static String line() throws IOException {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("redis closed the connection");
            }
            s.append((char) c);
        }
        in.read();
        return s.toString();
    }
}
