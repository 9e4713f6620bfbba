package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The model-free drafters (n-gram lookup, ADED trees, lookahead) under sampling: tree sample-and-match keeps the
 * target distribution exactly (chi-square on the first two tokens, through the whole generate path), and trees
 * that branch are verified and compacted correctly.
 */
class DraftingSamplingTest {
    static final int V = ToyStrategyTest.V;
    static final ToyModel TARGET = ToyStrategyTest.TARGET;

    /** A prompt that repeats the target's own greedy continuation, so drafts are often right. */
    static int[] selfRepeatingPrompt() {
        Generator ar = Generator.builder().target(TARGET).build();
        int[] seed = {3, 11, 5};
        int[] g = ar.generate(seed, 8, null).ids();
        int[] p = new int[seed.length + 2 * g.length];
        System.arraycopy(seed, 0, p, 0, seed.length);
        System.arraycopy(g, 0, p, seed.length, g.length);
        System.arraycopy(g, 0, p, seed.length + g.length, 6); // stop mid-way: the rest is predictable
        return java.util.Arrays.copyOf(p, seed.length + g.length + 6);
    }

    @ParameterizedTest
    @EnumSource(value = StrategyKind.class, names = {"LOOKUP", "ADED", "LOOKAHEAD", "AUTO"})
    void samplingFollowsTheTargetDistribution(StrategyKind kind) {
        SamplerConfig sc = new SamplerConfig(0.7f, 8, 0.98f, 0.01f, 1f, 0f, 0f, 64, Map.of(), 31);
        int[] prompt = selfRepeatingPrompt();
        double[] exact = ToyExact.joint(ToyExact.of(TARGET, sc), V, prompt, 2);
        Generator g = Generator.builder().target(TARGET).strategy(kind).sampler(sc)
                .options(DecodingOptions.builder().draftMax(4).window(3).candidates(3).fallbackToAr(false).build()).build();
        long[] counts = new long[exact.length];
        long accepted = 0;
        for (int s = 0; s < 20_000; s++) {
            GenerationResult r = g.generate(prompt, 2, null);
            counts[ToyExact.index(r.ids(), V, 2)]++;
            accepted += r.stats().acceptedDrafts();
        }
        double pValue = GoodnessOfFit.pValue(exact, counts);
        assertTrue(pValue > 0.01, kind + ": chi-square p-value " + pValue);
        if (kind != StrategyKind.AUTO) assertTrue(accepted > 2_000, kind + " accepted only " + accepted + " drafts: the test would not exercise the tree walk");
    }

    @Test
    void branchingTreesAreCompactedAndStayLossless() {
        ToyModel target = new ToyModel("toy-branchy", V, 5, 6, 0.0, 1.2);
        Generator ar = Generator.builder().target(target).build();
        int before = target.movingCompactions;
        for (StrategyKind kind : List.of(StrategyKind.ADED, StrategyKind.LOOKAHEAD)) {
            Generator g = Generator.builder().target(target).strategy(kind)
                    .options(DecodingOptions.builder().adedMaxNodes(24).window(4).candidates(6).ngram(4).fallbackToAr(false).build()).build();
            ToyExact.forEachPrompt(20, V, 99, 30, (i, prompt) ->
                    assertArrayEquals(ar.generate(prompt, 40, null).ids(), g.generate(prompt, 40, null).ids(), kind + " prompt " + i));
        }
        assertTrue(target.movingCompactions > before, "no tree path other than the first branch was ever accepted");
    }
}
