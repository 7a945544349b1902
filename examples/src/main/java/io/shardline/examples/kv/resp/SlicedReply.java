package io.shardline.examples.kv.resp;

/**
 * The rest of a reply too long to encode in one loop pass (LRANGE 0 -1 of a million elements): its
 * header is written, and the connection asks for the elements a slice at a time, one slice per loop
 * pass while the socket keeps up, none while it does not. Owned by the connection it was handed to;
 * used on that connection's shard only.
 *
 * <p>What it writes is fixed when the command runs (a snapshot of the elements' references), so later
 * writes to the key do not show in it, as they would not in Redis' reply.
 */
public interface SlicedReply {
    /** Encodes the next elements into {@code out} until it has grown by about {@code maxBytes}; true once the last is written. */
    boolean writeSlice(RespWriter out, int maxBytes);
}
