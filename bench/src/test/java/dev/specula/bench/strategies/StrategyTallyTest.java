package dev.specula.bench.strategies;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.bench.prediction.CostCurve;
import dev.specula.decoding.DecodeProfile;
import dev.specula.decoding.RowHistogram;
import dev.specula.decoding.StrategyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyTallyTest {
    /** {@code forwards} target forwards of {@code rows} rows (targetMs in all), {@code draftForwards} single-row draft forwards. */
    static DecodeProfile profile(int rows, long forwards, double targetMs, long draftForwards, double draftMs, double otherMs) {
        long[] f = new long[rows + 1];
        double[] ms = new double[rows + 1];
        f[rows] = forwards;
        ms[rows] = targetMs;
        RowHistogram draft = draftForwards == 0 ? RowHistogram.EMPTY
                : new RowHistogram(new long[] {0, draftForwards}, new double[] {0, draftMs});
        return new DecodeProfile(new RowHistogram(f, ms), draft, otherMs);
    }

    private static StrategyTally ar() {
        StrategyTally t = new StrategyTally("ar");
        t.add(new StrategyTally.RunRecord(0, 0, 100, 1000, 100, 0, 0, 0, profile(1, 100, 990, 0, 0, 10))); // 100 tok/s
        t.add(new StrategyTally.RunRecord(1, 0, 100, 2000, 100, 0, 0, 0, profile(1, 100, 1990, 0, 0, 10))); // 50 tok/s
        return t;
    }

    private static StrategyTally speculative() {
        StrategyTally t = new StrategyTally("speculative");
        // 40 forwards of 5 rows each (x_last + 4 drafts) and 160 single-row draft forwards per run
        t.add(new StrategyTally.RunRecord(0, 0, 100, 500, 40, 160, 160, 60, profile(5, 40, 400, 160, 80, 20)));  // 200 tok/s
        t.add(new StrategyTally.RunRecord(1, 0, 100, 1000, 40, 160, 160, 60, profile(5, 40, 800, 160, 160, 40))); // 100 tok/s
        return t;
    }

    @Test
    void aggregatesRatesOverAllRuns() {
        StrategyTally s = speculative();
        assertEquals(200 / 1.5, s.tokensPerSecond(), 1e-12);
        assertEquals(150.0, s.perRunTokensPerSecond().median());
        assertEquals(2.5, s.tokensPerForward());
        assertEquals(0.375, s.acceptanceRate());
        assertEquals(5.0, s.rowsPerForward()); // 400 rows / 80 forwards, from the profiles
        assertEquals(4.0, s.draftForwardsPerTargetForward());
        DecodeProfile p = s.profile();
        assertEquals(1200.0, p.targetForwardMs());
        assertEquals(240.0, p.draftForwardMs());
        assertEquals(60.0, p.otherMs());
        assertEquals(80, p.target().forwards(5));
        assertEquals(1500.0, s.decodeMs());
    }

    @Test
    void runRecordRejectsAProfileOfOtherForwards() {
        assertThrows(IllegalArgumentException.class,
                () -> new StrategyTally.RunRecord(0, 0, 100, 500, 41, 160, 160, 60, profile(5, 40, 400, 160, 80, 20)));
    }

    @Test
    void speedupIsTheMeanOfPerPromptRatios() {
        assertEquals(2.0, speculative().speedupOver(ar()));
        assertEquals(1.0, ar().speedupOver(ar()));
    }

    @Test
    void speedupWeightsEachPromptByItsTokens() {
        StrategyTally ar = new StrategyTally("ar");
        ar.add(new StrategyTally.RunRecord(0, 0, 100, 1000, 100, 0, 0, 0, profile(1, 100, 1000, 0, 0, 0))); // 100 tok/s
        ar.add(new StrategyTally.RunRecord(1, 0, 1, 10, 1, 0, 0, 0, profile(1, 1, 10, 0, 0, 0)));            // 100 tok/s
        StrategyTally lookup = new StrategyTally("lookup");
        lookup.add(new StrategyTally.RunRecord(0, 0, 100, 500, 25, 0, 100, 75, profile(5, 25, 500, 0, 0, 0))); // 2x
        lookup.add(new StrategyTally.RunRecord(1, 0, 1, 100, 1, 0, 4, 0, profile(5, 1, 100, 0, 0, 0)));       // 0.1x
        // an answer of one token hardly counts: (100 * 2 + 1 * 0.1) / 101
        assertEquals(200.1 / 101, lookup.speedupOver(ar), 1e-12);
        CostCurve curve = new CostCurve(new int[] {1, 2, 4, 8}, new double[] {10, 12, 14, 20});
        // per run: 100 * 10 / (25 * 15.5) and 1 * 10 / 15.5, weighted the same way
        assertEquals((100 * (1000 / 387.5) + 10 / 15.5) / 101, lookup.predictedSpeedup(curve, null, null), 1e-12);
    }

    @Test
    void predictedSpeedupUsesTheMeasuredCurveAndDraftCost() {
        CostCurve curve = new CostCurve(new int[] {1, 2, 4, 8}, new double[] {10, 12, 14, 20});
        CostCurve draft = new CostCurve(new int[] {1, 2}, new double[] {1, 1.5});
        // 200 tokens; 80 forwards of C(5) = 15.5 ms; 320 draft forwards of 1 ms: 200 * 10 / (1240 + 320) = 25 / 19.5
        assertEquals(25 / 19.5, speculative().predictedSpeedup(curve, draft, null), 1e-15);
        assertTrue(Double.isNaN(speculative().predictedSpeedup(curve, null, null)), "draft forwards but no draft curve");
        assertEquals(1.0, ar().predictedSpeedup(curve, null, null));
        assertTrue(Double.isNaN(ar().acceptanceRate()), "nothing drafted");
    }

    @Test
    void predictedSpeedupAgainstTheMeasuredBaseline() {
        CostCurve curve = new CostCurve(new int[] {1, 2, 4, 8}, new double[] {10, 12, 14, 20});
        CostCurve draft = new CostCurve(new int[] {1, 2}, new double[] {1, 1.5});
        // each run: 100 tokens predicted at 40 x C(5) + 160 x D(1) = 620 + 160 = 780 ms, against AR's measured
        // 10 ms per token (prompt 0) and 20 ms per token (prompt 1): 1000 / 780 and 2000 / 780, equal token weights
        assertEquals((1000 / 780.0 + 2000 / 780.0) / 2, speculative().predictedSpeedup(curve, draft, ar()), 1e-12);
        // real / predicted is then predicted time / measured time per run: 780 / 500 and 780 / 1000
        StrategyTally spec = speculative();
        double realOverPredicted = spec.speedupOver(ar()) / spec.predictedSpeedup(curve, draft, ar());
        assertEquals((2.0 + 2.0) / 2 / ((1000 / 780.0 + 2000 / 780.0) / 2), realOverPredicted, 1e-12);
        // AR against itself: its measured time over the curve's C(1) (10 ms): 1.0 and 2.0
        assertEquals(1.5, ar().predictedSpeedup(curve, null, ar()), 1e-12);
    }

    @Test
    void losslessCheckComparesWithTheReferenceDecoder() {
        Map<StrategyKind, int[]> out = new LinkedHashMap<>();
        out.put(StrategyKind.AR, new int[] {1, 2, 3, 4});
        out.put(StrategyKind.LOOKUP, new int[] {1, 2, 3, 4});
        assertDoesNotThrow(() -> StrategiesCommand.checkLossless(StrategyKind.LOOKUP, out, "p0"));
        out.put(StrategyKind.SPECULATIVE, new int[] {1, 2, 9, 4});
        OutputMismatchException e = assertThrows(OutputMismatchException.class,
                () -> StrategiesCommand.checkLossless(StrategyKind.SPECULATIVE, out, "p0"));
        assertEquals("greedy output of speculative differs from ar on prompt 'p0' at generated token 2 (lengths 4 vs 4): "
                + "ar [1, 2, 3, 4], speculative [1, 2, 9, 4]", e.getMessage());
        // CoS follows the combined distribution: it is compared with the collaborative baseline, not AR
        out.put(StrategyKind.COS, new int[] {7, 7});
        assertDoesNotThrow(() -> StrategiesCommand.checkLossless(StrategyKind.COS, out, "p0"));
        out.put(StrategyKind.COLLABORATIVE, new int[] {7, 8});
        assertThrows(OutputMismatchException.class, () -> StrategiesCommand.checkLossless(StrategyKind.COLLABORATIVE, out, "p0"));
    }

    @Test
    void promptFileIsReadWithIdsLimitAndClearErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.jsonl");
        Files.writeString(f, "{\"id\": \"a\", \"prompt\": \"x = 1\\n\"}\n\n{\"prompt\": \"y\"}\n{\"id\": \"c\", \"prompt\": \"z\"}\n");
        assertEquals(List.of(new PromptSet.Prompt("a", "x = 1\n"), new PromptSet.Prompt("line 3", "y")), PromptSet.read(f, 2));
        assertEquals(3, PromptSet.read(f, 0).size());
        Files.writeString(f, "{\"id\": \"a\", \"prompt\": \"ok\"}\n{\"id\": \"b\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptSet.read(f, 0));
        assertTrue(e.getMessage().endsWith("p.jsonl:2: missing or empty string field \"prompt\""), e.getMessage());
        Files.writeString(f, "not json\n");
        e = assertThrows(IllegalArgumentException.class, () -> PromptSet.read(f, 0));
        assertTrue(e.getMessage().contains("p.jsonl:1: not a JSON object"), e.getMessage());
    }
}
