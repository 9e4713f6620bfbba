package dev.specula.bench.strategies;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.bench.prediction.CostCurve;
import dev.specula.decoding.StrategyKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategyTallyTest {
    private static StrategyTally ar() {
        StrategyTally t = new StrategyTally("ar");
        t.add(new StrategyTally.RunRecord(0, 0, 100, 1000, 100, 0, 0, 0)); // 100 tok/s
        t.add(new StrategyTally.RunRecord(1, 0, 100, 2000, 100, 0, 0, 0)); // 50 tok/s
        return t;
    }

    private static StrategyTally speculative() {
        StrategyTally t = new StrategyTally("speculative");
        t.add(new StrategyTally.RunRecord(0, 0, 100, 500, 40, 160, 160, 60));  // 200 tok/s
        t.add(new StrategyTally.RunRecord(1, 0, 100, 1000, 40, 160, 160, 60)); // 100 tok/s
        return t;
    }

    @Test
    void aggregatesRatesOverAllRuns() {
        StrategyTally s = speculative();
        assertEquals(200 / 1.5, s.tokensPerSecond(), 1e-12);
        assertEquals(150.0, s.perRunTokensPerSecond().median());
        assertEquals(2.5, s.tokensPerForward());
        assertEquals(0.375, s.acceptanceRate());
        assertEquals(5.0, s.rowsPerForward()); // 1 + 320 drafted / 80 forwards
        assertEquals(4.0, s.draftForwardsPerTargetForward());
    }

    @Test
    void speedupIsTheMeanOfPerPromptRatios() {
        assertEquals(2.0, speculative().speedupOver(ar()));
        assertEquals(1.0, ar().speedupOver(ar()));
    }

    @Test
    void predictedSpeedupUsesTheMeasuredCurveAndDraftCost() {
        CostCurve curve = new CostCurve(new int[] {1, 2, 4, 8}, new double[] {10, 12, 14, 20});
        // 2.5 tokens per forward; C(5) = 15.5; 4 draft forwards of 1 ms: 25 / 19.5
        assertEquals(25 / 19.5, speculative().predictedSpeedup(curve, 1.0), 1e-15);
        assertEquals(1.0, ar().predictedSpeedup(curve, Double.NaN));
        assertTrue(Double.isNaN(ar().acceptanceRate()), "nothing drafted");
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
