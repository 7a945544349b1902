package io.shardline.perf;

import io.shardline.core.RunQueueTime;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The {@code kv-features} suite's load generator, owned and run by the thread that calls {@link #run}:
 * raw RESP2 connections to one server over one NIO selector, so that a trial costs the machine one thread and no
 * allocation per request (commands are bytes made beforehand; replies are checked as they stream
 * in, {@link RespExpect}). What to send and what counts is the {@link Workload}'s. A trial opens the
 * connections, waits until the workload is set up ({@link Workload#ready()}), runs unmeasured for a
 * settling time, then counts the workload's units over the measured window, stops sending, waits
 * until every reply and message outstanding has come ({@link Workload#drained()}) and asks the
 * workload for its last checks. The first wrong reply, closed connection or timeout fails the trial
 * with a message instead of an exception. One run at a time.
 */
final class RespLoad {
    /** How long setting up, or draining at the end, may take by default. */
    static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final int BUFFER = 1 << 16;

    /** A trial's load: how many connections, what each sends, and what it counts. Used by the load's thread. */
    interface Workload {
        int connections();

        /** Connection {@code link} is open: its expected replies; it may queue its first commands. */
        RespExpect open(Link link);

        /** Whether every connection is set up, so that the clock may start. */
        boolean ready();

        /** Queues what {@code link} may send now ({@link Link#send}), as much as the workload's windows allow. */
        void fill(Link link);

        /** A reply that matched on {@code link}: its index in the link's expectations. */
        void matched(Link link, int index);

        /** The units done so far: messages delivered, transactions executed. */
        long done();

        /** With sending stopped: whether nothing is outstanding any more. */
        boolean drained();

        /** After the drain: null, or what is wrong with the totals. */
        String check();

        /** What the drain still waits for, for a timeout's message. */
        String outstanding();
    }

    /**
     * A trial's result: {@code done} units in {@code nanos} of the window, the generator thread's CPU
     * over it, the server process's CPU time (-1 if unknown); or {@code error}, then the rest is 0.
     */
    record Run(String server, long done, long nanos, RunQueueTime.Sample load, long serverCpuNanos, String error) {
        static Run failed(String server, String error) {
            return new Run(server, 0, 0, RunQueueTime.Sample.UNKNOWN, -1, error);
        }

        boolean ok() {
            return error == null;
        }

        /** Units per second; NaN for a failed run. */
        double rate() {
            return ok() && nanos > 0 ? done * 1e9 / nanos : Double.NaN;
        }

        /** The generator thread's time on a CPU, in % of the window; NaN if unknown. */
        double loadCpuPercent() {
            return ok() && load.known() && nanos > 0 ? load.onCpuNanos() * 100.0 / nanos : Double.NaN;
        }

        /** The server's CPU time in % of one CPU over the window; NaN if unknown. */
        double serverCpuPercent() {
            return ok() && serverCpuNanos >= 0 && nanos > 0 ? serverCpuNanos * 100.0 / nanos : Double.NaN;
        }
    }

    /** One connection: its channel, the bytes queued for it, its reply checker. Used by the load's thread. */
    static final class Link implements RespExpect.Listener {
        final int id;
        private final SocketChannel channel;
        private final SelectionKey key;
        private final ByteBuffer out = ByteBuffer.allocateDirect(BUFFER);
        /** On the heap, for {@link RespExpect}'s fast path; NIO copies through its own direct buffer. */
        private final ByteBuffer in = ByteBuffer.allocate(BUFFER);
        private RespExpect expect;
        private Workload workload;
        private boolean writeInterest;

        private Link(int id, SocketChannel channel, SelectionKey key) {
            this.id = id;
            this.channel = channel;
            this.key = key;
        }

        /** Queues {@code command} if it fits in the connection's buffer; whether it did. */
        boolean send(byte[] command) {
            if (out.remaining() < command.length) {
                return false;
            }
            out.put(command);
            return true;
        }

        RespExpect expect() {
            return expect;
        }

        @Override
        public void matched(int index) {
            workload.matched(this, index);
        }

        private void flush() throws IOException {
            if (out.position() == 0) {
                return;
            }
            out.flip();
            channel.write(out);
            out.compact();
            boolean pending = out.position() > 0;
            if (pending != writeInterest) {
                writeInterest = pending;
                key.interestOps(pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }
        }

        /** Reads what has come; null or the failure. */
        private String read() throws IOException {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                return "the server closed connection " + id + " (after " + expect.count() + " replies on it)";
            }
            in.flip();
            String failure = expect.feed(in, this);
            return failure == null ? null : "connection " + id + ": " + failure;
        }
    }

    private final List<Link> links = new ArrayList<>();
    private final long patienceNanos;
    private Workload workload;
    private boolean sending;
    private String failure;

    RespLoad() {
        this(PATIENCE_NANOS);
    }

    /** A load whose setting up, and drain at the end, each fail after {@code patienceNanos}. */
    RespLoad(long patienceNanos) {
        this.patienceNanos = patienceNanos;
    }

    /**
     * One trial of {@code workload} against 127.0.0.1:{@code port}: see the class comment.
     * {@code serverCpuNanos} reads the server's CPU time so far (-1 if unknown).
     */
    Run run(String server, int port, Workload workload, long settleNanos, long measureNanos,
            LongSupplier serverCpuNanos) {
        this.workload = workload;
        this.failure = null;
        this.sending = true;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < workload.connections(); i++) {
                links.add(connect(selector, port, i));
            }
            if (!loopUntil(selector, System.nanoTime() + patienceNanos, true)) {
                return Run.failed(server, failure != null ? failure : "not set up within "
                        + Report.millis(patienceNanos) + " (subscriptions not all confirmed)");
            }
            if (!loopFor(selector, settleNanos)) {
                return Run.failed(server, failure);
            }
            long doneBefore = workload.done();
            long serverBefore = serverCpuNanos.getAsLong();
            RunQueueTime.Sample loadBefore = CpuUse.self();
            long start = System.nanoTime();
            if (!loopFor(selector, measureNanos)) {
                return Run.failed(server, failure);
            }
            long nanos = System.nanoTime() - start;
            RunQueueTime.Sample load = CpuUse.self().since(loadBefore);
            long serverAfter = serverCpuNanos.getAsLong();
            long done = workload.done() - doneBefore;
            sending = false;
            if (!loopUntil(selector, System.nanoTime() + patienceNanos, false)) {
                return Run.failed(server, failure != null ? failure : "still waiting after "
                        + Report.millis(patienceNanos) + " with sending stopped: "
                        + workload.outstanding());
            }
            String wrong = workload.check();
            if (wrong != null) {
                return Run.failed(server, wrong);
            }
            if (done == 0) {
                return Run.failed(server, "nothing completed in the measured window");
            }
            return new Run(server, done, nanos, load,
                    serverBefore >= 0 && serverAfter >= 0 ? serverAfter - serverBefore : -1, null);
        } catch (IOException e) {
            return Run.failed(server, "I/O error: " + e);
        } finally {
            for (Link l : links) {
                try {
                    l.channel.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            links.clear();
        }
    }

    private Link connect(Selector selector, int port, int id) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ch.configureBlocking(false);
            Link link = new Link(id, ch, ch.register(selector, SelectionKey.OP_READ));
            link.key.attach(link);
            link.workload = workload;
            link.expect = workload.open(link);
            return link;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Runs for {@code nanos}; false on a failure. */
    private boolean loopFor(Selector selector, long nanos) throws IOException {
        long end = System.nanoTime() + nanos;
        while (failure == null && System.nanoTime() < end) {
            pass(selector);
        }
        return failure == null;
    }

    /** Runs until the workload is ready ({@code setup}) or drained, or the deadline; whether it got there. */
    private boolean loopUntil(Selector selector, long deadline, boolean setup) throws IOException {
        while (failure == null) {
            if (setup ? workload.ready() : workload.drained()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            pass(selector);
        }
        return false;
    }

    private void pass(Selector selector) throws IOException {
        for (Link l : links) {
            if (sending) {
                workload.fill(l);
            }
            l.flush();
        }
        selector.select(key -> {
            if (failure != null) {
                return;
            }
            Link l = (Link) key.attachment();
            try {
                if (key.isReadable()) {
                    failure = l.read();
                }
                if (failure == null && key.isValid() && key.isWritable()) {
                    l.flush();
                }
            } catch (IOException e) {
                failure = "connection " + l.id + ": " + e;
            }
        }, 1);
    }
}
