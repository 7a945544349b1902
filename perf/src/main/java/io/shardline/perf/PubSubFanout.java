package io.shardline.perf;

import java.util.List;
import java.util.Locale;

/**
 * The {@code kv-features} suite's pub/sub row, one trial's state, used by the load generator's
 * thread only: {@code subscribers} connections SUBSCRIBE to one
 * channel, then {@code publishers} more pipeline PUBLISH of a {@code payload}-byte message, and the
 * unit counted is a message received by a subscriber (so one PUBLISH counts {@code subscribers}
 * times once delivered). Connections are opened subscribers first, publishers last; the server places
 * them (Shardline: over its shards by its accept balancing), so subscribers sit on every shard and the
 * fan-out crosses shards.
 *
 * <p>Flow control, so that neither server buffers without bound (Redis drops a subscriber whose
 * output passes its pubsub buffer limit): a publisher has at most {@code window} PUBLISHes
 * unanswered, and no PUBLISH is sent while more than {@code backlog} messages per subscriber are
 * published but not yet received. Checks: every subscription's confirmation and every message are
 * compared byte for byte; at the end, with publishing stopped, the messages received must add up to
 * the receivers the PUBLISH replies counted, and the last PUBLISH must have reached every subscriber.
 * One trial per instance.
 */
final class PubSubFanout implements RespLoad.Workload {
    static final String CHANNEL = "kvf:fanout";

    private final int subscribers;
    private final int publishers;
    private final int payload;
    private final int window;
    private final long backlog;
    private final byte[] subscribe = Resp.command("SUBSCRIBE", CHANNEL);
    private final byte[] publish;
    private final RespExpect.Reply confirmation;
    private final RespExpect.Reply message;
    private final int[] unanswered;

    private int confirmed;
    private long published;
    private long delivered;
    /** The receivers PUBLISH's replies counted, summed, and the last one. */
    private long receivers;
    private long lastReceivers = -1;

    PubSubFanout(int subscribers, int publishers, int payload, int window, int backlog) {
        if (subscribers < 1 || publishers < 1 || payload < 1 || window < 1 || backlog < 1) {
            throw new IllegalArgumentException("need at least one of each");
        }
        this.subscribers = subscribers;
        this.publishers = publishers;
        this.payload = payload;
        this.window = window;
        this.backlog = (long) backlog * subscribers;
        String text = payload(payload);
        this.publish = Resp.command("PUBLISH", CHANNEL, text);
        this.confirmation = RespExpect.Reply.of("SUBSCRIBE", "*3\r\n" + Resp.bulk("subscribe") + Resp.bulk(CHANNEL)
                + ":1\r\n");
        this.message = RespExpect.Reply.of("a message", "*3\r\n" + Resp.bulk("message") + Resp.bulk(CHANNEL)
                + Resp.bulk(text));
        this.unanswered = new int[publishers];
    }

    /** {@code n} printable bytes. */
    static String payload(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + i % 26));
        }
        return s.toString();
    }

    String describe() {
        return String.format(Locale.ROOT, "%d subscribers on one channel, %d publisher%s pipelining PUBLISH of %d B"
                        + " (at most %d unanswered each, %d messages per subscriber in flight)", subscribers,
                publishers, publishers == 1 ? "" : "s", payload, window, backlog / subscribers);
    }

    private boolean subscriber(RespLoad.Link link) {
        return link.id < subscribers;
    }

    @Override
    public int connections() {
        return subscribers + publishers;
    }

    @Override
    public RespExpect open(RespLoad.Link link) {
        if (subscriber(link)) {
            link.send(subscribe);
            return new RespExpect(List.of(confirmation), List.of(message));
        }
        return new RespExpect(List.of(), List.of(RespExpect.Reply.startingWith("PUBLISH", ":")));
    }

    @Override
    public boolean ready() {
        return confirmed == subscribers;
    }

    @Override
    public void fill(RespLoad.Link link) {
        if (subscriber(link) || !ready()) {
            return;
        }
        int p = link.id - subscribers;
        while (unanswered[p] < window && published * subscribers - delivered < backlog && link.send(publish)) {
            unanswered[p]++;
            published++;
        }
    }

    @Override
    public void matched(RespLoad.Link link, int index) {
        if (subscriber(link)) {
            if (index == 0) {
                confirmed++;
            } else {
                delivered++;
            }
            return;
        }
        unanswered[link.id - subscribers]--;
        lastReceivers = link.expect().integer();
        receivers += lastReceivers;
    }

    @Override
    public long done() {
        return delivered;
    }

    @Override
    public boolean drained() {
        for (int u : unanswered) {
            if (u > 0) {
                return false;
            }
        }
        return delivered >= receivers;
    }

    @Override
    public String outstanding() {
        int waiting = 0;
        for (int u : unanswered) {
            waiting += u;
        }
        return String.format(Locale.ROOT, "%d PUBLISH replies, and %d messages of the %d the replies counted",
                waiting, receivers - delivered, receivers);
    }

    @Override
    public String check() {
        if (delivered != receivers) {
            return String.format(Locale.ROOT, "the subscribers received %d messages, but the PUBLISH replies counted"
                    + " %d receivers", delivered, receivers);
        }
        if (lastReceivers != subscribers) {
            return String.format(Locale.ROOT, "the last PUBLISH reached %d of the %d subscribers", lastReceivers,
                    subscribers);
        }
        return null;
    }
}
