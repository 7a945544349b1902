package io.shardline.examples.kv;

import java.nio.charset.StandardCharsets;

/** Redis 7's error texts that the server side (not a data command) produces. Stateless, any thread. */
final class Errors {
    static final String NOAUTH = "NOAUTH Authentication required.";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    static final String NO_PASSWORD = "ERR AUTH <password> called without any password configured for the default user. "
            + "Are you sure your configuration is correct?";
    static final String SYNTAX = "ERR syntax error";
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String DB_RANGE = "ERR DB index is out of range";
    static final String INVALID_CURSOR = "ERR invalid cursor";
    static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
            + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
            + "protocol version at the same time";
    static final String NOPROTO = "NOPROTO unsupported protocol version";

    private Errors() {
    }

    /** {@code ERR wrong number of arguments for '<name>' command}. */
    static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    /** Redis' unknown-command error: the name, then up to about 128 bytes of its arguments, each quoted. */
    static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = text(argv[i]);
            int room = 128 - args.length();
            args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
        }
        String name = text(argv[0]);
        return "ERR unknown command '" + name.substring(0, Math.min(name.length(), 128)) + "', with args beginning with: " + args;
    }

    /** {@code ERR unknown subcommand '<sub>'. Try <CMD> HELP.} */
    static String unknownSubcommand(String command, byte[] sub) {
        return "ERR unknown subcommand '" + text(sub) + "'. Try " + command.toUpperCase(java.util.Locale.ROOT) + " HELP.";
    }

    /** Bytes as Redis prints them inside an error: one line, newlines replaced by spaces. */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8).replace('\r', ' ').replace('\n', ' ');
    }
}
