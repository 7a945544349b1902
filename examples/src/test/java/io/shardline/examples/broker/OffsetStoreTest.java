package io.shardline.examples.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardline.core.Future;
import io.shardline.core.Futures;
import io.shardline.core.Loop;
import io.shardline.core.LoopConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed-offset logs on their own: replay after a reopen, snapshots once they grow, topic drops. */
class OffsetStoreTest {
    @TempDir
    Path dir;
    final Loop loop = Loop.start(LoopConfig.builder().name("offsets-test").build());

    @AfterEach
    void close() {
        loop.close();
    }

    private <T> T call(Supplier<? extends Future<T>> body) throws Exception {
        return loop.callAsync(body).get(60, TimeUnit.SECONDS);
    }

    private OffsetStore open() throws Exception {
        OffsetStore s = loop.call(() -> new OffsetStore(loop, dir, 0, 1, () -> 1234L, 50)).get(1, TimeUnit.MINUTES);
        call(s::open);
        return s;
    }

    private static OffsetStore.Commit commit(String topic, int partition, long offset) {
        return new OffsetStore.Commit(topic, partition, offset, 3, "m" + offset);
    }

    @Test
    void offsetsSurviveAReopenThroughSnapshotsAndDropsStayDropped() throws Exception {
        OffsetStore s = open();
        // Many commits of the same two partitions: the log passes the snapshot threshold several times.
        for (int round = 0; round < 6; round++) {
            long base = round * 50L;
            List<List<Short>> results = call(() -> {
                List<Future<List<Short>>> sent = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    long offset = base + i;
                    sent.add(s.commit("g", List.of(commit("a", 0, offset), commit("b", 1, offset * 2)), 4096));
                }
                return Futures.all(sent); // concurrent: the log group-commits them
            });
            for (List<Short> r : results) {
                assertEquals(List.of(Errors.NONE, Errors.NONE), r);
            }
        }
        assertEquals(598, loop.call(() -> s.fetch("g", "b", 1).offset()).get(1, TimeUnit.MINUTES));
        assertEquals(List.of(Errors.NONE), call(() -> s.commit("other", List.of(commit("a", 0, 7)), 4096)));
        assertEquals(List.of(Errors.OFFSET_METADATA_TOO_LARGE, Errors.NONE), call(() -> s.commit("other",
                List.of(new OffsetStore.Commit("b", 0, 1, -1, "x".repeat(11)), commit("b", 1, 9)), 10)));
        call(() -> s.dropTopic("b"));
        call(s::close);

        Path snapshots = dir.resolve("__consumer_offsets-" + OffsetStore.partitionOf("g") + ".snapshots");
        try (Stream<Path> files = Files.list(snapshots)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().endsWith(".snap")), "a snapshot was saved");
        }

        OffsetStore again = open();
        OffsetStore.Committed a = loop.call(() -> again.fetch("g", "a", 0)).get(1, TimeUnit.MINUTES);
        assertEquals(299, a.offset());
        assertEquals(3, a.leaderEpoch());
        assertEquals("m299", a.metadata());
        assertEquals(1234L, a.commitTimestamp());
        assertNull(loop.call(() -> again.fetch("g", "b", 1)).get(1, TimeUnit.MINUTES), "dropped with its topic");
        assertEquals(7, loop.call(() -> again.fetch("other", "a", 0)).get(1, TimeUnit.MINUTES).offset());
        assertNull(loop.call(() -> again.fetch("other", "b", 0)).get(1, TimeUnit.MINUTES), "too large: never stored");
        assertEquals(1, loop.call(() -> again.fetchAll("g").size()).get(1, TimeUnit.MINUTES));
        call(again::close);
    }
}
