package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decode profile counts the rows of every target and draft forward of the decode loop (not the prefill). */
class DecodeProfileTest {
    @Test
    void arRunsOneSingleRowForwardPerToken() {
        GenerationResult r = Generator.builder().target(ToyStrategyTest.TARGET).build().generate(new int[] {1, 2, 3}, 10, null);
        DecodeProfile p = r.stats().profile();
        assertEquals(10, p.target().forwards(1));
        assertEquals(10, p.target().totalForwards());
        assertEquals(10, r.stats().verifiedRows());
        assertEquals(1.0, r.stats().rowsPerForward());
        assertEquals(0, p.draft().totalForwards());
        assertTrue(p.otherMs() >= 0 && p.targetForwardMs() + p.otherMs() <= r.stats().decodeMs() + 1e-9, p.summary());
    }

    @Test
    void speculativeRowsAndDraftCatchUpsAreCounted() {
        ToyModel twin = new ToyModel("toy-twin", ToyStrategyTest.V, 1, 2, 0.0, 2.0); // drafts exactly the target's tokens
        Generator g = Generator.builder().target(ToyStrategyTest.TARGET).draftModels(List.of(twin)).strategy(StrategyKind.SPECULATIVE)
                .sampler(SamplerConfig.greedy()).options(DecodingOptions.builder().draftMax(4).build()).build();
        GenerationResult r = g.generate(new int[] {3, 1, 4, 1, 5}, 41, null);
        DecodeProfile p = r.stats().profile();
        // 8 steps verify x_last + 4 drafts (5 tokens each); the 41st token is a single-row step (no budget left)
        assertEquals(8, p.target().forwards(5));
        assertEquals(1, p.target().forwards(1));
        assertEquals(41, p.verifiedRows());
        // draft: step 1 feeds x_last then 3 drafts; steps 2-8 catch up 2 rows (the 4th draft + the bonus) then 3 drafts;
        // the draft's prefill of the prompt (in begin) is not decoding and not counted
        assertEquals(25, p.draft().forwards(1));
        assertEquals(7, p.draft().forwards(2));
        assertEquals(32, r.stats().draftForwards());
        assertEquals(39, p.draft().totalRows());
    }

    @Test
    void histogramsAddUpAndPredictFromACostFunction() {
        RowHistogram a = new RowHistogram(new long[] {0, 3, 0, 1}, new double[] {0, 30, 0, 25});
        RowHistogram b = new RowHistogram(new long[] {0, 1}, new double[] {0, 12});
        RowHistogram sum = a.plus(b);
        assertEquals(4, sum.forwards(1));
        assertEquals(1, sum.forwards(3));
        assertEquals(67.0, sum.totalMs());
        assertEquals(7, sum.totalRows());
        assertEquals(3, sum.maxRows());
        assertEquals(1.4, sum.rowsPerForward(), 1e-12);
        assertEquals(4 * 10.0 + 1 * 30.0, sum.sumOver(r -> 10.0 * r * r / (r == 3 ? 3 : r)));
        assertEquals("1x4 3x1", sum.counts());
        assertEquals("none", RowHistogram.EMPTY.counts());
        assertThrows(IllegalArgumentException.class, () -> new RowHistogram(new long[2], new double[3]));
        DecodeProfile p = new DecodeProfile(a, b, 5).plus(new DecodeProfile(b, RowHistogram.EMPTY, 2));
        assertEquals(7.0, p.otherMs());
        assertEquals(5, p.target().totalForwards());
        assertEquals("target rows 1x4 3x1: 67.0 ms; draft rows 1x1: 12.0 ms; other 7.0 ms", p.summary());
    }
}
