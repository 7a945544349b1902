package io.shardline.examples.kv.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Number parsing as Redis reads it, and long double sums printed as INCRBYFLOAT prints them. */
class KeyspaceNumbersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "9223372036854775807", "-9223372036854775808", "1234567890"})
    void integersRedisAccepts(String s) {
        assertTrue(Numbers.isLong(b(s)));
        assertEquals(Long.parseLong(s), Numbers.toLong(b(s)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-0", " 1", "1 ", "1.0", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "000000000000000000001", "1e3", "0x10"})
    void integersRedisRejects(String s) {
        assertFalse(Numbers.isLong(b(s)));
    }

    @ParameterizedTest
    @CsvSource({"1.5, 1.5", "-2, -2", "0x10, 16", "0X1P-2, 0.25", ".5, 0.5", "5., 5", "+3, 3", "1e2, 100", "inf, Infinity",
        "-Infinity, -Infinity", "4.9e-324, 4.9E-324"})
    void doublesRedisAccepts(String s, double expected) {
        assertEquals(expected, Numbers.toDouble(b(s)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " 1", "1 ", "nan", "NaN", "abc", "1e", "1e400", "-1e400", "1e-400", "0x", "1.5f", "1d", "0x1p99999"})
    void doublesRedisRejects(String s) {
        assertTrue(Double.isNaN(Numbers.toDouble(b(s))), s);
    }

    @Test
    void rangeBoundsFollowStrtod() {
        assertEquals(0, Numbers.toRangeBound(b(""), 0), "nothing at all reads as 0");
        assertEquals(1.5, Numbers.toRangeBound(b(" \t1.5"), 0));
        assertEquals(Double.POSITIVE_INFINITY, Numbers.toRangeBound(b("1e400"), 0));
        assertTrue(Double.isNaN(Numbers.toRangeBound(b("  "), 0)));
        assertTrue(Double.isNaN(Numbers.toRangeBound(b("nan"), 0)));
        assertEquals(2, Numbers.toRangeBound(b("(2"), 1));
    }

    @ParameterizedTest
    @CsvSource({"10.5, 0.1, 10.6", "0.1, 0.2, 0.3", "0, 1e-20, 0", "5000, 200, 5200", "1.1, 2.2, 3.3",
        "-1, 0.5, -0.5", "3, -3, 0", "0x1p-3, 0, 0.125", "1e17, 1, 100000000000000001", "1, 1e-17, 1.00000000000000001"})
    void longDoubleSums(String a, String c, String expected) {
        LongDouble sum = LongDouble.parse(b(a)).add(LongDouble.parse(b(c)));
        assertEquals(expected, new String(sum.toHumanString(), StandardCharsets.US_ASCII));
    }

    @Test
    void longDoubleRangeAndSpecials() {
        assertNull(LongDouble.parse(b("1e4933")), "overflows long double");
        assertTrue(LongDouble.parse(b("1e4931")).isFinite(), "fits long double, not double");
        assertNull(LongDouble.parse(b("1e-4960")), "underflows to zero");
        assertTrue(LongDouble.parse(b("1e-4940")).isFinite(), "a subnormal long double");
        assertFalse(LongDouble.parse(b("inf")).isFinite());
        assertFalse(LongDouble.parse(b("inf")).add(LongDouble.parse(b("-inf"))).isFinite());
        assertNull(LongDouble.parse(b("nan")));
        assertNull(LongDouble.parse(b("1".repeat(5120))), "longer than Redis' buffer");
        assertTrue(LongDouble.parse(b("1.1e4932")).add(LongDouble.parse(b("1.1e4932"))).isFinite() == false,
                "a sum past the range is infinite");
    }
}
