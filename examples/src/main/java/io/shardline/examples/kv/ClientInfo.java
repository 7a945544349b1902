package io.shardline.examples.kv;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One line of CLIENT LIST and CLIENT INFO, with Redis 7.2's fields in its order, read from a
 * connection on the shard it lives on. What this server has no counterpart for is given as Redis
 * gives it for a client without one (fd -1, qbuf 0); after Redis' fields comes this
 * server's own {@code shard=}, the shard the connection lives on. Stateless; call it on the connection's
 * shard.
 */
final class ClientInfo {
    private ClientInfo() {
    }

    /** The line (no newline) for {@code c}; {@code argvBytes} are the bytes of the command running now for the caller, else 0. */
    static String line(KvConnection c, long nowMillis, long argvBytes) {
        Subscriptions subs = c.subscriptionsIfAny();
        long obl = c.bufferedBytes();
        long omem = c.outputBytes();
        long rbs = c.bufferCapacity();
        StringBuilder b = new StringBuilder(256);
        b.append("id=").append(c.id)
                .append(" addr=").append(address(c.connection() == null ? null : c.connection().remoteAddress()))
                .append(" laddr=").append(address(c.connection() == null ? null : c.connection().localAddress()))
                .append(" fd=-1")
                .append(" name=").append(c.name == null ? "" : c.name)
                .append(" age=").append(Math.max(0, (nowMillis - c.createdMillis) / 1000))
                .append(" idle=").append(Math.max(0, (nowMillis - c.lastInteractionMillis) / 1000))
                .append(" flags=").append(flags(c))
                .append(" db=").append(c.db)
                .append(" sub=").append(subs == null ? 0 : subs.of(PubSubKind.CHANNEL).size())
                .append(" psub=").append(subs == null ? 0 : subs.of(PubSubKind.PATTERN).size())
                .append(" ssub=").append(subs == null ? 0 : subs.of(PubSubKind.SHARD).size())
                .append(" multi=").append(TransactionCommands.open(c) ? c.tx.queued.size() : -1)
                .append(" qbuf=0 qbuf-free=0")
                .append(" argv-mem=").append(argvBytes)
                .append(" multi-mem=0")
                .append(" rbs=").append(rbs)
                .append(" rbp=").append(rbs)
                .append(" obl=").append(obl)
                .append(" oll=").append(c.pendingReplies())
                .append(" omem=").append(omem - obl)
                .append(" tot-mem=").append(rbs + omem - obl + argvBytes)
                .append(" events=").append(c.connection() != null && c.connection().queuedBytes() > 0 ? "rw" : "r")
                .append(" cmd=").append(command(c))
                .append(" user=default redir=-1")
                .append(" resp=").append(c.protocol)
                .append(" lib-name=").append(c.libName == null ? "" : c.libName)
                .append(" lib-ver=").append(c.libVer == null ? "" : c.libVer)
                .append(" shard=").append(c.shard().id()); // this server's own, after Redis' fields: where the client lives
        return b.toString();
    }

    /** Redis' client flag letters, in its order; N for none. */
    static String flags(KvConnection c) {
        StringBuilder f = new StringBuilder(4);
        if (c.subscriptionsIfAny() != null && c.subscriptionsIfAny().any()) {
            f.append('P');
        }
        if (c.onClose != null || c.parked) {
            f.append('b');
        }
        if (c.closingAfterReply()) {
            f.append('c');
        }
        if (c.noEvict) {
            f.append('e');
        }
        if (c.noTouch) {
            f.append('T');
        }
        if (TransactionCommands.open(c)) {
            f.append('x'); // in MULTI
        }
        return f.isEmpty() ? "N" : f.toString();
    }

    /** CLIENT LIST's cmd=: the last command, "client|list" for a subcommand, NULL before any. */
    static String command(KvConnection c) {
        if (c.lastSpec == null) {
            return "NULL";
        }
        return c.lastSub == null ? c.lastSpec.name() : c.lastSpec.name() + "|" + c.lastSub;
    }

    /** ip:port as Redis writes it (IPv6 without brackets). */
    static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress().getHostAddress() + ":" + i.getPort();
        }
        return a == null ? "" : a.toString();
    }
}
