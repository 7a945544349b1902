package io.shardline.examples.kv.store;

import io.shardline.examples.kv.ReplySink;

/** One command this package runs: its Redis name and arity, and the code. Immutable. */
final class Command {
    /** Runs a command whose arity was checked; replies to {@code out}, logs its effect to {@code journal}. */
    @FunctionalInterface
    interface Handler {
        void run(byte[][] argv, ReplySink out, Journal journal);
    }

    final String name;
    /** Redis' convention: the argument count with the name; -n means at least n. */
    final int arity;
    final Handler handler;

    Command(String name, int arity, Handler handler) {
        this.name = name;
        this.arity = arity;
        this.handler = handler;
    }

    boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
