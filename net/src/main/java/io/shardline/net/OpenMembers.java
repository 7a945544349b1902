package io.shardline.net;

import io.shardline.core.Loop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A transport's open listeners, connections, connects in progress and UDP sockets, and its count of
 * connections, the same on every transport. Changed only by the transport's loop; {@link #connections()}
 * may be read from any thread.
 */
final class OpenMembers {
    /** Something a transport opened that must be released when its loop closes. */
    interface Member {
        /** The transport is closing: release the socket. */
        void closeForShutdown();
    }

    private final Set<Member> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Written by the loop only; volatile so other threads read a recent count. */
    private volatile int connections;

    void add(Member m) {
        open.add(m);
    }

    void addConnection(Member m) {
        open.add(m);
        connections++;
    }

    /** {@code m} has closed (or, for a connect, finished); forgotten here. */
    void closed(Member m, boolean wasConnection) {
        open.remove(m);
        if (wasConnection) {
            connections--;
        }
    }

    int connections() {
        return connections;
    }

    /**
     * Closes every member for the loop's shutdown; one that throws does not stop the others, its
     * exception is rethrown by a later task of {@code loop} so the loop's handler sees it.
     */
    void closeAll(Loop loop) {
        for (Member m : new ArrayList<>(open)) {
            try {
                m.closeForShutdown();
            } catch (RuntimeException e) {
                loop.execute(() -> {
                    throw e;
                });
            }
        }
        open.clear();
    }
}
