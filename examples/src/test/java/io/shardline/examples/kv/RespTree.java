package io.shardline.examples.kv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A raw RESP reply as a tree, for tests that compare replies whose element order Redis leaves open
 * (SMEMBERS, SINTER...): sorted, the reply is compared byte for byte still. Stateless.
 */
final class RespTree {
    private RespTree() {
    }

    /** {@code reply} with the elements of its top aggregate sorted (as whole elements); others unchanged. */
    static String sortTop(String reply) {
        return sortTop(reply, 1);
    }

    /** Like {@link #sortTop(String)}, moving elements in groups of {@code group} (2 for field/value pairs). */
    static String sortTop(String reply, int group) {
        char t = reply.charAt(0);
        if (t != '*' && t != '~' && t != '%') {
            return reply;
        }
        int eol = reply.indexOf("\r\n");
        int n = Integer.parseInt(reply.substring(1, eol));
        if (n <= 0) {
            return reply;
        }
        int[] pos = {eol + 2};
        int elements = t == '%' ? 2 * n : n;
        List<String> items = new ArrayList<>();
        for (int i = 0; i < elements; i++) {
            int start = pos[0];
            skip(reply, pos);
            items.add(reply.substring(start, pos[0]));
        }
        int g = t == '%' ? 2 : group;
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < items.size(); i += g) {
            groups.add(String.join("", items.subList(i, i + g)));
        }
        groups.sort(Comparator.naturalOrder());
        return reply.substring(0, eol + 2) + String.join("", groups) + reply.substring(pos[0]);
    }

    /** A scan reply ([cursor, elements]) with its elements sorted; anything else unchanged. */
    static String sortScan(String reply) {
        if (!reply.startsWith("*2\r\n")) {
            return reply;
        }
        int[] pos = {4};
        skip(reply, pos);
        return reply.substring(0, pos[0]) + sortTop(reply.substring(pos[0]));
    }

    /** The top aggregate's element count, or -1 if it is not an aggregate (for random replies). */
    static int size(String reply) {
        char t = reply.charAt(0);
        if (t != '*' && t != '~' && t != '%') {
            return -1;
        }
        return Integer.parseInt(reply.substring(1, reply.indexOf("\r\n")));
    }

    private static void skip(String s, int[] pos) {
        int eol = s.indexOf("\r\n", pos[0]);
        char t = s.charAt(pos[0]);
        String head = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (t) {
            case '$', '=', '!' -> {
                int len = Integer.parseInt(head);
                if (len >= 0) {
                    pos[0] += len + 2; // test data is ASCII: chars are bytes
                }
            }
            case '*', '~', '>' -> {
                int n = Integer.parseInt(head);
                for (int i = 0; i < n; i++) {
                    skip(s, pos);
                }
            }
            case '%' -> {
                int n = Integer.parseInt(head);
                for (int i = 0; i < 2 * n; i++) {
                    skip(s, pos);
                }
            }
            default -> {
            }
        }
    }
}
