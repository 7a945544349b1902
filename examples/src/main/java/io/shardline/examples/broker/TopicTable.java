package io.shardline.examples.broker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One shard's copy of the topics, so Metadata and routing never leave the shard. Owned by one shard;
 * not thread-safe. The {@link TopicController} changes every copy, through the mesh, before it answers.
 */
final class TopicTable {
    private final Map<String, TopicInfo> byName = new TreeMap<>();
    private final Map<UUID, TopicInfo> byId = new HashMap<>();

    TopicInfo get(String name) {
        return name == null ? null : byName.get(name);
    }

    TopicInfo get(UUID id) {
        return byId.get(id);
    }

    void put(TopicInfo t) {
        byName.put(t.name(), t);
        byId.put(t.id(), t);
    }

    TopicInfo remove(String name) {
        TopicInfo t = byName.remove(name);
        if (t != null) {
            byId.remove(t.id());
        }
        return t;
    }

    /** Every topic, by name. */
    List<TopicInfo> all() {
        return new ArrayList<>(byName.values());
    }
}
