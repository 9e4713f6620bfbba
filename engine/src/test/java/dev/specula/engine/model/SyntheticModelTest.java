package dev.specula.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.Parallel;
import dev.specula.gguf.GgmlType;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Synthetic random-weight models (qwen2 biases, qwen3 q/k norms, NeoX and normal RoPE, partial RoPE,
 * linear and per-dimension RoPE scaling, GQA, tied and separate classifiers, every weight type)
 * checked against {@link ReferenceForward}, an independent double-precision forward pass over the
 * same dequantized weights. The engine keeps F32 activations, so the only differences are float
 * rounding: logits must agree to 2e-4 (they span about ±5).
 */
class SyntheticModelTest {
    private static final int[] TOKENS = {1, 17, 5, 96, 42, 3, 3, 77, 60, 8, 0, 31};
    private static Parallel pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    /** Feeds the first 5 tokens as one batch and the rest one by one; compares every row with the reference. */
    private double check(SyntheticModel spec, String name) throws Exception {
        Path file = dir.resolve(name + ".gguf");
        spec.write(file);
        double[][] expected = ReferenceForward.logits(file, TOKENS);
        double worst = 0;
        try (LlamaModel model = LlamaModel.load(file, pool)) {
            int vocab = model.config().vocabSize();
            ModelSession s = model.newSession(32);
            int first = 5;
            int[] rows = new int[first], pos = new int[first];
            for (int i = 0; i < first; i++) rows[i] = pos[i] = i;
            float[] batch = s.forward(java.util.Arrays.copyOf(TOKENS, first), pos, AttentionMask.causal(first), rows);
            for (int t = 0; t < TOKENS.length; t++) {
                float[] logits = t < first ? batch : s.forwardChain(new int[] {TOKENS[t]});
                int off = t < first ? t * vocab : 0;
                for (int i = 0; i < vocab; i++) {
                    double d = Math.abs(logits[off + i] - expected[t][i]);
                    worst = Math.max(worst, d);
                    assertTrue(d < 2e-4, name + ": position " + t + " logit " + i + " = " + logits[off + i] + ", reference " + expected[t][i]);
                }
            }
        }
        return worst;
    }

    private static SyntheticModel model(Consumer<SyntheticModel> setup) {
        SyntheticModel m = SyntheticModel.llama();
        setup.accept(m);
        return m;
    }

    @Test
    void llamaWithGqaAndTiedEmbeddings() throws Exception {
        check(model(m -> { }), "llama-gqa");
    }

    @Test
    void llamaWithSeparateClassifierAndPartialRope() throws Exception {
        check(model(m -> {
            m.tied = false;
            m.ropeDim = 8;
            m.kvHeads = 4;
        }), "llama-partial-rope");
    }

    @Test
    void llamaWithLlama31RopeFrequencyDivisorsAndLinearScaling() throws Exception {
        check(model(m -> {
            m.ropeFreqsTensor = true;
            m.ropeBase = 500000f;
        }), "llama-rope-freqs");
        check(model(m -> m.ropeLinearFactor = 4f), "llama-linear-rope");
    }

    @Test
    void qwen2WithQkvBiasesAndNeoxRope() throws Exception {
        check(model(m -> {
            m.arch = "qwen2";
            m.qkvBias = true;
            m.tied = false;
            m.ropeBase = 1000000f;
        }), "qwen2");
    }

    @Test
    void qwen3WithPerHeadQkNormAndWideHeads() throws Exception {
        check(model(m -> {
            m.arch = "qwen3";
            m.qkNorm = true;
            m.heads = 4;
            m.kvHeads = 1;
            m.headDim = 32; // q width 128 != dim 64, as Qwen3 does
        }), "qwen3");
    }

    static Stream<GgmlType> weightTypes() {
        return Stream.of(GgmlType.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weightTypes")
    void everyWeightType(GgmlType type) throws Exception {
        double worst = check(model(m -> {
            m.matrixType = type;
            m.dim = 256; // K-quant rows need 256-element blocks
            m.ffn = 256;
            m.heads = 4;
            m.kvHeads = 2;
            m.layers = 1;
        }), "type-" + type);
        System.out.printf("synthetic %s model: worst |logit - reference| = %.3g%n", type, worst);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q6_K"})
    void quantizedEmbeddingWithF32Layers(GgmlType embeddingType) throws Exception {
        check(model(m -> {
            m.embeddingType = embeddingType;
            m.dim = 256;
            m.ffn = 256;
        }), "embedding-" + embeddingType);
    }

    @Test
    void configurationIsReadFromMetadata() throws Exception {
        Path file = dir.resolve("cfg.gguf");
        SyntheticModel m = model(s -> {
            s.arch = "qwen3";
            s.qkNorm = true;
            s.headDim = 32;
            s.ropeLinearFactor = 2f;
        });
        m.write(file);
        try (LlamaModel model = LlamaModel.load(file, pool)) {
            ModelConfig c = model.config();
            assertEquals("qwen3", c.architecture());
            assertEquals(97, c.vocabSize());
            assertEquals(64, c.contextLength());
            assertEquals(64, c.dim());
            assertEquals(2, c.layers());
            assertEquals(4, c.heads());
            assertEquals(2, c.kvHeads());
            assertEquals(32, c.headDim());
            assertEquals(128, c.qDim());
            assertEquals(96, c.ffnDim());
            assertEquals(RopeLayout.NEOX, c.ropeLayout());
            assertEquals(32, c.ropeDim());
            assertEquals(0.5f, c.ropeFreqScale());
            assertEquals(1e-6f, c.normEps());
            assertTrue(c.qkNorm());
            assertEquals(64, model.newSession().capacity());
        }
    }
}
