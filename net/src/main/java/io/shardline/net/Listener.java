package io.shardline.net;

import java.net.InetSocketAddress;

/** One loop's listening socket. Owned by that loop. */
public interface Listener extends AutoCloseable {

    /** The bound address, with the actual port. */
    InetSocketAddress localAddress();

    /** Connections refused because the shard was at its limit. */
    long refused();

    /** Stops accepting; open connections stay open. */
    @Override
    void close();
}
