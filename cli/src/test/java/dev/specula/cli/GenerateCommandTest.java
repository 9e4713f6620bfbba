package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Golden prompt 6 of pycode-7m-q8_0: its first 24 greedy steps all have a top-2 logit margin above 0.44. */
    private static final int STEPS = 24;

    @TempDir
    Path dir;

    private static String model7m() {
        return SharedData.require("models/pycode/pycode-7m-q8_0.gguf").toString();
    }

    @Test
    void jsonOutputMatchesLlamaCppGreedyTokens() throws IOException {
        JsonNode golden = Golden.prompt("pycode-7m-q8_0", 6);
        CliRun r = CliRun.run("generate", "-m", model7m(), "-p", golden.get("text").asText(), "-n", String.valueOf(STEPS),
                "-t", "2", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertArrayEquals(Golden.ints(golden.get("prompt_ids")), Golden.ints(j.get("prompt_ids")));
        assertArrayEquals(Golden.first(golden.get("generated_ids"), STEPS), Golden.ints(j.get("ids")));
        assertEquals("max_tokens", j.get("stop_reason").asText());
        JsonNode s = j.get("stats");
        assertEquals(9, s.get("prompt_tokens").asInt());
        assertEquals(STEPS, s.get("generated_tokens").asInt());
        assertEquals("ar", s.get("strategy").asText());
        assertEquals(0, s.get("draft_forwards").asLong());
        assertEquals(1.0, s.get("accepted_per_forward").asDouble(), 0.05);
        assertTrue(s.get("decode_tokens_per_s").asDouble() > 0);
        assertTrue(s.get("prefill_tokens_per_s").asDouble() > 0);
        assertTrue(s.get("load_ms").asDouble() > 0);
        String goldenText = golden.get("generated_text").asText();
        assertTrue(goldenText.startsWith(j.get("text").asText()), j.get("text").asText());
    }

    @Test
    void streamedTextEqualsTheJsonTextAndEveryStrategyGivesTheSameTokens() throws IOException {
        String prompt = "def fibonacci(n):\n";
        CliRun ar = CliRun.run("generate", "-m", model7m(), "-p", prompt, "-n", "20", "--json");
        assertEquals(0, ar.exitCode(), ar.err());
        JsonNode reference = JSON.readTree(ar.out());
        for (String strategy : new String[] {"lookup", "speculative"}) {
            CliRun r = CliRun.run("generate", "-m", model7m(), "--draft", model7m(), "-p", prompt, "-n", "20",
                    "--strategy", strategy, "--json");
            assertEquals(0, r.exitCode(), strategy + ": " + r.err());
            JsonNode j = JSON.readTree(r.out());
            assertEquals(reference.get("ids"), j.get("ids"), strategy);
            assertEquals(strategy, j.get("stats").get("strategy").asText());
        }
        CliRun text = CliRun.run("generate", "-m", model7m(), "-p", prompt, "-n", "20");
        assertEquals(0, text.exitCode(), text.err());
        assertEquals(reference.get("text").asText() + "\n", text.out());
        assertTrue(text.err().startsWith("[ar] 20 tokens, decode "), text.err());
    }

    @Test
    void anF16CacheKeepsStrategiesLosslessAndABadCacheTypeIsAClearError() throws IOException {
        String prompt = "def fibonacci(n):\n";
        CliRun ar = CliRun.run("generate", "-m", model7m(), "-p", prompt, "-n", "20", "--cache-type", "f16", "--json");
        assertEquals(0, ar.exitCode(), ar.err());
        JsonNode reference = JSON.readTree(ar.out());
        assertEquals(20, reference.get("ids").size());
        // the target with an F16 cache is the model every strategy must reproduce
        CliRun lookup = CliRun.run("generate", "-m", model7m(), "-p", prompt, "-n", "20", "--cache-type", "F16",
                "--strategy", "lookup", "--json");
        assertEquals(0, lookup.exitCode(), lookup.err());
        assertEquals(reference.get("ids"), JSON.readTree(lookup.out()).get("ids"));
        CliRun bad = CliRun.run("generate", "-m", model7m(), "-p", prompt, "--cache-type", "q4_0");
        assertEquals(2, bad.exitCode());
        assertEquals("specula: unknown KV cache type 'q4_0'; expected one of: f32, f16 — pick one with --cache-type\n", bad.err());
    }

    @Test
    void promptFromAFile() throws IOException {
        Path file = dir.resolve("prompt.py");
        Files.writeString(file, "def fibonacci(n):\n");
        CliRun r = CliRun.run("generate", "-m", model7m(), "-f", file.toString(), "-n", "4", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertArrayEquals(new int[] {0, 325, 284, 647, 14243, 8, 78, 317, 199}, Golden.ints(JSON.readTree(r.out()).get("prompt_ids")));
    }

    @Test
    void speculativeWithoutDraftUsesTheBundledDraftAndSaysSo() throws IOException {
        CliRun r = CliRun.run("generate", "-m", model7m(), "-p", "import os\n", "-n", "8", "--strategy", "speculative", "--json");
        assertEquals(0, r.exitCode(), r.err());
        Path draft = BundledModels.require(BundledModels.DRAFT);
        assertEquals("specula: strategy speculative needs a draft model, using the bundled draft " + draft + "\n", r.err());
        assertTrue(JSON.readTree(r.out()).get("stats").get("draft_forwards").asLong() > 0);
    }

    @Test
    void draftWithAnotherVocabularyIsRefused() {
        Path stories = SharedData.require("models/tinystories-260K/stories260K-f32.gguf");
        CliRun r = CliRun.run("generate", "-m", model7m(), "--draft", stories.toString(), "-p", "x", "-n", "4",
                "--strategy", "speculative");
        assertEquals(2, r.exitCode());
        assertEquals("specula: the draft stories260K-f32.gguf has a different vocabulary (512 tokens) than the target"
                + " pycode-7m-q8_0.gguf (16384 tokens) — use a draft model of the same family, with the same tokenizer\n", r.err());
    }

    @Test
    void contextLongerThanTheModelsIsRefused() {
        CliRun r = CliRun.run("generate", "-m", model7m(), "-p", "x", "-c", "4096");
        assertEquals(2, r.exitCode());
        assertEquals("specula: -c 4096 exceeds the context length of pycode-7m-q8_0.gguf (1024 tokens) — use -c 1024 or less\n", r.err());
    }

    @Test
    void promptLongerThanTheContextIsRefused() {
        CliRun r = CliRun.run("generate", "-m", model7m(), "-p", "def fibonacci(n):\n", "-c", "8");
        assertEquals(2, r.exitCode());
        assertEquals("specula: the prompt has 9 tokens but the context holds 8 — use a shorter prompt or a larger -c\n", r.err());
    }

    @Test
    void vocabOnlyFileIsNotAModel() {
        Path vocab = SharedData.require("models/llama.cpp-vocab/ggml-vocab-gpt-2.gguf");
        CliRun r = CliRun.run("generate", "-m", vocab.toString(), "-p", "x");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("specula: " + vocab + ": unsupported model architecture 'gpt2'"), r.err());
    }

    @Test
    void missingPromptAndBadOptions() {
        assertEquals("specula: no prompt — give one with -p TEXT or -f FILE\n", CliRun.run("generate", "-m", model7m()).err());
        assertEquals("specula: unknown decoding strategy 'fast' (known: ar, speculative, cos, jacobi, lookahead, aded, lookup,"
                + " auto, collaborative) — pick one with --strategy\n",
                CliRun.run("generate", "-m", model7m(), "-p", "x", "--strategy", "fast").err());
        assertEquals("specula: --top-p must be in (0, 1], got 1.5\n",
                CliRun.run("generate", "-m", model7m(), "-p", "x", "--temp", "0.7", "--top-p", "1.5").err());
        CliRun missing = CliRun.run("generate", "-m", dir.resolve("none.gguf").toString(), "-p", "x");
        assertEquals(2, missing.exitCode());
        assertEquals("specula: file not found: " + dir.resolve("none.gguf") + " — check the path\n", missing.err());
    }

    @Test
    void kvCacheEstimate() throws IOException {
        try (var file = dev.specula.gguf.GgufFile.open(Path.of(model7m()))) {
            var c = dev.specula.engine.model.ModelConfig.fromGguf(file);
            // 2 (K, V) x 4 layers x 1024 rows x kvDim 128 (2 KV heads x 64) x 4 bytes = 4 MiB for the 7m at full context
            assertEquals(4L << 20, LoadedModels.kvCacheBytes(c, 1024, dev.specula.engine.model.KvCacheType.F32));
            assertEquals(2L << 20, LoadedModels.kvCacheBytes(c, 1024, dev.specula.engine.model.KvCacheType.F16));
        }
    }
}
