package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suites' report printer: tables, notes, targets and the result line every suite ends with. */
class ReportTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Report report = new Report("echo", new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theResultLineComesLastWithItsFieldsInOrder() {
        report.note("a note");
        report.target("rps_ratio >= 1.2", true, "1.31");
        report.target("p99_ratio <= 0.9", false, "0.95");
        report.field("rps_ratio", 1.3149);
        report.field("roundtrip_ns", "241");
        report.finish();
        List<String> lines = lines();
        assertEquals("result: echo rps_ratio=1.31 roundtrip_ns=241", lines.getLast());
        assertTrue(lines.contains("  a note"), lines.toString());
        int targets = lines.indexOf("targets");
        assertTrue(targets > lines.indexOf("notes"), "notes before targets: " + lines);
        assertTrue(lines.get(targets + 1).matches("  rps_ratio >= 1\\.2 +met +\\(1\\.31\\)"), lines.get(targets + 1));
        assertTrue(lines.get(targets + 2).matches("  p99_ratio <= 0\\.9 +MISSED \\(0\\.95\\)"), lines.get(targets + 2));
    }

    @Test
    void boundTargetsSayTheBoundAndCompareTheValueWithIt() {
        report.atLeast("rps_ratio", 1.2, 1, 1.2);
        report.atMost("p99_ratio", 0.9, 1, 0.95);
        report.atLeast("durable_speedup", 2, 0, 1.5);
        report.finish();
        List<String> lines = lines();
        int targets = lines.indexOf("targets");
        assertTrue(lines.get(targets + 1).matches("  rps_ratio >= 1\\.2 +met +\\(1\\.20\\)"), lines.get(targets + 1));
        assertTrue(lines.get(targets + 2).matches("  p99_ratio <= 0\\.9 +MISSED \\(0\\.95\\)"), lines.get(targets + 2));
        assertTrue(lines.get(targets + 3).matches("  durable_speedup >= 2 +MISSED \\(1\\.50\\)"), lines.get(targets + 3));
    }

    @Test
    void noNotesSectionWithoutNotes() {
        report.finish();
        assertEquals(List.of("", "targets", "result: echo"), lines());
    }

    @Test
    void aTableRulesItsFirstHeaderOnceBeforeTheRows() {
        Report.Table t = report.table("%-6s %5s", "%-6s %5.1f").header("name", "value").header("", "(us)");
        t.row("a", 1.5);
        t.row("b", 10.0);
        assertEquals(List.of("name   value", "        (us)", "-".repeat(12), "a        1.5", "b       10.0"), lines());
    }

    @Test
    void numberFormats() {
        assertEquals("-", Report.num(Double.NaN, 1));
        assertEquals("1.50", Report.num(1.5, 2));
        assertEquals("1.23M", Report.count(1_234_567));
        assertEquals("45.6k", Report.count(45_600));
        assertEquals("789", Report.count(789));
        assertEquals("2.50M", Report.rate(2_500_000));
        assertEquals("3 s", Report.seconds(3_000_000_000L));
        assertEquals("300 ms", Report.seconds(300_000_000L));
        assertEquals("n/a", Report.millis(-1));
        assertEquals("12%", Report.percent(12.4));
    }
}
