package io.shardline.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suites' trial runner: the order trials run in, extra rounds, what it returns, and its medians. */
class TrialsTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    private final List<String> ran = new ArrayList<>();

    private Trials.Contender<String> contender(String name) {
        return new Trials.Contender<>(name + " row", name, turn -> {
            String r = name + "@" + turn.tag();
            ran.add(r);
            return r;
        });
    }

    @Test
    void everyContenderWarmsUpThenTheTrialsTakeTurns() throws Exception {
        Trials.Results<String> results = Trials.run(out, "t", new Trials.Plan(true, 2, 0),
                List.of(contender("a"), contender("b")), r -> r, null);
        assertEquals(List.of("a@warmup", "b@warmup", "a@1", "b@1", "a@2", "b@2"), ran);
        assertEquals(List.of("a@1", "a@2"), results.of("a row"), "warm-ups are not results");
        assertEquals(List.of("b@1", "b@2"), results.of("b row"));
        assertEquals(List.of("a row", "b row"), List.copyOf(results.byLabel().keySet()), "in the contenders' order");
        assertThrows(IllegalStateException.class, () -> results.of("c row"));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("warm-up") && text.contains("trial 2/2") && text.contains("b@2"), text);
    }

    @Test
    void extraRoundsRunWhileTheSuiteGivesAReasonAndNoMoreThanPlanned() throws Exception {
        List<Integer> asked = new ArrayList<>();
        Trials.Results<String> results = Trials.run(out, "t", new Trials.Plan(false, 1, 3), List.of(contender("a")),
                r -> r, sofar -> {
                    asked.add(sofar.of("a row").size());
                    return sofar.of("a row").size() < 3 ? "want more" : null;
                });
        assertEquals(List.of("a@1", "a@2", "a@3"), ran, "no warm-up trials when the plan has none");
        assertEquals(List.of(1, 2, 3), asked, "asked before each extra round, with the results so far");
        assertEquals(3, results.of("a row").size());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("# round 2: want more"));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("trial 3+"));

        ran.clear();
        Trials.run(out, "t", new Trials.Plan(false, 1, 2), List.of(contender("a")), r -> r, sofar -> "always");
        assertEquals(List.of("a@1", "a@2", "a@3"), ran, "at most the planned extra rounds");
    }

    @Test
    void mediansRangesAndPerRoundRatios() {
        assertEquals(2.0, Trials.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Trials.median(new double[] {4, 1, 3, 2}));
        assertTrue(Double.isNaN(Trials.median(new double[0])));
        List<Double> v = List.of(5.0, 1.0, 3.0, 9.0);
        assertEquals(4.0, Trials.median(v, x -> x));
        assertEquals(1.0, Trials.min(v, x -> x));
        assertEquals(9.0, Trials.max(v, x -> x));
        assertEquals(5.0, Trials.medianTrial(v, x -> x), "the upper middle one of an even count");
        assertEquals("2.00 0.50", Trials.perRound(List.of(4.0, 1.0), List.of(2.0, 2.0, 7.0), x -> x));
    }

    @Test
    void thePairedMedianIsTheMedianOfEachRoundsRatioOverTheRoundsBothSidesCount() {
        // Round 2 is slow for both sides: its ratio is as good as any, where a ratio of medians would mix rounds.
        List<Double> a = List.of(110.0, 55.0, 120.0, 90.0);
        List<Double> b = List.of(100.0, 50.0, 100.0, 100.0);
        assertEquals(1.1, Trials.pairedMedian(a, b, x -> x, x -> true), 1e-9);
        // Values below 60 mark a disturbed trial: round 2 drops out on both sides, leaving 1.1, 1.2, 0.9.
        assertEquals(1.1, Trials.pairedMedian(a, b, x -> x, x -> x >= 60), 1e-9);
        assertEquals("1.10 (1.10) 1.20 0.90", Trials.perRound(a, b, x -> x, x -> x >= 60));
        // One side disturbed in round 4 only: that round goes too.
        List<Double> c = List.of(110.0, 130.0, 120.0, 50.0);
        assertEquals(1.15, Trials.pairedMedian(c, b, x -> x, x -> x >= 60), 1e-9);
        // No round where both count: every round counts, and none is in parentheses.
        assertEquals(1.0, Trials.pairedMedian(List.of(1.0, 3.0), List.of(1.0, 3.0), x -> x, x -> false), 1e-9);
        assertEquals("1.00 1.00", Trials.perRound(List.of(1.0, 3.0), List.of(1.0, 3.0), x -> x, x -> false));
        assertTrue(Double.isNaN(Trials.pairedMedian(List.<Double>of(), List.of(1.0), x -> x, x -> true)));
    }
}
