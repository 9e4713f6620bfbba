package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every strategy on synthetic models: greedy output identical to AR, self-drafting accepts everything, and the
 * toy sequences' strict contract checks catch rollback and position off-by-one errors along the way.
 */
class ToyStrategyTest {
    static final int V = 16;
    static final ToyModel TARGET = new ToyModel("toy-target", V, 1, 2, 0.0, 2.0);
    static final ToyModel DRAFT = new ToyModel("toy-draft", V, 1, 3, 0.6, 2.0);
    static final ToyModel DRAFT2 = new ToyModel("toy-draft2", V, 1, 4, 0.9, 2.0);

    static Generator generator(StrategyKind kind, SamplerConfig sampler, DecodingOptions options, ToyModel... drafts) {
        return Generator.builder().target(TARGET).draftModels(List.of(drafts)).strategy(kind).sampler(sampler).options(options).build();
    }

    @ParameterizedTest
    @EnumSource(value = StrategyKind.class, names = {"SPECULATIVE", "LOOKUP", "JACOBI", "LOOKAHEAD", "ADED", "AUTO"})
    void greedyOutputIsIdenticalToAutoregressive(StrategyKind kind) {
        Generator ar = generator(StrategyKind.AR, SamplerConfig.greedy(), DecodingOptions.defaults());
        // always drafting (the forward savings are checked on it), and with the cost-model fallback, which mixes
        // drafting and AR steps as the measured timings say
        Generator g = generator(kind, SamplerConfig.greedy(), DecodingOptions.builder().draftMax(4).fallbackToAr(false).build(), DRAFT);
        Generator costAware = generator(kind, SamplerConfig.greedy(), DecodingOptions.builder().draftMax(4).build(), DRAFT);
        long[] stepsSaved = {0};
        ToyExact.forEachPrompt(24, V, 42, 20, (i, prompt) -> {
            GenerationResult expected = ar.generate(prompt, 40, null);
            GenerationResult actual = g.generate(prompt, 40, null);
            assertArrayEquals(expected.ids(), actual.ids(), kind + " prompt " + i);
            assertEquals(40, actual.ids().length);
            assertArrayEquals(expected.ids(), costAware.generate(prompt, 40, null).ids(), kind + " (cost-aware) prompt " + i);
            stepsSaved[0] += expected.stats().targetForwards() - actual.stats().targetForwards();
        });
        assertTrue(stepsSaved[0] > 0, kind + " never saved a target forward");
    }

    @Test
    void listenerSeesEveryTokenInOrderAndCanStop() {
        Generator g = generator(StrategyKind.SPECULATIVE, SamplerConfig.greedy(), DecodingOptions.defaults(), DRAFT);
        int[] prompt = {1, 2, 3, 4};
        int[] full = g.generate(prompt, 30, null).ids();
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        GenerationResult r = g.generate(prompt, 30, id -> { seen.add(id); return seen.size() < 7; });
        assertEquals(StopReason.LISTENER, r.stopReason());
        assertArrayEquals(java.util.Arrays.copyOf(full, 7), r.ids());
        assertEquals(7, seen.size());
        for (int i = 0; i < 7; i++) assertEquals(full[i], seen.get(i));
    }

    @Test
    void selfDraftAcceptsEveryDraftGreedyAndSampled() {
        ToyModel twin = new ToyModel("toy-twin", V, 1, 2, 0.0, 2.0);
        for (SamplerConfig sc : List.of(SamplerConfig.greedy(), SamplerConfig.pure(1f, 5))) {
            Generator g = Generator.builder().target(TARGET).draftModels(List.of(twin)).strategy(StrategyKind.SPECULATIVE)
                    .sampler(sc).options(DecodingOptions.builder().draftMax(4).build()).build();
            GenerationResult r = g.generate(new int[] {3, 1, 4, 1, 5}, 41, null);
            assertEquals(1.0, r.stats().acceptanceRate(), "self-draft acceptance with " + sc);
            assertEquals(41, r.ids().length);
            // 41 tokens at gamma 4 + bonus = 5 per target forward
            assertEquals(9, r.stats().targetForwards(), "target forwards with " + sc);
        }
    }

