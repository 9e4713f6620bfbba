package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** CoS against the standard collaborative decoder on synthetic models: greedy identity and exact sampling of r. */
class CosToyTest {
    static final int V = ToyStrategyTest.V;
    static final ToyModel TARGET = ToyStrategyTest.TARGET;
    static final ToyModel DRAFT = ToyStrategyTest.DRAFT;
    static final ToyModel DRAFT2 = ToyStrategyTest.DRAFT2;

    static Generator build(StrategyKind kind, SamplerConfig sc, DecodingOptions options, ToyModel... extras) {
        return Generator.builder().target(TARGET).draftModels(List.of(extras)).strategy(kind).sampler(sc).options(options).build();
    }

    @ParameterizedTest(name = "models={0} gamma={1} alternate={2} alpha={3}")
    @CsvSource({"2,1,true,0", "2,5,true,0", "2,5,false,0", "3,1,false,0", "3,5,true,0", "2,1,true,0.1", "2,5,true,0.1", "2,4,false,0.3"})
    void greedyCosIsIdenticalToCollaborativeGreedy(int models, int gamma, boolean alternate, double alpha) {
        ToyModel[] extras = models == 2 ? new ToyModel[] {DRAFT} : new ToyModel[] {DRAFT, DRAFT2};
        DecodingOptions options = DecodingOptions.builder().draftMax(gamma).alternate(alternate).contrastiveAlpha(alpha).build();
        Generator oracle = build(StrategyKind.COLLABORATIVE, SamplerConfig.greedy(), options, extras);
        Generator cos = build(StrategyKind.COS, SamplerConfig.greedy(), options, extras);
        long[] forwards = new long[2];
        ToyExact.forEachPrompt(20, V, 7, 12, (i, prompt) -> {
            GenerationResult expected = oracle.generate(prompt, 32, null);
            GenerationResult actual = cos.generate(prompt, 32, null);
            assertArrayEquals(expected.ids(), actual.ids(), "prompt " + i);
            forwards[0] += expected.stats().targetForwards();
            forwards[1] += actual.stats().targetForwards();
        });
        // never more target calls than the baseline (CoS Cor. 3.7); strictly fewer unless naive CoS with gamma = 1
        assertTrue(forwards[1] <= forwards[0], "CoS made " + forwards[1] + " target calls, collaborative " + forwards[0]);
        if (gamma > 1 || (alternate && models == 2))
            assertTrue(forwards[1] < forwards[0], "CoS made " + forwards[1] + " target calls, collaborative " + forwards[0]);
    }

    @Test
    void identicalModelsAcceptEverythingAndExerciseTheRoleSwap() {
        ToyModel twin = new ToyModel("toy-twin", V, 1, 2, 0.0, 2.0);
        Generator cos = build(StrategyKind.COS, SamplerConfig.pure(1f, 3), DecodingOptions.builder().draftMax(3).build(), twin);
        GenerationResult r = cos.generate(new int[] {1, 2, 3}, 40, null);
        assertEquals(1.0, r.stats().acceptanceRate(), r.stats().summary());
        assertEquals(40, r.ids().length);
        // 3 drafts + 1 bonus per cycle, the bonus verified without a target call: 10 cycles
        assertEquals(10, r.stats().targetForwards(), r.stats().summary());
    }

    @Test
    void weightedEnsembleSamplingFollowsTheMixture() {
        SamplerConfig sc = SamplerConfig.pure(1f, 21);
        checkSampling(sc, DecodingOptions.builder().draftMax(3).cosWeights(List.of(0.5, 0.5)).build(),
                weNext(sc, new double[] {0.5, 0.5}, new float[] {1f, 1f}, TARGET, DRAFT), DRAFT);
    }

