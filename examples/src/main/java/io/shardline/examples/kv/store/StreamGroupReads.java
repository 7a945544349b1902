package io.shardline.examples.kv.store;

import io.shardline.examples.kv.resp.ReplySink;
import java.util.Map;

/**
 * What XREADGROUP does to a group as it serves one stream (streamReplyWithRange with a group, and
 * streamReplyWithRangeFromConsumerPEL): new entries move the last-delivered id and enter the PELs;
 * history reads re-deliver a consumer's own pending entries. Stateless; runs on the stream's shard.
 */
final class StreamGroupReads {
    private StreamGroupReads() {
    }

    /** Delivers entries from {@code start} not yet delivered to the group, up to {@code count} (0: all). */
    static void deliver(ReplySink out, StreamValue s, StreamGroup g, StreamConsumer consumer, StreamId start, long count,
            boolean noack, long now, byte[] key, byte[] group, Journal journal) {
        int[] n = {0};
        s.range(start, StreamId.MAX, false, (id, f) -> {
            n[0]++;
            return count == 0 || n[0] < count;
        });
        out.arrayHeader(n[0]);
        if (n[0] == 0) {
            return;
        }
        int[] left = {n[0]};
        boolean[] moved = {false};
        s.range(start, StreamId.MAX, false, (id, f) -> {
            if (id.compareTo(g.lastId) > 0) {
                s.deliver(g, id);
                moved[0] = true;
            }
            StreamReplies.entry(out, id, f);
            if (!noack) {
                StreamNack nack = g.pel.get(id);
                if (nack == null) {
                    nack = new StreamNack(consumer, now, 1);
                    g.pel.put(id, nack);
                } else {
                    nack.consumer.pel.remove(id);
                    nack.consumer = consumer;
                    nack.deliveryTime = now;
                    nack.deliveryCount = 1;
                }
                consumer.pel.put(id, nack);
                consumer.activeTime = now;
                journal.append(StreamJournal.claim(key, group, id, nack, g));
            }
            return --left[0] > 0;
        });
        if (moved[0]) {
            journal.append(StreamJournal.setId(key, group, g));
        }
    }

    /** Re-delivers the consumer's pending entries from {@code start}; a deleted entry shows as [id, nil]. */
    static void history(ReplySink out, StreamValue s, StreamGroup g, StreamConsumer consumer, StreamId start, long count,
            long now, byte[] key, byte[] group, Journal journal) {
        int n = 0;
        for (StreamId id : consumer.pel.tailMap(start, true).keySet()) {
            if (count != 0 && n == count) {
                break;
            }
            n++;
        }
        out.arrayHeader(n);
        int done = 0;
        for (Map.Entry<StreamId, StreamNack> p : consumer.pel.tailMap(start, true).entrySet()) {
            if (done++ == n) {
                break;
            }
            StreamId id = p.getKey();
            byte[][] fields = s.get(id);
            if (fields == null) {
                out.arrayHeader(2);
                out.bulk(id.bytes());
                out.nullArray();
                continue;
            }
            StreamReplies.entry(out, id, fields);
            StreamNack nack = p.getValue();
            nack.deliveryTime = now;
            nack.deliveryCount++;
            journal.append(StreamJournal.claim(key, group, id, nack, g));
        }
    }
}
