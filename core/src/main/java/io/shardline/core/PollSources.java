package io.shardline.core;

import java.util.Arrays;

/**
 * The sources a loop polls once per iteration, beside its foreign inbox. Owned by its loop; not
 * thread-safe: sources are added and removed on the loop thread, or before it starts.
 *
 * <p>An array rather than a collection: polling it is the idle loop's hot path, so it allocates nothing
 * and iterates without an iterator; adding or removing a source copies it, which is rare.
 */
final class PollSources {
    private final Loop loop;
    private PollSource[] sources = new PollSource[0];

    PollSources(Loop loop) {
        this.loop = loop;
    }

    /** Adds {@code source}; closing the returned handle removes it (on the loop). */
    AutoCloseable add(PollSource source) {
        if (source == null) {
            throw new NullPointerException("source");
        }
        PollSource[] s = Arrays.copyOf(sources, sources.length + 1);
        s[s.length - 1] = source;
        sources = s;
        return () -> remove(source);
    }

    private void remove(PollSource source) {
        assert loop.checkOwner("unregister");
        PollSource[] cur = sources;
        for (int i = 0; i < cur.length; i++) {
            if (cur[i] == source) {
                PollSource[] next = new PollSource[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                sources = next;
                return;
            }
        }
    }

    /** Polls every source once; a source that throws is reported and the others still run. */
    int pollAll() {
        int work = 0;
        for (PollSource source : sources) {
            try {
                work += source.poll();
            } catch (Throwable t) {
                loop.reportUncaught(t);
            }
        }
        return work;
    }
}
