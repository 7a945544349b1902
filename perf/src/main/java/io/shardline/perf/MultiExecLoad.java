package io.shardline.perf;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The {@code kv-features} suite's transaction row, one trial's state, used by the load generator's
 * thread only: {@code connections} connections each pipeline
 * {@code depth} transactions {@code MULTI / SET a v / SET b v / EXEC} at a time, where a and b are
 * that connection's own two keys, a on shard 0 and b on shard 1 of a Shardline with {@code shards}
 * shards ({@link ShardKeys}), so that every transaction spans two shards (plain Redis has one
 * keyspace: the keys are just keys to it). Own keys per connection: the row measures what a
 * transaction across shards costs, not how transactions on the same keys queue behind each other.
 *
 * <p>The unit counted is an EXEC whose reply is the array of its two SETs' +OK; MULTI must answer
 * +OK and each SET +QUEUED. Any other reply (an unknown MULTI, an EXECABORT, a null array) fails
 * the trial with the reply shown, so a failed transaction never counts. One trial per instance.
 */
final class MultiExecLoad implements RespLoad.Workload {
    static final String VALUE = "kv-features-value";
    static final int EXEC_INDEX = 3;

    private final int connections;
    private final int depth;
    private final int shards;
    private final byte[][] transactions;
    private final int[] unanswered;
    private int outstanding;
    private long executed;

    MultiExecLoad(int connections, int depth, int shards) {
        if (connections < 1 || depth < 1 || shards < 2) {
            throw new IllegalArgumentException("need a connection, a transaction in flight and two shards");
        }
        this.connections = connections;
        this.depth = depth;
        this.shards = shards;
        this.transactions = new byte[connections][];
        for (int i = 0; i < connections; i++) {
            List<String> k = keys(i);
            transactions[i] = Resp.concat(Resp.command("MULTI"), Resp.command("SET", k.get(0), VALUE),
                    Resp.command("SET", k.get(1), VALUE), Resp.command("EXEC"));
        }
        this.unanswered = new int[connections];
    }

    /** Connection {@code i}'s two keys: the first on shard 0, the second on shard 1. */
    List<String> keys(int i) {
        return List.of(ShardKeys.keyOnShard("kvf:tx:" + i + ":a:", 0, shards),
                ShardKeys.keyOnShard("kvf:tx:" + i + ":b:", 1, shards));
    }

    String describe() {
        List<String> k = keys(0);
        return String.format(Locale.ROOT, "%d connections, each pipelining %d transaction%s (%d commands) MULTI / SET a v"
                        + " / SET b v / EXEC on its own two keys, a on shard 0 and b on shard 1 of %d (connection 0: %s, slot %d;"
                        + " %s, slot %d)", connections, depth, depth == 1 ? "" : "s", depth * 4, shards, k.get(0),
                ShardKeys.slot(k.get(0)), k.get(1), ShardKeys.slot(k.get(1)));
    }

    /**
     * Null if the server at {@code port} puts the first connection's keys in the slots {@link ShardKeys}
     * computed, or has no {@code CLUSTER KEYSLOT} (a standalone Redis); else what differs.
     */
    String slotCheck(int port) throws IOException {
        try (RespClient c = RespClient.connect(port)) {
            for (String key : keys(0)) {
                String slot;
                try {
                    slot = c.call("CLUSTER", "KEYSLOT", key);
                } catch (RespClient.ErrorReply e) {
                    return null;
                }
                if (!slot.equals(Integer.toString(ShardKeys.slot(key)))) {
                    return "the server puts " + key + " in slot " + slot + ", the suite computed "
                            + ShardKeys.slot(key) + ": its keys may not be on different shards";
                }
            }
        }
        return null;
    }

    @Override
    public int connections() {
        return connections;
    }

    @Override
    public RespExpect open(RespLoad.Link link) {
        return new RespExpect(List.of(), List.of(RespExpect.Reply.of("MULTI", "+OK\r\n"),
                RespExpect.Reply.of("the first queued SET", "+QUEUED\r\n"),
                RespExpect.Reply.of("the second queued SET", "+QUEUED\r\n"),
                RespExpect.Reply.of("EXEC", "*2\r\n+OK\r\n+OK\r\n")));
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public void fill(RespLoad.Link link) {
        byte[] tx = transactions[link.id];
        while (unanswered[link.id] < depth && link.send(tx)) {
            unanswered[link.id]++;
            outstanding++;
        }
    }

    @Override
    public void matched(RespLoad.Link link, int index) {
        if (index == EXEC_INDEX) {
            unanswered[link.id]--;
            outstanding--;
            executed++;
        }
    }

    @Override
    public long done() {
        return executed;
    }

    @Override
    public boolean drained() {
        return outstanding == 0;
    }

    @Override
    public String outstanding() {
        return outstanding + " transactions";
    }

    @Override
    public String check() {
        return null;
    }
}
