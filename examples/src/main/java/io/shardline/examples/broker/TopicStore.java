package io.shardline.examples.broker;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The broker's metadata file ({@code topics.meta} in the data directory): the cluster id and every
 * topic. Stateless; its blocking methods run on the main thread at start or on a shard's file helper
 * thread, never on a shard's own thread.
 *
 * <p>Written whole to a temporary file, forced, renamed over the old one and the directory forced, so
 * a crash leaves the old file or the new one, never half of either.
 */
final class TopicStore {
    static final String FILE = "topics.meta";

    /** What the file holds. */
    record Contents(String clusterId, List<TopicInfo> topics) {
    }

    private TopicStore() {
    }

    /** Reads the file, or gives a fresh cluster id and no topics if there is none. */
    static Contents load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return new Contents(newClusterId(), List.of());
        }
        String clusterId = null;
        List<TopicInfo> topics = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "cluster" -> clusterId = f[1];
                    case "topic" -> {
                        Map<String, String> configs = new HashMap<>();
                        for (int i = 4; i < f.length; i++) {
                            int eq = f[i].indexOf('=');
                            configs.put(dec(f[i].substring(0, eq)), dec(f[i].substring(eq + 1)));
                        }
                        topics.add(new TopicInfo(f[1], Integer.parseInt(f[2]), UUID.fromString(f[3]), configs));
                    }
                    default -> throw new IOException("unknown entry");
                }
            } catch (RuntimeException | IOException e) {
                throw new IOException(file + ": line " + lineNo + " is not a topic entry: " + line, e);
            }
        }
        return new Contents(clusterId != null ? clusterId : newClusterId(), topics);
    }

    /** Replaces the file with these contents, durably. */
    static void save(Path dir, Contents c) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("cluster ").append(c.clusterId()).append('\n');
        for (TopicInfo t : c.topics()) {
            sb.append("topic ").append(t.name()).append(' ').append(t.partitions()).append(' ').append(t.id());
            for (Map.Entry<String, String> e : t.configs().entrySet()) {
                sb.append(' ').append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            }
            sb.append('\n');
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot force a directory; the rename is then as durable as they make it.
        }
    }

    /** Kafka's cluster ids are a UUID in URL-safe base64 without padding (22 characters). */
    private static String newClusterId() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
