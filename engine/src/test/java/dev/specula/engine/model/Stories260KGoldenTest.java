package dev.specula.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.sampling.Sampler;
import dev.specula.gguf.testing.SharedData;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stories260K (karpathy/llama2.c): greedy decoding from BOS reproduces the 200 tokens of the
 * independent numpy reference (models/tinystories-260K/golden-greedy-bos.json), both from llama.cpp's
 * GGUF conversion and from our own conversion of the original llama2.c checkpoint (tied embeddings).
 */
class Stories260KGoldenTest {
    private static Parallel pool;

    @BeforeAll
    static void startPool() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    private static int[] expectedIds() throws Exception {
        int[] out = GoldenFile.ints(GoldenFile.readJson(SharedData.require("models/tinystories-260K/golden-greedy-bos.json")).get("generated_ids"));
        assertEquals(200, out.length);
        return out;
    }

    private static int[] greedyFromBos(LlamaModel model, int steps) {
        ModelSession session = model.newSession(model.config().contextLength());
        int vocab = model.config().vocabSize();
        int[] out = new int[steps];
        float[] logits = session.forwardChain(new int[] {1});
        for (int i = 0; i < steps; i++) {
            out[i] = Sampler.argmax(logits, 0, vocab);
            if (i + 1 < steps) logits = session.forwardChain(new int[] {out[i]});
        }
        return out;
    }

    @Test
    void llamaCppConversionReproducesGreedyTokens() throws Exception {
        int[] expected = expectedIds();
        try (LlamaModel model = LlamaModel.load(SharedData.require("models/tinystories-260K/stories260K-f32.gguf"), pool)) {
            assertNotNull(model.file().findTensor("output.weight"), "this conversion stores a separate classifier");
            assertArrayEquals(expected, greedyFromBos(model, expected.length));
        }
    }

    @Test
    void ownConversionOfLlama2cCheckpointReproducesGreedyTokens(@TempDir Path dir) throws Exception {
        int[] expected = expectedIds();
        Path gguf = dir.resolve("stories260K-converted.gguf");
        Llama2cCheckpoint.convertToGguf(SharedData.require("models/tinystories-260K/stories260K.bin"), gguf);
        try (LlamaModel model = LlamaModel.load(gguf, pool)) {
            assertNull(model.file().findTensor("output.weight"), "the checkpoint shares its classifier: tied embeddings");
            ModelConfig c = model.config();
            assertEquals(64, c.dim());
            assertEquals(5, c.layers());
            assertEquals(8, c.heads());
            assertEquals(4, c.kvHeads());
            assertEquals(512, c.vocabSize());
            assertArrayEquals(expected, greedyFromBos(model, expected.length));
        }
    }
}
