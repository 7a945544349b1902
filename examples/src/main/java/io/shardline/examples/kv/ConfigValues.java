package io.shardline.examples.kv;

/**
 * How CONFIG SET reads a value, as config.c does: an integer parameter takes string2ll's strict
 * decimal (no sign but '-', no leading zero or space), a memory parameter memtoull's unsigned decimal
 * with an optional unit (b, k, kb, m, mb, g, gb, any case), {@code save} strtoll's pairs. Stateless.
 */
final class ConfigValues {
    /** What {@link #memory} returns for a value past Long.MAX_VALUE: below every bound, so a range error. */
    static final long TOO_BIG = -1;

    private ConfigValues() {
    }

    /** The integer {@code s} spells, or null. */
    static Long integer(String s) {
        int n = s.length();
        if (n == 0 || n > 20) {
            return null;
        }
        if (s.equals("0")) {
            return 0L;
        }
        int i = s.charAt(0) == '-' ? 1 : 0;
        if (i == n || s.charAt(i) < '1' || s.charAt(i) > '9') {
            return null;
        }
        for (int j = i; j < n; j++) {
            if (s.charAt(j) < '0' || s.charAt(j) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The byte count {@code s} spells, {@link #TOO_BIG}, or null if it is not a memory value. */
    static Long memory(String s) {
        int digits = 0;
        while (digits < s.length() && s.charAt(digits) >= '0' && s.charAt(digits) <= '9') {
            digits++;
        }
        if (digits == 0) {
            return null;
        }
        long unit = switch (s.substring(digits).toLowerCase(java.util.Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000 * 1000;
            case "mb" -> 1024 * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 0;
        };
        if (unit == 0) {
            return null;
        }
        try {
            return Math.multiplyExact(Long.parseLong(s.substring(0, digits)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            return TOO_BIG;
        }
    }

    /** strtoll as config.c calls it: optional sign, digits, nothing after; null otherwise or past a long. */
    static Long lenient(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code save}'s "seconds changes ..." pairs (or "" for none), as CONFIG GET shows them, or Redis' error. */
    static ConfigParam.Checked savePoints(String s) {
        if (s.isEmpty()) {
            return ConfigParam.Checked.ok("");
        }
        String[] parts = s.split(" ", -1);
        if (parts.length % 2 != 0) {
            return ConfigParam.Checked.bad("Invalid save parameters");
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < parts.length; i += 2) {
            Long seconds = lenient(parts[i]);
            Long changes = lenient(parts[i + 1]);
            if (seconds == null || changes == null || seconds < 1 || changes < 0) {
                return ConfigParam.Checked.bad("Invalid save parameters");
            }
            b.append(i == 0 ? "" : " ").append(seconds).append(' ').append(changes);
        }
        return ConfigParam.Checked.ok(b.toString());
    }
}
