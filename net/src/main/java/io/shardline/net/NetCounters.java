package io.shardline.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

abstract class NetCountersPad0 {
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

abstract class NetCountersFields extends NetCountersPad0 {
    long opened;
    long accepted;
    long refused;
    long bytesIn;
    long bytesOut;
}

/**
 * One transport's traffic counters: written by its loop's thread only, read from any thread (a metrics
 * scrape, through {@link Transport#stats()}). Single writer, so a bump is a plain read and an opaque
 * store, which costs the loop what a plain store does; readers want recent values, not a consistent
 * set. Padded: the loop writes these on every read and write while a scraping core reads them.
 */
final class NetCounters extends NetCountersFields {
    long p10, p11, p12, p13, p14, p15, p16, p17;

    private static final VarHandle OPENED = handle("opened");
    private static final VarHandle ACCEPTED = handle("accepted");
    private static final VarHandle REFUSED = handle("refused");
    private static final VarHandle BYTES_IN = handle("bytesIn");
    private static final VarHandle BYTES_OUT = handle("bytesOut");

    private static VarHandle handle(String name) {
        try {
            return MethodHandles.lookup().findVarHandle(NetCountersFields.class, name, long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A connection opened here (accepted, handed over, or connected out). */
    void opened() {
        OPENED.setOpaque(this, opened + 1); // single writer: the plain read is current
    }

    /** A listener of this loop accepted a socket (before any hand-off or refusal). */
    void accepted() {
        ACCEPTED.setOpaque(this, accepted + 1);
    }

    /** A listener of this loop refused a socket at its connection limit. */
    void refused() {
        REFUSED.setOpaque(this, refused + 1);
    }

    void read(long n) {
        BYTES_IN.setOpaque(this, bytesIn + n);
    }

    void wrote(long n) {
        if (n > 0) {
            BYTES_OUT.setOpaque(this, bytesOut + n);
        }
    }

    /** Any thread. */
    NetStats snapshot(int open) {
        return new NetStats(open, (long) OPENED.getOpaque(this), (long) ACCEPTED.getOpaque(this),
                (long) REFUSED.getOpaque(this), (long) BYTES_IN.getOpaque(this), (long) BYTES_OUT.getOpaque(this));
    }
}
