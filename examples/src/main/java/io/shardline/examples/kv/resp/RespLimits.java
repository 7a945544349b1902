package io.shardline.examples.kv.resp;

/**
 * Immutable; any thread. The sizes a {@link RespRequestParser} accepts, checked before anything is
 * allocated for them.
 *
 * @param maxBulkLength      longest argument, in bytes (Redis {@code proto-max-bulk-len}); a longer
 *                           {@code $} length is "invalid bulk length"
 * @param maxMultibulkLength most arguments in one request; a larger {@code *} count is "invalid
 *                           multibulk length"
 * @param maxInlineSize      how many bytes a line may reach without its terminator (Redis
 *                           {@code PROTO_INLINE_MAX_SIZE}): the "too big ... request/count string" errors
 * @param maxRequestBytes    most bytes one request may hold in memory (the parts that arrived of all its
 *                           arguments); past it the parser fails with
 *                           {@link RespProtocolError.Kind#REQUEST_TOO_LARGE}, which has no Redis text:
 *                           close without a reply, as Redis does at {@code client-query-buffer-limit}
 */
public record RespLimits(int maxBulkLength, int maxMultibulkLength, int maxInlineSize, long maxRequestBytes) {

    /** The largest Java array, hence the largest argument this parser can hold. */
    public static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * 512 MiB arguments, 1,048,576 arguments, 64 KiB lines, 1 GiB per request. The argument count is
     * Redis 6's limit; see {@link #REDIS_7}.
     */
    public static final RespLimits DEFAULT = new RespLimits(512 << 20, 1024 * 1024, 64 * 1024, 1L << 30);

    /**
     * As {@link #DEFAULT} but with Redis 7's argument count limit, {@code INT_MAX}: Redis 7.0 accepts
     * {@code *1048577} and answers "invalid multibulk length" only above 2147483647.
     */
    public static final RespLimits REDIS_7 = DEFAULT.withMaxMultibulkLength(Integer.MAX_VALUE);

    public RespLimits {
        if (maxBulkLength < 0 || maxBulkLength > MAX_ARRAY) {
            throw new IllegalArgumentException("maxBulkLength must be 0.." + MAX_ARRAY + ", was " + maxBulkLength);
        }
        if (maxMultibulkLength < 0) {
            throw new IllegalArgumentException("maxMultibulkLength must not be negative, was " + maxMultibulkLength);
        }
        if (maxInlineSize < 1 || maxInlineSize > MAX_ARRAY / 2) {
            throw new IllegalArgumentException("maxInlineSize must be 1.." + MAX_ARRAY / 2 + ", was " + maxInlineSize);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, was " + maxRequestBytes);
        }
    }

    public RespLimits withMaxBulkLength(int v) {
        return new RespLimits(v, maxMultibulkLength, maxInlineSize, maxRequestBytes);
    }

    public RespLimits withMaxMultibulkLength(int v) {
        return new RespLimits(maxBulkLength, v, maxInlineSize, maxRequestBytes);
    }

    public RespLimits withMaxRequestBytes(long v) {
        return new RespLimits(maxBulkLength, maxMultibulkLength, maxInlineSize, v);
    }
}
