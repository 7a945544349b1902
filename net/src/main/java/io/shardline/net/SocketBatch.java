package io.shardline.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.Arrays;

/**
 * Owned by one loop's {@link NioTransport}, used on that loop's thread only: the socket receives and
 * sends of the loop's connections, gathered over one pass of the loop and made with one io_uring
 * system call for each kind.
 *
 * <p>Why: on loopback and in virtual machines a system call's entry and exit cost as much as a small
 * send's own work, and a loop serving many connections makes two per request (a read and a write).
 * Here a pass makes one {@code epoll_wait} (the selector's), one {@code io_uring_enter} for the
 * receives of every ready connection and one for every reply the handlers wrote, as Netty's and
 * Seastar's io_uring backends do. Each receive lands in a slot of its own, lent to the handler for
 * its callback; a connection's bytes are written in order because a connection has at most one send
 * in a batch and later writes queue behind it.
 */
final class SocketBatch implements AutoCloseable {
    /** Receives per system call; more ready connections take more calls. */
    static final int SLOTS = 64;
    /** A receive slot's size: a receive that fills it reads on through NIO. */
    static final int SLOT_SIZE = 16 * 1024;

    private final IoUring ring;
    private final ByteBuffer[] slots = new ByteBuffer[SLOTS];
    private final long[] slotAddresses = new long[SLOTS];
    private final int[] results;
    private final NioConnection[] inFlight;
    private NioConnection[] reads = new NioConnection[SLOTS];
    private int readCount;
    private NioConnection[] sends = new NioConnection[SLOTS];
    private int sendCount;
    private NioConnection[] sending = new NioConnection[SLOTS];
    /** Listed connections whose queue a burst write emptied: their drained-queue work runs after the batch. */
    private final NioConnection[] emptied;
    /** Set once the ring has failed: the transport goes back to plain NIO calls. */
    private boolean broken;
    /** Set while a batch runs: a handler that closes the loop from a callback must not start another. */
    private boolean running;

    private SocketBatch(IoUring ring) {
        this.ring = ring;
        this.results = new int[ring.capacity()];
        this.inFlight = new NioConnection[ring.capacity()];
        this.emptied = new NioConnection[ring.capacity()];
        ByteBuffer slab = ByteBuffer.allocateDirect(SLOTS * SLOT_SIZE);
        long base = NioInternals.address(slab);
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = slab.slice(i * SLOT_SIZE, SLOT_SIZE);
            slotAddresses[i] = base + (long) i * SLOT_SIZE;
        }
    }

    /** A batch for the calling loop thread; fails with the reason where io_uring or NIO's internals are unavailable. */
    static SocketBatch open() throws IOException {
        String why = NioInternals.unavailable();
        if (why != null) {
            throw new IOException(why);
        }
        IoUring ring = IoUring.open(2 * SLOTS);
        try {
            return new SocketBatch(ring);
        } catch (RuntimeException | OutOfMemoryError e) { // the slab: direct memory may be capped
            ring.close();
            throw new IOException("no memory for the receive slots: " + e, e);
        }
    }

    /** The largest write that waits for the pass's send batch instead of being written at once. */
    static int maxBatchedWrite() {
        return NioTransport.CHUNK_SIZE;
    }

    /** {@code c} is readable: receive from it in this pass's batch. */
    void readLater(NioConnection c) {
        if (readCount == reads.length) {
            reads = Arrays.copyOf(reads, readCount * 2);
        }
        reads[readCount++] = c;
    }

    /** {@code c} has queued its first bytes: send them in the next send batch. */
    void sendLater(NioConnection c) {
        if (sendCount == sends.length) {
            sends = Arrays.copyOf(sends, sendCount * 2);
        }
        sends[sendCount++] = c;
    }

    boolean hasSends() {
        return sendCount > 0;
    }

    /** Whether the ring still works; after a failure the connections make their own NIO calls. */
    boolean usable() {
        return !broken;
    }

    /** Receives for every connection {@link #readLater} named, then hands each its bytes; returns how many. */
    int runReads() {
        int total = readCount;
        if (total == 0 || running) {
            return 0;
        }
        running = true;
        try {
            receive(total);
        } finally {
            running = false;
        }
        readCount = 0;
        return total;
    }

    private void receive(int total) {
        int i = 0;
        while (i < total) {
            int n = 0;
            for (; i < total && n < SLOTS; i++) {
                NioConnection c = reads[i];
                reads[i] = null;
                if (broken) {
                    c.ready(SelectionKey.OP_READ);
                } else if (c.canReceive()) {
                    ring.prepare(IoUring.OP_RECV, c.fd(), slotAddresses[n], SLOT_SIZE, n);
                    inFlight[n++] = c;
                }
            }
            if (run(n, true)) {
                for (int k = 0; k < n; k++) {
                    NioConnection c = inFlight[k];
                    inFlight[k] = null;
                    c.received(results[k], slots[k]);
                }
            }
        }
    }

    /**
     * Sends the head of each queue {@link #sendLater} named. Writes that completions trigger (a
     * handler told it is writable again) go to the next batch, which the loop runs before it parks.
     */
    int runSends() {
        int total = sendCount;
        if (total == 0 || running) {
            return 0;
        }
        NioConnection[] list = sends;
        sends = sending;
        sending = list;
        sendCount = 0;
        running = true;
        try {
            send(list, total);
        } finally {
            running = false;
        }
        return total;
    }

    private void send(NioConnection[] list, int total) {
        int capacity = ring.capacity();
        int i = 0;
        while (i < total) {
            int n = 0;
            int idle = 0;
            // No handler runs while entries are prepared: callbacks wait until the batch has run.
            for (; i < total && n + idle < capacity; i++) {
                NioConnection c = list[i];
                list[i] = null;
                if (broken) {
                    c.flushWithoutBatch();
                } else if (c.prepareSend(ring, n)) {
                    inFlight[n++] = c;
                } else if (c.isOpen()) {
                    emptied[idle++] = c;
                }
            }
            if (run(n, false)) {
                for (int k = 0; k < n; k++) {
                    NioConnection c = inFlight[k];
                    inFlight[k] = null;
                    c.sent(results[k]);
                }
            }
            for (int k = 0; k < idle; k++) {
                NioConnection c = emptied[k];
                emptied[k] = null;
                c.sentNothing();
            }
        }
    }

    /**
     * Runs {@code n} prepared operations, receives or sends. If the ring fails (it never has), the
     * transport stops using it: where the kernel took none of them, their connections carry on with
     * plain NIO calls; else, not knowing which happened, they fail.
     */
    private boolean run(int n, boolean receives) {
        if (n == 0) {
            return false;
        }
        try {
            ring.run(results);
            return true;
        } catch (IOException e) {
            broken = true; // reusing the ring could repeat entries the kernel had taken
            for (int k = 0; k < n; k++) {
                NioConnection c = inFlight[k];
                inFlight[k] = null;
                if (!(e instanceof IoUring.NotSubmittedException)) {
                    c.fail(e);
                } else if (receives) {
                    c.ready(SelectionKey.OP_READ);
                } else {
                    c.flushWithoutBatch();
                }
            }
            return false;
        }
    }

    @Override
    public void close() {
        ring.close();
    }
}
