package io.shardline.net.metrics;

import io.shardline.core.Loop;
import io.shardline.core.LoopStats;
import io.shardline.core.StallHistogram;
import io.shardline.net.NetStats;
import io.shardline.net.Transport;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import io.shardline.shard.ShardStats;

/**
 * The runtime's own metrics for every shard: its loop, its ends of the mesh and its network counters.
 * Stateless; called on the scraping shard.
 *
 * <p>These are read straight from the scraping thread, not gathered through the mesh: every one is a
 * single-writer counter its shard publishes with opaque stores (see {@code LoopCounters},
 * {@code PeerCounts}, {@code NetCounters}), so an opaque read gives a recent value without a lock and
 * without waking the shard. That also keeps them readable while a shard is stalled, which is when they
 * matter most. Each value is recent; the set is not one instant.
 */
final class RuntimeMetrics {
    private RuntimeMetrics() {
    }

    static void writeTo(MetricFamilies out, ShardRuntime runtime) {
        int n = runtime.shards();
        for (int i = 0; i < n; i++) {
            Shard shard = runtime.shard(i);
            String id = Integer.toString(i);
            loop(out, shard.loop(), shard.stats(), id);
            Transport t = shard.loop().service(Transport.class);
            if (t != null) {
                net(out, t.stats(), id);
            }
        }
        for (int from = 0; from < n; from++) {
            for (int to = 0; to < n; to++) {
                if (from != to) {
                    mesh(out, runtime.shard(from), runtime.shard(to), from, to);
                }
            }
        }
    }

    private static void loop(MetricFamilies out, Loop loop, ShardStats s, String id) {
        LoopStats l = s.loop();
        double busy = l.busyNanos() / 1e9;
        double parked = l.parkedNanos() / 1e9;
        out.gauge("shardline_loop_utilization", "Share of the shard loop's time since start spent not parked "
                        + "(running tasks, polling or spinning); rate() the busy and parked counters for a window",
                busy + parked > 0 ? busy / (busy + parked) : 0, "shard", id)
                .counter("shardline_loop_busy_seconds", "Time the shard loop spent not parked", busy, "shard", id)
                .counter("shardline_loop_parked_seconds", "Time the shard loop spent parked", parked, "shard", id)
                .counter("shardline_loop_tasks_run", "Tasks the shard loop ran", l.tasksRun(), "shard", id)
                .counter("shardline_loop_polls", "Passes over the shard loop's poll sources", l.polls(), "shard", id)
                .counter("shardline_loop_iterations", "Shard loop iterations", l.iterations(), "shard", id)
                .counter("shardline_loop_parks", "Times the shard loop parked", l.parks(), "shard", id)
                .counter("shardline_loop_wakeups", "Wake-up system calls that ended a park of the shard loop",
                        l.wakeups(), "shard", id)
                .counter("shardline_loop_stalls", "Tasks that ran past the stall threshold", l.stalls(), "shard", id)
                .counter("shardline_loop_uncaught_exceptions", "Exceptions nobody observed, logged",
                        l.uncaught(), "shard", id)
                .counter("shardline_loop_timers_fired", "Timer expiries", l.timersFired(), "shard", id)
                .gauge("shardline_loop_timers_pending", "Armed timers", l.timersPending(), "shard", id)
                .gauge("shardline_loop_tasks_pending", "Tasks queued on the shard loop", l.pendingTasks(), "shard", id)
                .gauge("shardline_loop_inbox_pending", "Submissions from threads outside the runtime waiting in the "
                        + "shard's inbox", l.inboxPending(), "shard", id);
        StallHistogram.Snapshot h = loop.stallDurations().snapshot();
        out.histogram("shardline_loop_stall_duration_seconds", "How long each ended stall of the shard loop lasted",
                h.upperBounds(), h.counts(), h.sumSeconds(), "shard", id);
        out.gauge("shardline_mesh_requests_in_flight", "Requests this shard sent over the mesh and has no reply to yet",
                        s.inFlight(), "shard", id)
                .counter("shardline_mesh_requests_waited", "Requests that waited for a free slot of their pair's "
                        + "in-flight cap", s.waits(), "shard", id);
    }

    private static void net(MetricFamilies out, NetStats n, String id) {
        out.gauge("shardline_connections_open", "TCP connections open on the shard", n.connectionsOpen(), "shard", id)
                .counter("shardline_connections_opened", "TCP connections opened on the shard (accepted, handed "
                        + "over or connected out)", n.connectionsOpened(), "shard", id)
                .counter("shardline_connections_accepted", "Sockets the shard's listeners accepted",
                        n.connectionsAccepted(), "shard", id)
                .counter("shardline_connections_refused", "Accepted sockets closed at the per-shard connection limit",
                        n.connectionsRefused(), "shard", id)
                .counter("shardline_net_read_bytes", "Bytes read from the shard's TCP connections", n.bytesIn(),
                        "shard", id)
                .counter("shardline_net_written_bytes", "Bytes written to the shard's TCP connections", n.bytesOut(),
                        "shard", id);
    }

    private static void mesh(MetricFamilies out, Shard from, Shard to, int fromId, int toId) {
        String f = Integer.toString(fromId);
        String t = Integer.toString(toId);
        out.counter("shardline_mesh_messages_sent", "Mesh messages (requests and replies) sent from one shard to "
                        + "another", from.meshSentTo(toId), "from", f, "to", t)
                .counter("shardline_mesh_messages_received", "Mesh messages from one shard taken and handled by "
                        + "another", to.meshReceivedFrom(fromId), "from", f, "to", t)
                .gauge("shardline_mesh_messages_queued", "Mesh messages from one shard waiting in another's queues",
                        to.meshQueuedFrom(fromId), "from", f, "to", t);
    }
}
