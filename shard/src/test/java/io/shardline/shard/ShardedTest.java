package io.shardline.shard;

import static io.shardline.shard.ShardTestSupport.failureOf;
import static io.shardline.shard.ShardTestSupport.get;
import static io.shardline.shard.ShardTestSupport.here;
import static io.shardline.shard.ShardTestSupport.onShard;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** One service instance per shard, key routing by CRC32C, and ordered start and stop. */
class ShardedTest {

    /** A service instance; shard-confined after creation. */
    static class Service {
        final int shard;
        final String createdOn;
        final int order;
        int calls;

        Service(int shard, String createdOn, int order) {
            this.shard = shard;
            this.createdOn = createdOn;
            this.order = order;
        }
    }

    /** A service that records where and in which order it was closed. */
    static final class ClosingService extends Service implements AutoCloseable {
        private final ConcurrentLinkedQueue<String> closed;
        private final boolean failOnClose;
        int closes;

        ClosingService(int shard, ConcurrentLinkedQueue<String> closed, boolean failOnClose) {
            super(shard, Thread.currentThread().getName(), -1);
            this.closed = closed;
            this.failOnClose = failOnClose;
        }

        @Override
        public void close() {
            closes++;
            Shard s = Shard.current();
            closed.add(shard + "@" + Thread.currentThread().getName() + "/" + (s == null ? "none" : s.id()));
            if (failOnClose) {
                throw new IllegalStateException("close of " + shard + " fails");
            }
        }
    }

    // ------------------------------------------------------------------ start and local instances

