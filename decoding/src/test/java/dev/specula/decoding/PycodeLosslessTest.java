package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.sampling.SamplerConfig;
import dev.specula.gguf.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every strategy on the real pycode models (target 19m Q4_0, draft 7m Q8_0), 20 prompts from the bench set:
 * greedy output identical to AR greedy token for token (the engine's batched forward is bit-identical).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PycodeLosslessTest {
    private static final int PROMPTS = 20;
    private static final int NEW_TOKENS = 24;
    private Parallel pool;
    private LlamaModel target;
    private LlamaModel draft;
    private List<int[]> prompts;
    private final List<int[]> reference = new ArrayList<>();

    @BeforeAll
    void load() throws Exception {
        var dir = SharedData.require("models/pycode");
        pool = new Parallel(2);
        target = LlamaModel.load(dir.resolve("pycode-19m-q4_0.gguf"), pool);
        draft = LlamaModel.load(dir.resolve("pycode-7m-q8_0.gguf"), pool);
        prompts = PycodePrompts.load(target.tokenizer(), PROMPTS, 32);
        Generator ar = Generator.builder().target(target).strategy(StrategyKind.AR).build();
        for (int[] p : prompts) reference.add(ar.generate(p, NEW_TOKENS, null).ids());
    }

    @AfterAll
    void close() {
        if (draft != null) draft.close();
        if (target != null) target.close();
        if (pool != null) pool.close();
    }

    @ParameterizedTest
    @EnumSource(value = StrategyKind.class, names = {"SPECULATIVE", "LOOKUP", "JACOBI", "LOOKAHEAD", "ADED", "AUTO"})
    void greedyOutputIsIdenticalToAutoregressive(StrategyKind kind) {
        Generator g = Generator.builder().target(target).drafts(List.of(draft)).strategy(kind)
                .options(DecodingOptions.builder().draftMax(4).build()).build();
        long forwards = 0;
        for (int i = 0; i < prompts.size(); i++) {
            GenerationResult r = g.generate(prompts.get(i), NEW_TOKENS, null);
            assertArrayEquals(reference.get(i), r.ids(), kind + " differs from AR on prompt " + i);
            forwards += r.stats().targetForwards();
        }
        assertTrue(forwards <= (long) PROMPTS * NEW_TOKENS, kind + " used more target forwards than AR: " + forwards);
    }

    @Test
    void cosGreedyIsIdenticalToCollaborativeGreedy() {
        for (double alpha : new double[] {0, 0.1}) {
            DecodingOptions options = DecodingOptions.builder().draftMax(3).contrastiveAlpha(alpha).build();
            Generator oracle = Generator.builder().target(target).drafts(List.of(draft)).strategy(StrategyKind.COLLABORATIVE).options(options).build();
            Generator cos = Generator.builder().target(target).drafts(List.of(draft)).strategy(StrategyKind.COS).options(options).build();
            for (int i = 0; i < 8; i++) {
                int[] p = prompts.get(i);
                assertArrayEquals(oracle.generate(p, NEW_TOKENS, null).ids(), cos.generate(p, NEW_TOKENS, null).ids(),
                        "CoS (alpha " + alpha + ") differs from collaborative decoding on prompt " + i);
            }
        }
    }

    @Test
    void selfDraftAcceptsEveryToken() {
        Generator g = Generator.builder().target(draft).drafts(List.of(draft)).strategy(StrategyKind.SPECULATIVE)
                .options(DecodingOptions.builder().draftMax(4).build()).build();
        GenerationResult r = g.generate(prompts.get(0), 30, null);
        assertEquals(1.0, r.stats().acceptanceRate(), r.stats().summary());
        assertEquals(6, r.stats().targetForwards(), r.stats().summary());
        Generator sampled = Generator.builder().target(draft).drafts(List.of(draft)).strategy(StrategyKind.SPECULATIVE)
                .sampler(SamplerConfig.defaults(7)).options(DecodingOptions.builder().draftMax(4).build()).build();
        assertEquals(1.0, sampled.generate(prompts.get(1), 30, null).stats().acceptanceRate());
    }

    @ParameterizedTest
    @EnumSource(value = StrategyKind.class, names = {"SPECULATIVE", "ADED", "LOOKAHEAD", "JACOBI"})
    void cacheRowsLeftByRollbacksAndCompactionsAreReusedCorrectly(StrategyKind kind) {
        // the second call extends the first call's text, so it reuses the cache rows the first call left behind
        // after its truncations / tree compactions: any off-by-one there changes the continuation
        Generator g = Generator.builder().target(target).drafts(List.of(draft)).strategy(kind)
                .options(DecodingOptions.builder().fallbackToAr(false).build()).build();
        Generator fresh = Generator.builder().target(target).strategy(StrategyKind.AR).build();
        for (int i = 2; i < 4; i++) {
            int[] p = prompts.get(i);
            int[] first = g.generate(p, 12, null).ids();
            int[] extended = java.util.Arrays.copyOf(p, p.length + first.length);
            System.arraycopy(first, 0, extended, p.length, first.length);
            GenerationResult second = g.generate(extended, 12, null);
            assertArrayEquals(fresh.generate(extended, 12, null).ids(), second.ids(), kind + " prompt " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = StrategyKind.class, names = {"JACOBI"}, mode = EnumSource.Mode.EXCLUDE)
    void everyStrategySamplesWithTheDefaultSamplerChain(StrategyKind kind) {
        // llama.cpp's default chain (top-k 40, top-p 0.95, min-p 0.05, T 0.8) through each strategy's sampling path
        Generator g = Generator.builder().target(target).drafts(List.of(draft)).strategy(kind)
                .sampler(SamplerConfig.defaults(11)).options(DecodingOptions.builder().draftMax(4).build()).build();
        for (int i = 0; i < 2; i++) {
            GenerationResult r = g.generate(prompts.get(i), 16, null);
            assertTrue(r.stopReason() == StopReason.MAX_TOKENS || r.stopReason() == StopReason.END_OF_GENERATION, kind + ": " + r.stopReason());
            assertTrue(r.stopReason() != StopReason.MAX_TOKENS || r.ids().length == 16, kind + " produced " + r.ids().length + " tokens");
            for (int id : r.ids()) assertTrue(id >= 0 && id < target.config().vocabSize());
        }
    }

    @Test
    void jacobiRefusesSampling() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Generator.builder().target(target)
                .strategy(StrategyKind.JACOBI).sampler(SamplerConfig.defaults(1)).build());
        assertTrue(e.getMessage().contains("greedy-only"), e.getMessage());
    }
}