    @Test
    void rollbackAcrossManyRejectionsKeepsCachesConsistent() {
        // a poor draft rejects often; the toy sequences throw on any inconsistent cache row or position
        ToyModel poor = new ToyModel("toy-poor", V, 9, 9, 0.0, 2.0);
        Generator ar = generator(StrategyKind.AR, SamplerConfig.greedy(), DecodingOptions.defaults());
        Generator g = generator(StrategyKind.SPECULATIVE, SamplerConfig.greedy(), DecodingOptions.builder().draftMax(6).build(), poor);
        int[] prompt = {5, 6, 7};
        assertArrayEquals(ar.generate(prompt, 60, null).ids(), g.generate(prompt, 60, null).ids());
        Generator sampled = generator(StrategyKind.SPECULATIVE, SamplerConfig.pure(1.2f, 3), DecodingOptions.builder().draftMax(6).build(), poor);
        for (int i = 0; i < 20; i++) assertEquals(60, sampled.generate(prompt, 60, null).ids().length);
    }

    @Test
    void adaptiveGammaStaysLossless() {
        Generator ar = generator(StrategyKind.AR, SamplerConfig.greedy(), DecodingOptions.defaults());
        Generator g = generator(StrategyKind.SPECULATIVE, SamplerConfig.greedy(),
                DecodingOptions.builder().draftMax(8).adaptiveGamma(true).build(), DRAFT);
        int[] prompt = {9, 8, 7, 6};
        assertArrayEquals(ar.generate(prompt, 50, null).ids(), g.generate(prompt, 50, null).ids());
    }

    @Test
    void contextLimitStopsCleanly() {
        Generator g = generator(StrategyKind.SPECULATIVE, SamplerConfig.greedy(), DecodingOptions.builder().contextLength(32).build(), DRAFT);
        GenerationResult r = g.generate(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 100, null);
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        assertEquals(32 - 10 + 1, r.ids().length);
        Generator ar = generator(StrategyKind.AR, SamplerConfig.greedy(), DecodingOptions.builder().contextLength(32).build());
        assertArrayEquals(ar.generate(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 100, null).ids(), r.ids());
    }

    @Test
    void badInputIsRefusedWithClearMessages() {
        Generator g = generator(StrategyKind.AR, SamplerConfig.greedy(), DecodingOptions.defaults());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.generate(new int[0], 5, null)).getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.generate(new int[] {1, 99}, 5, null)).getMessage().contains("99"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.generate(new int[300], 5, null)).getMessage().contains("context limit"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> generator(StrategyKind.SPECULATIVE, SamplerConfig.greedy(), DecodingOptions.defaults())).getMessage().contains("draft"));
        ToyModel other = new ToyModel("toy-other", V + 1, 1, 2, 0, 1);
        assertThrows(IncompatibleVocabularyException.class, () -> Generator.builder().target(TARGET).draftModels(List.of(other))
                .strategy(StrategyKind.SPECULATIVE).build());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StrategyKind.parse("warp")).getMessage().contains("warp"));
        assertEquals(StrategyKind.SPECULATIVE, StrategyKind.parse("spec"));
        assertEquals(StrategyKind.LOOKUP, StrategyKind.parse("prompt-lookup"));
        assertEquals(StrategyKind.COLLABORATIVE, StrategyKind.parse("Collaborative"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DecodingOptions.builder().ngram(2).build()).getMessage().contains("ngram"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DecodingOptions.builder().draftMax(0).build()).getMessage().contains("draftMax"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> DecodingOptions.builder().cosWeights(List.of(0.0, 0.0)).build()).getMessage().contains("weights"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Generator.builder().target(TARGET).strategy(StrategyKind.AUTO)
                .options(DecodingOptions.builder().autoArms(List.of(StrategyKind.COS)).build()).build()).getMessage().contains("COS"));
    }

    @Test
    void speculativeSamplingFollowsTheTargetDistribution() {
        SamplerConfig sc = new SamplerConfig(0.9f, 10, 0.97f, 0f, 1f, 0f, 0f, 64, Map.of(), 77);
        ToyModel far = new ToyModel("toy-far", V, 1, 5, 1.5, 2.0); // far from the target
        Generator g = generator(StrategyKind.SPECULATIVE, sc, DecodingOptions.builder().draftMax(3).build(), far);
        int[] prompt = {2, 7, 1};
        double[] exact = ToyExact.joint(ToyExact.of(TARGET, sc), V, prompt, 2);
        long[] counts = new long[exact.length];
        for (int s = 0; s < 20_000; s++) counts[ToyExact.index(g.generate(prompt, 2, null).ids(), V, 2)]++;
        double pValue = GoodnessOfFit.pValue(exact, counts);
        assertTrue(pValue > 0.01, "speculative sampling: chi-square p-value " + pValue);
    }
}
