package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Glob matching; each row's answer is what redis-server 7.0 gives to KEYS for that key and pattern.
 * Patterns and strings use {@code ~} for a backslash to keep the table readable.
 */
class KeyspaceGlobTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "a?c | abc | true", "a?c | ac | false", "a*c | ac | true", "a*c | abbbc | true", "a*c | abcd | false",
        "* | anything | true", "?? | ab | true", "?? | abc | false", "a[bc] | ab | true", "a[bc] | ad | false",
        "a[^b]* | acd | true", "a[^b]* | abd | false", "a[a-c]* | ab | true", "a[c-a]* | ab | true",
        "a[c-a]* | ad | false", "h[^e]llo | hallo | true", "h[^e]llo | hello | false", "a~*c | a*c | true",
        "a~*c | abc | false", "a~?c | a?c | true", "a[~]]c | a]c | true", "a[]]c | a]c | false", "a[ | a | false",
        "a[ | a[ | false", "a[b | ab | true", "~ | ~ | true", "~~ | ~ | true", "a-c | a-c | true", "a[-]c | a-c | true",
        "a[a-]c | a]c | false", "a[a-]c | a] | true", "a[a-]c | a-c | false", "*a*a*a*a*a*a*b | aaaaaaaaab | true",
        "*a*a*a*a*a*a*c | aaaaaaaaab | false", "[^]a] | b | false", "[^]a] | ] | false", "a[~ | a~ | true",
        "*[ | abc | false", "*[ | a[ | false", "[A-Z] | Z | true", "[a-Z] | m | false", "[Z-a] | ^ | true",
        "h[^^]llo | h^llo | false", "*~* | a*c | false", "*~* | * | true", "***  | x | true", "a**c | ac | true",
        "?*? | ab | true", "?*? | a | false", "x*z | xyz | true"
    })
    void matchesLikeRedis(String pattern, String string, boolean expected) {
        assertEquals(expected, Glob.matches(bytes(pattern), bytes(string)));
    }

    @org.junit.jupiter.api.Test
    void emptyStringsAndSignedBytes() {
        assertFalse(Glob.matches(bytes("*"), new byte[0]), "only the callers' * shortcut matches the empty key");
        assertEquals(true, Glob.matches(new byte[0], new byte[0]));
        byte[] high = {(byte) 0xE9};
        assertEquals(true, Glob.matches(new byte[] {'[', (byte) 0xE0, '-', (byte) 0xEF, ']'}, high));
        assertEquals(false, Glob.matches(bytes("[a-z]"), high), "bytes above 0x7F are negative chars");
        assertEquals(true, Glob.matches(new byte[] {'[', (byte) 0xFF, '-', 'a', ']'}, bytes("0")),
                "a range from -1 to 'a' holds '0'");
    }

    @org.junit.jupiter.api.Test
    void pathologicalPatternsStayFast() {
        byte[] s = bytes("a".repeat(60));
        byte[] p = bytes("a*".repeat(30) + "b");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(Glob.matches(p, s)));
    }

    private static byte[] bytes(String s) {
        return s.trim().replace('~', '\\').getBytes(StandardCharsets.ISO_8859_1);
    }
}