    @Test
    void alternateProposalBonusTokensFollowTheMixture() {
        // gamma 1 and 4 tokens per run: the second token is, whenever the first draft was accepted, the target's
        // bonus proposal verified against r at the next step (the role swap)
        SamplerConfig sc = SamplerConfig.pure(1f, 24);
        DecodingOptions options = DecodingOptions.builder().draftMax(1).cosWeights(List.of(0.6, 0.4)).build();
        int[] prompt = {4, 9, 4};
        double[] exact = ToyExact.joint(weNext(sc, new double[] {0.6, 0.4}, new float[] {1f, 1f}, TARGET, DRAFT), V, prompt, 2);
        Generator g = build(StrategyKind.COS, sc, options, DRAFT);
        long[] counts = new long[exact.length];
        long bonusVerifications = 0;
        for (int s = 0; s < 20_000; s++) {
            GenerationResult r = g.generate(prompt, 4, null);
            counts[ToyExact.index(r.ids(), V, 2)]++;
            bonusVerifications += r.stats().steps() - r.stats().targetForwards();
        }
        assertTrue(bonusVerifications > 5_000, "the bonus path ran only " + bonusVerifications + " times");
        double pValue = GoodnessOfFit.pValue(exact, counts);
        assertTrue(pValue > 0.01, "CoS alternate proposals: chi-square p-value " + pValue);
    }

    @Test
    void weightedEnsembleOfThreeModelsWithOwnTemperaturesFollowsTheMixture() {
        SamplerConfig sc = new SamplerConfig(1f, 12, 1f, 0f, 1f, 0f, 0f, 64, java.util.Map.of(), 22);
        DecodingOptions options = DecodingOptions.builder().draftMax(2).cosWeights(List.of(2.0, 1.0, 1.0))
                .cosTemperatures(List.of(0.8, 1.3, 1.0)).build();
        checkSampling(sc, options, weNext(sc, new double[] {0.5, 0.25, 0.25}, new float[] {0.8f, 1.3f, 1f}, TARGET, DRAFT, DRAFT2), DRAFT, DRAFT2);
    }

    @Test
    void contrastiveSamplingFollowsTheContrastiveDistribution() {
        SamplerConfig sc = SamplerConfig.pure(1f, 23);
        double alpha = 0.3;
        Sampler sampler = new Sampler(sc, V);
        ToyExact.Next next = (ctx, len, out) -> {
            float[] a = TARGET.logits(ctx, len), b = DRAFT.logits(ctx, len);
            float[] l = new float[V];
            for (int v = 0; v < V; v++) l[v] = a[v] - (float) alpha * b[v];
            sampler.distribution(l, 0, ctx, 0, out);
        };
        checkSampling(sc, DecodingOptions.builder().draftMax(3).contrastiveAlpha(alpha).build(), next, DRAFT);
    }

    @Test
    void contrastiveDecodingNeedsExactlyTwoModels() {
        assertThrows(IllegalArgumentException.class, () -> build(StrategyKind.COS, SamplerConfig.greedy(),
                DecodingOptions.builder().contrastiveAlpha(0.1).build(), DRAFT, DRAFT2));
        assertThrows(IllegalArgumentException.class, () -> build(StrategyKind.COS, SamplerConfig.greedy(),
                DecodingOptions.builder().cosWeights(List.of(1.0, 1.0, 1.0)).build(), DRAFT));
    }

    /** Independent statement of WE: r = sum_i w_i * softmax(l_i / T_i) after the shared filters. */
    static ToyExact.Next weNext(SamplerConfig sc, double[] w, float[] temps, ToyModel... models) {
        Sampler[] samplers = new Sampler[models.length];
        for (int i = 0; i < models.length; i++) samplers[i] = new Sampler(sc.withTemperature(temps[i]), V);
        return (ctx, len, out) -> {
            java.util.Arrays.fill(out, 0f);
            float[] p = new float[V];
            for (int i = 0; i < models.length; i++) {
                samplers[i].distribution(models[i].logits(ctx, len), 0, ctx, 0, p);
                for (int v = 0; v < V; v++) out[v] += (float) w[i] * p[v];
            }
        };
    }

    private static void checkSampling(SamplerConfig sc, DecodingOptions options, ToyExact.Next exactNext, ToyModel... extras) {
        int[] prompt = {4, 9, 4};
        double[] exact = ToyExact.joint(exactNext, V, prompt, 2);
        for (StrategyKind kind : List.of(StrategyKind.COS, StrategyKind.COLLABORATIVE)) {
            Generator g = build(kind, sc, options, extras);
            long[] counts = new long[exact.length];
            for (int s = 0; s < 20_000; s++) counts[ToyExact.index(g.generate(prompt, 2, null).ids(), V, 2)]++;
            double pValue = GoodnessOfFit.pValue(exact, counts);
            assertTrue(pValue > 0.01, kind + ": chi-square p-value " + pValue);
        }
    }
}
