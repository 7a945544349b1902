package io.shardline.examples.kv.store;

import io.shardline.examples.kv.ReplySink;
import java.nio.charset.StandardCharsets;

/** One command this package runs: its Redis name and arity, and the code. Immutable. */
final class Command {
    /** Runs a command whose arity was checked; replies to {@code out}, logs its effect to {@code journal}. */
    @FunctionalInterface
    interface Handler {
        void run(byte[][] argv, ReplySink out, Journal journal);
    }

    final String name;
    final byte[] lowerName;
    /** Redis' convention: the argument count with the name; -n means at least n. */
    final int arity;
    final Handler handler;

    Command(String name, int arity, Handler handler) {
        this.name = name;
        this.lowerName = name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.handler = handler;
    }

    boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** Whether {@code sent} is this command's name in any letter case. */
    boolean named(byte[] sent) {
        if (sent.length != lowerName.length) {
            return false;
        }
        for (int i = 0; i < sent.length; i++) {
            if (CommandIndex.lower(sent[i]) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }
}
