package io.shardline.examples.kv.store;

/**
 * The replayable commands a consumer-group change is logged as, the forms Redis propagates (its
 * streamPropagateXCLAIM, streamPropagateGroupID, streamPropagateConsumerCreation). Stateless.
 */
final class StreamJournal {
    private static final byte[] XCLAIM = Args.bytes("XCLAIM");
    private static final byte[] XGROUP = Args.bytes("XGROUP");
    private static final byte[] SETID = Args.bytes("SETID");
    private static final byte[] ENTRIESREAD = Args.bytes("ENTRIESREAD");
    private static final byte[] CREATECONSUMER = Args.bytes("CREATECONSUMER");
    private static final byte[] ZERO = Args.bytes("0");
    private static final byte[] TIME = Args.bytes("TIME");
    private static final byte[] RETRYCOUNT = Args.bytes("RETRYCOUNT");
    private static final byte[] FORCE = Args.bytes("FORCE");
    private static final byte[] JUSTID = Args.bytes("JUSTID");
    private static final byte[] LASTID = Args.bytes("LASTID");

    private StreamJournal() {
    }

    /**
     * {@code XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last}: on replay it
     * gives {@code id} to the consumer with that time and count (or drops it if the entry is gone).
     */
    static byte[][] claim(byte[] key, byte[] group, StreamId id, StreamNack nack, StreamGroup g) {
        return new byte[][] {XCLAIM, key, group, nack.consumer.name.bytes, ZERO, id.bytes(), TIME,
                Numbers.ascii(nack.deliveryTime), RETRYCOUNT, Numbers.ascii(nack.deliveryCount), FORCE, JUSTID, LASTID,
                g.lastId.bytes()};
    }

    /** {@code XGROUP SETID key group last ENTRIESREAD n}. */
    static byte[][] setId(byte[] key, byte[] group, StreamGroup g) {
        return new byte[][] {XGROUP, SETID, key, group, g.lastId.bytes(), ENTRIESREAD, Numbers.ascii(g.entriesRead)};
    }

    static byte[][] createConsumer(byte[] key, byte[] group, byte[] consumer) {
        return new byte[][] {XGROUP, CREATECONSUMER, key, group, consumer};
    }
}
