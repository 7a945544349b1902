package io.shardline.net;

import static io.shardline.net.NetTestSupport.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Loop;
import io.shardline.core.ring.Ring;
import io.shardline.shard.ShardRuntime;
import org.junit.jupiter.api.Test;

/** Which transport a runtime gets: the one {@code -Dshardline.net.transport} names, io_uring where it can run. */
class TransportSelectionTest {

    @Test
    void everyShardGetsTheTransportThePropertyPicks() {
        String property = System.getProperty(Net.TRANSPORT_PROPERTY, "auto");
        String expected = "nio".equals(property) || !IoUringTransport.available() ? "nio" : "io_uring";
        assertEquals(expected, Net.transportName());
        try (ShardRuntime rt = NetTestSupport.runtime(2)) {
            for (int i = 0; i < rt.shards(); i++) {
                Loop loop = rt.shard(i).loop();
                Transport t = Transport.of(loop);
                if (expected.equals("io_uring")) {
                    assertTrue(t instanceof IoUringTransport, String.valueOf(t));
                    assertNotNull(loop.service(Ring.class), "the transport's ring serves files too");
                } else {
                    assertTrue(t instanceof NioTransport, String.valueOf(t));
                    assertNull(loop.service(Ring.class));
                }
                assertEquals(t, get(rt.submit(i, Net::transport)));
            }
        }
    }

    @Test
    void aTransportNameTheRuntimeDoesNotKnowIsRefused() {
        String before = System.getProperty(Net.TRANSPORT_PROPERTY);
        System.setProperty(Net.TRANSPORT_PROPERTY, "epoll");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Net::transportName);
            assertTrue(e.getMessage().contains("io_uring, nio or auto"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(Net.TRANSPORT_PROPERTY);
            } else {
                System.setProperty(Net.TRANSPORT_PROPERTY, before);
            }
        }
    }
}
