package io.shardline.core.ring;

/**
 * What a {@link Ring} calls when one of its operations completes. Called on the ring's loop thread,
 * from {@link Ring#poll} (or from {@link Ring#close}, with {@code -ECANCELED}).
 *
 * <p>One handler object serves every operation it is passed to: the ring keeps it in a slot of a
 * table for as long as the operation is in flight, so submitting allocates nothing. A multishot
 * operation calls its handler once per event; {@link Ring#F_MORE} in {@code flags} says another call
 * follows, and its absence that this was the last.
 */
@FunctionalInterface
public interface Completion {

    /**
     * @param result what the system call would return (a byte count, a descriptor, 0), or a negated
     *               errno ({@code -Ring.ECANCELED} for an operation cancelled or cut short by close)
     * @param flags  the completion's flags: {@link Ring#F_MORE}, {@link Ring#F_BUFFER} with the buffer
     *               id in the upper 16 bits ({@link BufferRing#bufferId})
     */
    void complete(int result, int flags);
}
