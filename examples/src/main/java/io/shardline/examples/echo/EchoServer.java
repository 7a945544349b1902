package io.shardline.examples.echo;

import io.shardline.examples.MetricsOption;
import io.shardline.net.EchoHandler;
import io.shardline.net.Net;
import io.shardline.net.ServerOptions;
import io.shardline.net.TcpServer;
import io.shardline.net.metrics.MetricsServer;
import io.shardline.shard.ShardRuntime;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./shardline echo}: a TCP echo server on every shard until interrupted (Ctrl-C). Runs on the
 * main thread, which only starts and stops it.
 */
@Command(name = "echo", mixinStandardHelpOptions = true, description = "Run a TCP echo server on N shards.")
public final class EchoServer implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "P", description = "port to listen on (default: ${DEFAULT-VALUE})")
    int port = 7000;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to bind (default: ${DEFAULT-VALUE})")
    String bind = "127.0.0.1";

    @Option(names = "--shards", paramLabel = "N", description = "shards (default: one per CPU)")
    int shards = Runtime.getRuntime().availableProcessors();

    @Option(names = "--placement", paramLabel = "MODE",
            description = "reuse-port (each shard listens; the kernel spreads connections) or hand-off "
                    + "(shard 0 accepts and hands to the least loaded shard); default: ${DEFAULT-VALUE}")
    String placement = "reuse-port";

    @Mixin
    MetricsOption metrics = new MetricsOption();

    public static void main(String[] args) {
        System.exit(new CommandLine(new EchoServer()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (shards < 1) {
            throw new ParameterException(spec.commandLine(), "--shards must be at least 1, was " + shards);
        }
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, was " + port);
        }
        ServerOptions.Placement mode = switch (placement) {
            case "reuse-port" -> ServerOptions.Placement.REUSE_PORT;
            case "hand-off" -> ServerOptions.Placement.HAND_OFF;
            default -> throw new ParameterException(spec.commandLine(),
                    "--placement must be reuse-port or hand-off, was " + placement);
        };
        metrics.address(); // a bad --metrics is a usage error before anything starts
        CountDownLatch stop = new CountDownLatch(1);
        try (ShardRuntime rt = Net.install(ShardRuntime.builder().shards(shards)).start();
             TcpServer server = TcpServer.start(rt, new InetSocketAddress(bind, port),
                     ServerOptions.DEFAULT.withPlacement(mode), EchoHandler::new);
             MetricsServer exporter = metrics.start(rt, java.util.List.of())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.printf("echo server on %s:%d, %d shards, %s%s%n", bind, server.port(), rt.shards(), placement,
                    MetricsOption.banner(exporter));
            stop.await();
        }
        return 0;
    }
}
