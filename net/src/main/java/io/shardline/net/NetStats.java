package io.shardline.net;

/**
 * A snapshot of one loop's network counters, read from any thread without locks; immutable. Each
 * value is recent but the set is not read atomically.
 *
 * @param connectionsOpen     TCP connections open on the loop now
 * @param connectionsOpened   connections opened on the loop since it started (accepted here, handed
 *                            over from another loop, or connected out)
 * @param connectionsAccepted sockets the loop's listeners accepted (some handed to other loops or refused)
 * @param connectionsRefused  accepted sockets closed at once at the per-shard connection limit
 * @param bytesIn             bytes read from TCP connections
 * @param bytesOut            bytes written to TCP connections
 */
public record NetStats(long connectionsOpen, long connectionsOpened, long connectionsAccepted,
                       long connectionsRefused, long bytesIn, long bytesOut) {
}
