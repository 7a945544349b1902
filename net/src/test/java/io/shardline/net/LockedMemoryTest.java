package io.shardline.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardline.shard.ShardRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A runtime started under a locked-memory limit (RLIMIT_MEMLOCK without CAP_IPC_LOCK) too low for its
 * shards' rings falls back to NIO, all shards alike, with a line that says why, and serves; never a
 * crash. Each case runs a child JVM under {@code prlimit} and {@code setpriv} (so root counts the
 * ring's memory too), which is where the test can run: Linux, root, io_uring available.
 */
class LockedMemoryTest {
    private static final String FLAGS = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED "
            + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED "
            + "--enable-native-access=ALL-UNNAMED";

    @Test
    void tooLittleLockedMemoryForOneLoopsRingMeansNioForEveryShard() throws Exception {
        // Enough for the small probes' rings, not for one loop's 256-entry ring and receive buffers.
        String out = runChild(40 * 1024);
        assertTrue(out.contains("shards=nio,nio"), out);
        assertTrue(out.contains("RLIMIT_MEMLOCK"), "the fallback says why: " + out);
    }

    @Test
    void lockedMemoryForOneLoopButNotTwoMeansNioForBoth() throws Exception {
        // One loop's ring fits (64 KiB is a common default limit); the second shard's does not.
        String out = runChild(96 * 1024);
        assertTrue(out.contains("shards=nio,nio"), out);
    }

    @Test
    void enoughLockedMemoryMeansIoUringForEveryShard() throws Exception {
        String out = runChild(4 * 1024 * 1024);
        assertTrue(out.contains("shards=io_uring,io_uring"), out);
    }

    /** Runs {@link #main} in a child JVM with {@code memlock} bytes of locked memory; returns its output. */
    private static String runChild(long memlock) throws Exception {
        assumeTrue(IoUringTransport.available(), "io_uring unavailable here");
        assumeTrue("root".equals(System.getProperty("user.name")), "setpriv drops CAP_IPC_LOCK only for root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prlimit")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "needs prlimit and setpriv");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/prlimit", "--memlock=" + memlock + ":" + memlock,
                "/usr/bin/setpriv", "--bounding-set=-ipc_lock", "--inh-caps=-ipc_lock",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(FLAGS.split(" ")));
        cmd.addAll(List.of("-D" + Net.TRANSPORT_PROPERTY + "=auto", "-cp", System.getProperty("java.class.path"),
                LockedMemoryTest.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(NetTestSupport.PATIENCE.toSeconds(), TimeUnit.SECONDS), "child hung: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("echoed"), out);
        return out;
    }

    /** The child: a two-shard runtime with an echo server, one round trip, and which transport each shard got. */
    public static void main(String[] args) throws IOException {
        try (ShardRuntime rt = NetTestSupport.runtime(2);
             TcpServer server = NetTestSupport.echoServer(rt, ServerOptions.DEFAULT)) {
            StringBuilder shards = new StringBuilder();
            for (int i = 0; i < rt.shards(); i++) {
                shards.append(i == 0 ? "" : ",")
                        .append(Transport.of(rt.shard(i).loop()) instanceof IoUringTransport ? "io_uring" : "nio");
            }
            System.out.println("shards=" + shards);
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            try (Socket s = NetTestSupport.connect(server.address().getPort())) {
                s.getOutputStream().write(hello);
                assertArrayEquals(hello, NetTestSupport.readExactly(s.getInputStream(), hello.length));
            }
            System.out.println("echoed");
        }
        System.exit(0);
    }
}