    @Test
    void oneInstancePerShardCreatedInShardOrderOnItsOwnShard() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
            AtomicInteger order = new AtomicInteger();
            ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
            Sharded<Service> svc = rt.sharded(shard -> {
                String where = Thread.currentThread().getName() + "/" + Shard.current().id();
                log.add(shard.id() + "@" + where);
                return new Service(shard.id(), where, order.getAndIncrement());
            });
            assertEquals(List.of("0@shard-0/0", "1@shard-1/1", "2@shard-2/2", "3@shard-3/3"), List.copyOf(log));
            // Each shard sees its own instance as local(), created on that shard, in shard order.
            List<String> locals = get(rt.submitToAll(() -> {
                Service s = svc.local();
                return s.shard + ":" + s.createdOn + ":" + s.order;
            }));
            assertEquals(List.of("0:shard-0/0:0", "1:shard-1/1:1", "2:shard-2/2:2", "3:shard-3/3:3"), locals);
            Service zero = get(rt.submit(0, svc::local));
            Service one = get(rt.submit(1, svc::local));
            assertNotSame(zero, one);
            assertSame(zero, get(rt.submit(0, svc::local)), "local() is the same instance every time");
        }
    }

    @Test
    void aFailingFactoryFailsStartNamingTheShard() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(3).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.sharded(shard -> {
                if (shard.id() == 1) {
                    throw new IllegalArgumentException("no service on 1");
                }
                return new Service(shard.id(), "", 0);
            }));
            assertTrue(e.getMessage().contains("shard 1"), e.getMessage());
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            // The runtime is unharmed.
            assertEquals(List.of(0, 1, 2), get(rt.submitToAll(() -> Shard.current().id())));
        }
    }

    /** "Started and stopped together" (DESIGN.md): instances created before a failing one should be closed. */
    @Test
    void aFailedStartClosesTheInstancesAlreadyCreated() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(3).start()) {
            ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
            assertThrows(IllegalStateException.class, () -> rt.sharded(shard -> {
                if (shard.id() == 2) {
                    throw new IllegalArgumentException("no service on 2");
                }
                return new ClosingService(shard.id(), closed, false);
            }));
            assertEquals(List.of("1@shard-1/1", "0@shard-0/0"), List.copyOf(closed));
        }
    }

    // ------------------------------------------------------------------ routing

    @Test
    void invokeOnRunsOnTheShardThatOwnsTheKeyAndCompletesOnTheCaller() {
        int n = 4;
        try (ShardRuntime rt = ShardRuntime.builder().shards(n).start()) {
            Sharded<Service> svc = rt.sharded(shard -> new Service(shard.id(), "", 0));
            List<Object> keys = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                keys.add("user:" + i);
            }
            for (long i = 0; i < 50; i++) {
                keys.add(i * 7919);
                keys.add((int) i - 25);
                keys.add(new byte[] {(byte) i, (byte) (i * 3), 1});
            }
            int[] expectedCalls = new int[n];
            List<String> expected = new ArrayList<>();
            for (Object k : keys) {
                int owner = crcShard(k, n);
                assertEquals(owner, svc.shardOf(k), "shardOf(" + k + ")");
                expectedCalls[owner]++;
                expected.add(owner + "/" + owner + "@1");
            }
            for (int s = 0; s < n; s++) {
                assertTrue(expectedCalls[s] > 0, "these keys cover shard " + s);
            }
            List<String> routed = onShard(rt, 1, () -> {
                List<Future<String>> all = new ArrayList<>();
                for (Object k : keys) {
                    all.add(svc.invokeOn(k, s -> {
                        s.calls++;
                        return s.shard + "/" + Shard.current().id();
                    }).map(v -> v + "@" + Shard.current().id()));
                }
                return Futures.all(all);
            });
            assertEquals(expected, routed, "instance/shard the call ran on @ shard it completed on");
            List<Integer> calls = get(rt.submitToAll(() -> svc.local().calls));
            assertEquals(List.of(expectedCalls[0], expectedCalls[1], expectedCalls[2], expectedCalls[3]), calls);
        }
    }

    @Test
    void submitFromOutsideRoutesLikeInvokeOn() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
            Sharded<Service> svc = rt.sharded(shard -> new Service(shard.id(), "", 0));
            for (String key : List.of("user:42", "user:7", "order-1001", "ключ")) {
                String r = get(svc.submit(key, s -> s.shard + "/" + Thread.currentThread().getName()));
                int owner = crcShard(key, 4);
                assertEquals(owner + "/shard-" + owner, r, key);
            }
            assertEquals("1/shard-1", get(svc.submit("user:42", s -> s.shard + "/" + Thread.currentThread().getName())));
        }
    }

    @Test
    void invokeOnShardAndInvokeOnAllReachTheRightInstances() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(3).start()) {
            Sharded<Service> svc = rt.sharded(shard -> new Service(shard.id(), "", 0));
            String one = onShard(rt, 0, () -> svc.invokeOnShard(2, s -> s.shard + "/" + Shard.current().id())
                    .map(v -> v + "@" + Shard.current().id()));
            assertEquals("2/2@0", one);
            String all = onShard(rt, 2, () -> svc.invokeOnAll(s -> s.shard + "/" + Shard.current().id())
                    .map(v -> v + "@" + Shard.current().id()));
            assertEquals("[0/0, 1/1, 2/2]@2", all);
        }
    }

    // ------------------------------------------------------------------ the hash itself

    @Test
    void shardOfIsCrc32cOfTheUtf8BytesModN() {
        // Fixed values, so a change of hash (or of its reduction) shows up; each is also recomputed below.
        assertEquals(1, ShardHash.shardOf("user:42", 4));
        assertEquals(0, ShardHash.shardOf("user:7", 4));
        assertEquals(2, ShardHash.shardOf("order-1001", 8));
        assertEquals(0, ShardHash.shardOf("", 5));
        // CRC32C("ключ") = 2550754222 >= 2^31: the CRC is reduced as an unsigned number (signed would give -1 here).
        assertEquals(1, ShardHash.shardOf("ключ", 3));
        for (String key : List.of("user:42", "user:7", "order-1001", "", "ключ", "日本語のキー", "a", "zzzz")) {
            for (int n = 1; n <= 9; n++) {
                int expected = crcShard(key, n);
                assertEquals(expected, ShardHash.shardOf(key, n), key + " mod " + n);
                assertEquals(expected, ShardHash.shardOf((Object) key, n));
                assertEquals(expected, ShardHash.shardOf(new StringBuilder(key), n), "any CharSequence");
                assertEquals(expected, ShardHash.shardOf(key.getBytes(StandardCharsets.UTF_8), n), "as bytes");
            }
        }
        try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
            Sharded<Service> svc = rt.sharded(shard -> new Service(shard.id(), "", 0));
            assertEquals(1, svc.shardOf("user:42"));
            assertEquals(crcShard("user:42", 4), svc.shardOf("user:42"));
            // Stable: the same answer every time and from every thread.
            assertEquals(List.of(1, 1, 1, 1), get(rt.submitToAll(() -> svc.shardOf("user:42"))));
        }
    }

    @Test
    void integralKeysHashTheirEightByteBigEndianForm() {
        assertEquals(0, ShardHash.shardOf(42L, 4));
        assertEquals(3, ShardHash.shardOf(-1L, 4));
        assertEquals(2, ShardHash.shardOf(0L, 4));
        for (long k : new long[] {0, 1, 42, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40, 123_456_789_012L}) {
            for (int n = 1; n <= 9; n++) {
                int expected = crcShard(bigEndian(k), n);
                assertEquals(expected, ShardHash.shardOf(k, n), k + " mod " + n);
                assertEquals(expected, ShardHash.shardOf((Object) k, n), "boxed Long " + k);
                assertEquals(expected, ShardHash.shardOf(bigEndian(k), n), "the documented bytes of " + k);
                if (k == (int) k) {
                    assertEquals(expected, ShardHash.shardOf((Object) (int) k, n), "Integer " + k);
                }
                if (k == (short) k) {
                    assertEquals(expected, ShardHash.shardOf((Object) (short) k, n), "Short " + k);
                }
                if (k == (byte) k) {
                    assertEquals(expected, ShardHash.shardOf((Object) (byte) k, n), "Byte " + k);
                }
            }
        }
        byte[] raw = {1, 2, 3, (byte) 0xff};
        assertEquals(crcShard(raw, 7), ShardHash.shardOf(raw, 7));
        assertEquals(crcShard(new byte[0], 3), ShardHash.shardOf(new byte[0], 3));
    }

    @Test
    void unsupportedKeysAreRefused() {
        for (Object bad : new Object[] {new Object(), 1.5d, 2.5f, UUID.randomUUID(), 'c', true, null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardHash.shardOf(bad, 4),
                    "key " + bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        }
        assertThrows(IllegalArgumentException.class, () -> ShardHash.shardOf("k", 0), "zero shards");
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start()) {
            Sharded<Service> svc = rt.sharded(shard -> new Service(shard.id(), "", 0));
            Object key = new Object();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> svc.shardOf(key));
            assertTrue(e.getMessage().contains(Object.class.getName()), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> svc.submit(key, s -> 1));
            Throwable onShard = failureOf(rt.submitAsync(0, () -> svc.invokeOn(key, s -> 1)));
            assertInstanceOf(IllegalArgumentException.class, onShard);
            assertEquals(0, get(rt.submit(0, () -> svc.local().calls)));
        }
    }

    // ------------------------------------------------------------------ stop

    @Test
    void closeClosesInReverseShardOrderEachOnItsOwnShard() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
            ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
            Sharded<ClosingService> svc = rt.sharded(shard -> new ClosingService(shard.id(), closed, false));
            svc.close();
            assertEquals(List.of("3@shard-3/3", "2@shard-2/2", "1@shard-1/1", "0@shard-0/0"), List.copyOf(closed));
            svc.close(); // idempotent
            assertEquals(4, closed.size());
            assertEquals(List.of(1, 1, 1, 1), get(rt.submitToAll(() -> svc.local().closes)));
            // Closing the service leaves the runtime running.
            assertEquals(List.of(0, 1, 2, 3), get(rt.submitToAll(() -> Shard.current().id())));
        }
    }

    @Test
    void closeSkipsInstancesThatAreNotCloseable() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(3).start()) {
            ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
            Sharded<Service> svc = rt.sharded(shard -> shard.id() == 1
                    ? new ClosingService(1, closed, false) : new Service(shard.id(), "", 0));
            svc.close();
            assertEquals(List.of("1@shard-1/1"), List.copyOf(closed));
        }
    }

    @Test
    void aFailingCloseIsReportedAndTheOthersStillClose() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(4).start()) {
            ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
            Sharded<ClosingService> svc = rt.sharded(shard -> new ClosingService(shard.id(), closed, shard.id() == 2));
            IllegalStateException e = assertThrows(IllegalStateException.class, svc::close);
            assertTrue(e.getMessage().contains("1 shard"), e.getMessage());
            assertTrue(e.getCause().getMessage().contains("shard 2"), e.getCause().getMessage());
            assertEquals("close of 2 fails", e.getCause().getCause().getMessage());
            assertEquals(List.of("3@shard-3/3", "2@shard-2/2", "1@shard-1/1", "0@shard-0/0"), List.copyOf(closed));
        }
    }

    @Test
    void localAndInvokeOnRefuseThreadsOffTheRuntime() {
        try (ShardRuntime rt = ShardRuntime.builder().shards(2).start();
             ShardRuntime other = ShardRuntime.builder().shards(1).start()) {
            Sharded<Service> svc = rt.sharded(shard -> new Service(shard.id(), "", 0));
            assertThrows(IllegalStateException.class, svc::local);
            assertThrows(IllegalStateException.class, () -> svc.invokeOn("k", s -> 1));
            assertThrows(IllegalStateException.class, () -> svc.invokeOnShard(0, s -> 1));
            assertThrows(IllegalStateException.class, () -> svc.invokeOnAll(s -> 1));
            // A shard of another runtime is no shard of this service.
            assertInstanceOf(IllegalStateException.class, failureOf(other.submit(0, svc::local)));
            assertInstanceOf(IllegalStateException.class,
                    failureOf(other.submitAsync(0, () -> svc.invokeOn("k", s -> 1))));
        }
    }

    // ------------------------------------------------------------------ independent reference hash

    private static int crcShard(Object key, int n) {
        return switch (key) {
            case String s -> crcShard(s.getBytes(StandardCharsets.UTF_8), n);
            case Long l -> crcShard(bigEndian(l), n);
            case Integer i -> crcShard(bigEndian(i), n);
            case byte[] b -> crcShard(b, n);
            default -> throw new AssertionError("no reference hash for " + key);
        };
    }

    private static int crcShard(byte[] bytes, int n) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) (crc.getValue() % n); // getValue() is the unsigned 32-bit CRC in a long
    }

    private static byte[] bigEndian(long k) {
        return ByteBuffer.allocate(Long.BYTES).putLong(k).array(); // ByteBuffer is big-endian by default
    }
}
