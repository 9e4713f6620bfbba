package dev.specula.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import dev.specula.engine.tokenizer.Tokenizer;
import dev.specula.gguf.testing.SharedData;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Text in, text out through the model's own tokenizer: pycode-7m F16 reproduces llama.cpp's greedy text. */
class TextRoundTripTest {
    @Test
    void greedyTextMatchesLlamaCpp() throws Exception {
        JsonNode prompt = GoldenFile.readJson(SharedData.require("golden/pycode-7m-f16.json")).get("prompts").get(7);
        String text = prompt.get("text").asText();
        String expectedText = prompt.get("generated_text").asText();
        try (Parallel pool = new Parallel(2);
             LlamaModel model = LlamaModel.load(SharedData.require("models/pycode/pycode-7m-f16.gguf"), pool)) {
            Tokenizer tok = model.tokenizer();
            assertEquals(model.config().vocabSize(), tok.vocabSize());
            int[] ids = tok.encode(text, true, false);
            assertArrayEquals(GoldenFile.ints(prompt.get("prompt_ids")), ids);
            ModelSession session = model.newSession(256);
            Sampler greedy = new Sampler(SamplerConfig.greedy(), tok.vocabSize());
            float[] logits = session.forwardChain(ids);
            int[] out = new int[24];
            for (int i = 0; i < out.length; i++) {
                out[i] = greedy.sample(logits, 0, out, i);
                logits = session.forwardChain(new int[] {out[i]});
            }
            String generated = tok.decode(out);
            assertTrue(expectedText.startsWith(generated), "generated " + generated + " | llama.cpp " + expectedText);
            assertTrue(generated.length() > 20, generated);
        }
    }
}
