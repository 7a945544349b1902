package io.shardline.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code router} suite's processes: the two upstreams (nginx, one worker each, answering a static
 * {@code ok}), and the three proxies in front of them: Shardline's router (through the launcher, as a
 * user runs it), nginx ({@code proxy_pass} to an {@code upstream} block with {@code keepalive},
 * {@code worker_processes auto}) and HAProxy (http mode, {@code http-reuse always}, {@code nbthread} =
 * CPUs). Each runs as the current user with its config, pid and logs in the suite's directory.
 * Made and used by the suite's thread.
 */
final class RouterPeers {
    static final List<String> TOOLS = List.of("wrk", "nginx", "haproxy");

    private final Path root;
    private final Path dir;
    private final int cpus = Runtime.getRuntime().availableProcessors();

    RouterPeers(Path root, Path dir) {
        this.root = root;
        this.dir = dir;
    }

    /** An upstream: nginx with one worker, {@code GET /} answered {@code ok} from memory. */
    ServerProcess upstream(String name, String nginx) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        String conf = """
                %s
                worker_processes 1;
                events { worker_connections 4096; }
                http {
                    %s
                    server {
                        listen 127.0.0.1:%d reuseport backlog=4096;
                        location / { default_type text/plain; return 200 "ok"; }
                    }
                }
                """.formatted(nginxMain(name), nginxHttp(), port);
        return nginx(name, nginx, port, conf);
    }

    /** nginx as the reverse proxy, with a keep-alive pool to the upstreams. */
    ServerProcess nginxProxy(String nginx, int up1, int up2) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        String conf = """
                %s
                worker_processes auto;
                events { worker_connections 4096; }
                http {
                    %s
                    upstream backends {
                        server 127.0.0.1:%d;
                        server 127.0.0.1:%d;
                        keepalive 128;
                        keepalive_requests 1000000;
                    }
                    server {
                        listen 127.0.0.1:%d reuseport backlog=4096;
                        location / {
                            proxy_pass http://backends;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        }
                    }
                }
                """.formatted(nginxMain("nginx"), nginxHttp(), up1, up2, port);
        return nginx("nginx", nginx, port, conf);
    }

    /** HAProxy as the reverse proxy: http mode, connection reuse, one thread per CPU. */
    ServerProcess haproxy(String haproxy, int up1, int up2) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        String conf = """
                global
                    nbthread %d
                    maxconn 4096
                    pidfile %s
                defaults
                    mode http
                    option http-keep-alive
                    option forwardfor
                    http-reuse always
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                frontend fe
                    bind 127.0.0.1:%d
                    default_backend be
                backend be
                    balance roundrobin
                    server s1 127.0.0.1:%d
                    server s2 127.0.0.1:%d
                """.formatted(cpus, dir.resolve("haproxy.pid"), port, up1, up2);
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, conf);
        return ServerProcess.start("haproxy", port, List.of(haproxy, "-db", "-f", cfg.toString()), dir,
                dir.resolve("haproxy.log"), RouterPeers::answers);
    }

    /** Shardline's router, one shard per CPU, round-robin over the two upstreams. */
    ServerProcess shardline(int up1, int up2) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(root.resolve("shardline").toString(), "router",
                "--listen", "127.0.0.1:" + port, "--route", "/=127.0.0.1:" + up1 + ",127.0.0.1:" + up2,
                "--shards", Integer.toString(cpus), "--max-idle", "128"));
        return ServerProcess.start("shardline", port, command, root, dir.resolve("shardline-router.log"),
                RouterPeers::answers);
    }

    private ServerProcess nginx(String name, String nginx, int port, String conf) throws IOException, InterruptedException {
        Path prefix = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(dir.resolve("nginx-temp"));
        Path cfg = prefix.resolve("nginx.conf");
        Files.writeString(cfg, conf);
        return ServerProcess.start(name, port, List.of(nginx, "-p", prefix.toString(), "-c", cfg.toString(),
                "-e", prefix.resolve("error.log").toString()), prefix, dir.resolve(name + ".log"), RouterPeers::answers);
    }

    /** nginx's main context: in the foreground, its pid and error log in its own directory. */
    private String nginxMain(String name) {
        Path d = dir.resolve(name);
        return "daemon off;\npid " + d.resolve("nginx.pid") + ";\nerror_log " + d.resolve("error.log") + " warn;";
    }

    /** nginx's http context: no access log, temp files in the suite's directory, long keep-alive for wrk. */
    private String nginxHttp() {
        Path t = dir.resolve("nginx-temp");
        return ("access_log off;\nkeepalive_requests 1000000;\nclient_body_temp_path %s/body;\nproxy_temp_path %s/proxy;\n"
                + "fastcgi_temp_path %s/fastcgi;\nuwsgi_temp_path %s/uwsgi;\nscgi_temp_path %s/scgi;")
                .formatted(t, t, t, t, t);
    }

    /** Whether {@code GET /} on {@code port} answers 200. */
    static boolean answers(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        }
    }

    /** The first directory of PATH, /usr/sbin or /sbin holding {@code command} (nginx and haproxy live in sbin). */
    static String find(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command)) && !Files.isDirectory(Path.of(d, command))) {
                return Path.of(d, command).toString();
            }
        }
        return null;
    }
}
