package io.shardline.examples.kv;

import java.util.List;
import java.util.Locale;

/**
 * One CONFIG parameter as config.c declares it: its name and alias, what kind of value it takes (and
 * the bounds or choices), whether CONFIG SET may change it, and its default. {@link #check} turns a
 * CONFIG SET value into the form CONFIG GET shows, or says why Redis would refuse it. Immutable, any
 * thread.
 *
 * @param name the canonical name
 * @param alias the other name Redis answers to (hash-max-ziplist-entries...), or null
 * @param kind how the value is read
 * @param min the smallest number accepted (INT and MEMORY)
 * @param max the largest number accepted (INT and MEMORY)
 * @param choices ENUM's values in Redis' order (its error lists them so)
 * @param set whether CONFIG SET may change it: {@link #MODIFIABLE}, {@link #IMMUTABLE} or {@link #PROTECTED}
 * @param initial the value before any CONFIG SET
 */
record ConfigParam(String name, String alias, Kind kind, long min, long max, List<String> choices, int set, String initial) {
    static final int MODIFIABLE = 0;
    /** Redis' IMMUTABLE_CONFIG: "can't set immutable config". */
    static final int IMMUTABLE = 1;
    /** Redis' PROTECTED_CONFIG with enable-protected-configs no: "can't set protected config". */
    static final int PROTECTED = 2;

    /** How a value is read, as config.c's types. */
    enum Kind {
        BOOL, INT, MEMORY, ENUM, STRING, SAVE, OUTPUT_LIMITS, EVENTS
    }

    /** A checked value: the form CONFIG GET shows, or Redis' reason for refusing it. */
    record Checked(String value, String error) {
        static Checked ok(String value) {
            return new Checked(value, null);
        }

        static Checked bad(String why) {
            return new Checked(null, why);
        }
    }

    /** {@code text} as this parameter would hold it, or why CONFIG SET refuses it. */
    Checked check(String text) {
        return switch (kind) {
            case BOOL -> {
                String v = text.toLowerCase(Locale.ROOT);
                yield v.equals("yes") || v.equals("no") ? Checked.ok(v) : Checked.bad("argument must be 'yes' or 'no'");
            }
            case INT -> {
                Long v = ConfigValues.integer(text);
                yield v == null ? Checked.bad("argument couldn't be parsed into an integer") : inRange(v);
            }
            case MEMORY -> {
                Long v = ConfigValues.memory(text);
                yield v == null ? Checked.bad("argument must be a memory value") : inRange(v);
            }
            case ENUM -> {
                String v = text.toLowerCase(Locale.ROOT);
                yield choices.contains(v) ? Checked.ok(v)
                        : Checked.bad("argument(s) must be one of the following: " + String.join(", ", choices));
            }
            case STRING -> Checked.ok(text);
            case SAVE -> ConfigValues.savePoints(text);
            case OUTPUT_LIMITS -> Checked.bad("use OutputLimits"); // needs the current value: see LiveConfig
            case EVENTS -> {
                int flags = io.shardline.examples.kv.store.Notifier.parse(text);
                // kept as given: the rendered form drops 'n' (as Redis' CONFIG GET does), the flags must not
                yield flags < 0 ? Checked.bad("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.") : Checked.ok(text);
            }
        };
    }

    private Checked inRange(long v) {
        if (v < min || v > max) {
            return Checked.bad("argument must be between " + min + " and " + max + " inclusive");
        }
        return Checked.ok(Long.toString(v));
    }
}
