package io.shardline.net;

import io.shardline.core.Loop;
import io.shardline.shard.ShardRuntime;

/**
 * Entry points for networking on shards; stateless, any thread.
 *
 * <pre>{@code
 * try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(4)).start();
 *      TcpServer echo = TcpServer.start(rt, new InetSocketAddress("127.0.0.1", 7000),
 *                                       ServerOptions.DEFAULT, EchoHandler::new)) { ... }
 * }</pre>
 */
public final class Net {
    /**
     * System property: {@code io_uring}, {@code nio} or {@code auto} (the default): io_uring where the
     * kernel and the JVM's flags allow it, else NIO.
     */
    public static final String TRANSPORT_PROPERTY = "shardline.net.transport";
    private static final System.Logger LOG = System.getLogger("io.shardline.net");

    private Net() {
    }

    /**
     * Gives every shard of the runtime being built a network transport (its parker and poll source),
     * the one {@value #TRANSPORT_PROPERTY} picks, and says which in one log line. With io_uring, the
     * rings of all shards are set up together as the first shard is built: where they do not all fit
     * (locked memory, RLIMIT_MEMLOCK, runs out) every shard gets NIO, with one more line that says why.
     */
    public static ShardRuntime.Builder install(ShardRuntime.Builder builder) {
        boolean ioUring = useIoUring(System.getProperty(TRANSPORT_PROPERTY, "auto"), true);
        if (!ioUring) {
            return builder.loop(b -> b.parker(NioTransport::new));
        }
        RingReservation rings = new RingReservation(builder::shardCount);
        return builder.loop(b -> b.parker(rings::next));
    }

    /** The name of the transport {@value #TRANSPORT_PROPERTY} picks here: {@code io_uring} or {@code nio}. */
    public static String transportName() {
        return useIoUring(System.getProperty(TRANSPORT_PROPERTY, "auto"), false) ? "io_uring" : "nio";
    }

    private static boolean useIoUring(String choice, boolean log) {
        String why = IoUringTransport.unavailableReason();
        boolean ioUring = switch (choice) {
            case "nio" -> false;
            case "io_uring" -> {
                if (why != null && log) {
                    LOG.log(System.Logger.Level.WARNING, "network transport: NIO, though " + TRANSPORT_PROPERTY
                            + "=io_uring: " + why);
                    log = false;
                }
                yield why == null;
            }
            case "auto" -> why == null;
            default -> throw new IllegalArgumentException(TRANSPORT_PROPERTY + " must be io_uring, nio or auto, not '"
                    + choice + "'");
        };
        if (log) {
            String detail = ioUring || !"auto".equals(choice) || why == null ? "" : " (io_uring unavailable: " + why + ")";
            LOG.log(System.Logger.Level.INFO, "network transport: " + (ioUring ? "io_uring" : "NIO") + detail);
        }
        return ioUring;
    }

    /** The transport of the loop the caller runs on. */
    public static Transport transport() {
        Loop loop = Loop.current();
        if (loop == null) {
            throw new IllegalStateException("not on a loop: thread " + Thread.currentThread().getName());
        }
        return Transport.of(loop);
    }
}
