package io.shardline.net;

import io.shardline.core.Loop;
import io.shardline.shard.Shard;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A TCP server spread over a runtime's shards. The handle is thread-safe; each connection lives on
 * one shard.
 *
 * <p>{@link ServerOptions.Placement#REUSE_PORT} (the default): every shard binds the port with
 * SO_REUSEPORT and the kernel spreads connections, so accepting involves no other shard.
 * {@link ServerOptions.Placement#HAND_OFF}: shard 0 accepts and hands each connection over the mesh
 * to the shard with the fewest connections. {@code handlers} is called on the shard that will own the
 * connection, from several shards at once, so it must be thread-safe (a constructor reference is).
 */
public final class TcpServer implements AutoCloseable {
    private final ShardRuntime runtime;
    private final List<Listener> listeners;
    private final InetSocketAddress address;
    private final LongAdder handOffRefused;
    private volatile boolean closed;

    private TcpServer(ShardRuntime runtime, List<Listener> listeners, InetSocketAddress address,
                      LongAdder handOffRefused) {
        this.runtime = runtime;
        this.listeners = listeners;
        this.address = address;
        this.handOffRefused = handOffRefused;
    }

    /** Starts listening on every shard (or shard 0 for hand-off); returns once all listen. */
    public static TcpServer start(ShardRuntime runtime, InetSocketAddress address, ServerOptions options,
                                  Supplier<? extends ConnectionHandler> handlers) {
        List<Listener> listeners = new ArrayList<>();
        // Refusals made by a hand-off target shard, not by a listener: rare, so a shared adder is fine.
        LongAdder handOffRefused = new LongAdder();
        int shards = options.placement() == ServerOptions.Placement.HAND_OFF ? 1 : runtime.shards();
        InetSocketAddress bindTo = address;
        try {
            for (int i = 0; i < shards; i++) {
                InetSocketAddress target = bindTo;
                Listener l = await(runtime.submit(i, () -> {
                    Transport t = Transport.of(Loop.current());
                    return t.listen(target, options, options.placement() == ServerOptions.Placement.HAND_OFF
                            ? handOff(runtime, options, handlers, handOffRefused)
                            : local(t, options, handlers));
                }));
                listeners.add(l);
                // With port 0, the first shard picks the port and the others share it.
                bindTo = new InetSocketAddress(address.getAddress(), l.localAddress().getPort());
            }
        } catch (RuntimeException e) {
            new TcpServer(runtime, listeners, bindTo, handOffRefused).close();
            throw e;
        }
        return new TcpServer(runtime, listeners, bindTo, handOffRefused);
    }

    /**
     * Starts a listener per shard, each on an address of its own ({@code addressOf.apply(i)} for shard
     * <i>i</i>, port 0 for any free one), keeping the connections on the shard that accepted them: for
     * protocols whose clients pick the shard by port (Redis Cluster's node per shard). Returns once all
     * listen.
     */
    public static TcpServer startEach(ShardRuntime runtime, java.util.function.IntFunction<InetSocketAddress> addressOf,
                                      ServerOptions options, Supplier<? extends ConnectionHandler> handlers) {
        List<Listener> listeners = new ArrayList<>();
        LongAdder none = new LongAdder();
        try {
            for (int i = 0; i < runtime.shards(); i++) {
                InetSocketAddress target = addressOf.apply(i);
                listeners.add(await(runtime.submit(i, () -> {
                    Transport t = Transport.of(Loop.current());
                    return t.listen(target, options, local(t, options, handlers));
                })));
            }
        } catch (RuntimeException e) {
            new TcpServer(runtime, listeners, addressOf.apply(0), none).close();
            throw e;
        }
        return new TcpServer(runtime, listeners, listeners.get(0).localAddress(), none);
    }

    private static Transport.Acceptor local(Transport t, ServerOptions options,
                                            Supplier<? extends ConnectionHandler> handlers) {
        return ch -> {
            if (t.connectionCount() >= options.maxConnectionsPerShard()) {
                return false;
            }
            t.adopt(ch, options.connection(), handlers.get());
            return true;
        };
    }

    private static Transport.Acceptor handOff(ShardRuntime runtime, ServerOptions options,
                                              Supplier<? extends ConnectionHandler> handlers, LongAdder refused) {
        // Hand-offs sent and not yet landed, per target: counted with the targets' own counts so a
        // burst does not pile onto the shard that merely looked emptiest. Owned by the accepting shard.
        int[] inFlight = new int[runtime.shards()];
        return ch -> {
            int target = -1;
            int least = Integer.MAX_VALUE;
            for (int i = 0; i < runtime.shards(); i++) {
                int n = Transport.of(runtime.shard(i).loop()).connectionCount() + inFlight[i]; // a volatile read
                if (n < least) {
                    least = n;
                    target = i;
                }
            }
            if (least >= options.maxConnectionsPerShard()) {
                return false;
            }
            Shard here = Shard.current();
            if (target == here.id()) {
                Transport.of(here.loop()).adopt(ch, options.connection(), handlers.get());
                return true;
            }
            int t = target;
            inFlight[t]++;
            here.submitTo(t, () -> adoptHere(ch, options, handlers, refused))
                    .whenComplete((c, e) -> {
                        inFlight[t]--;
                        if (e != null) {
                            ch.close();
                        }
                    });
            return true;
        };
    }

    private static Connection adoptHere(AcceptedSocket ch, ServerOptions options,
                                        Supplier<? extends ConnectionHandler> handlers, LongAdder refused) {
        Transport t = Transport.of(Loop.current());
        if (t.connectionCount() >= options.maxConnectionsPerShard()) {
            ch.close();
            refused.increment();
            return null;
        }
        return t.adopt(ch, options.connection(), handlers.get());
    }

    /** The address the server listens on, with its actual port. */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** The address shard {@code shard}'s listener has, with its actual port (for {@link #startEach}). */
    public InetSocketAddress address(int shard) {
        return listeners.get(shard).localAddress();
    }

    /** Connections each shard has refused at its limit. */
    public long refused() {
        long n = handOffRefused.sum();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            n += await(runtime.submit(i, l::refused));
        }
        return n;
    }

    /** Stops listening on every shard; open connections stay until they or the runtime close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Object>> done = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            Listener l = listeners.get(i);
            done.add(runtime.submit(i, () -> {
                l.close();
                return null;
            }));
        }
        for (CompletableFuture<Object> f : done) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the runtime stopped first, which closed the listener anyway
            }
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(c);
        } catch (Exception e) {
            throw new IllegalStateException("server start did not finish: " + e, e);
        }
    }
}
