package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.WeightMemory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.engine.kernel.WeightMemory;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void textReportOfThe7mModel() {
        Path model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        CliRun r = CliRun.run("info", model.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("architecture:  llama"), r.out());
        assertTrue(r.out().contains("  embedding_length                     256\n"), r.out());
        assertTrue(r.out().contains("tokenizer:     gpt2 (pre gpt-2), 16384 tokens, 16127 merges, bos 0, eos 0, add_bos true"), r.out());
        assertTrue(r.out().contains("tensors:       38\n"), r.out());
        assertTrue(r.out().contains("totals:        7,342,336 parameters"), r.out());
        assertTrue(r.out().contains("  Q8_0     29 tensors"), r.out());
    }

    @Test
    void jsonReportOfThe88mQ4KModel() throws IOException {
        Path model = SharedData.require("models/pycode/pycode-88m-q4_k_m.gguf");
        CliRun r = CliRun.run("info", model.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals("llama", j.get("architecture").asText());
        assertEquals(3, j.get("gguf_version").asInt());
        assertEquals(56_158_912L, j.get("file_bytes").asLong());
        JsonNode hp = j.get("hyperparameters");
        assertEquals(768, hp.get("embedding_length").asInt());
        assertEquals(12, hp.get("block_count").asInt());
        assertEquals(12, hp.get("attention.head_count").asInt());
        assertEquals(4, hp.get("attention.head_count_kv").asInt());
        assertEquals(2048, hp.get("feed_forward_length").asInt());
        assertEquals(1024, hp.get("context_length").asInt());
        JsonNode tok = j.get("tokenizer");
        assertEquals("gpt2", tok.get("model").asText());
        assertEquals(16384, tok.get("tokens").asInt());
        assertEquals(0, tok.get("bos_id").asInt());
        JsonNode totals = j.get("totals");
        assertEquals(88_099_584L, totals.get("params").asLong());
        assertEquals(110, totals.get("tensor_count").asInt());
        assertEquals(72, totals.get("by_type").get("Q4_K").get("tensors").asInt());
        assertEquals(13, totals.get("by_type").get("Q6_K").get("tensors").asInt());
        assertEquals(25, totals.get("by_type").get("F32").get("tensors").asInt());
        // the same key order in every run (a Map.of here once iterated differently from run to run)
        List<String> keys = new java.util.ArrayList<>();
        totals.get("by_type").get("Q4_K").fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("tensors", "params", "bytes"), keys);
        JsonNode embd = null;
        for (JsonNode t : j.get("tensors")) if (t.get("name").asText().equals("token_embd.weight")) embd = t;
        assertEquals("Q6_K", embd.get("type").asText());
        assertEquals(List.of(768, 16384), List.of(embd.get("shape").get(0).asInt(), embd.get("shape").get(1).asInt()));
        assertEquals(16384L * 768 / 256 * 210, embd.get("bytes").asLong());
    }

    @Test
    void everySharedModelAndVocabFileIsReported() throws IOException {
        Path shared = SharedData.root();
        List<Path> files;
        try (Stream<Path> a = Files.list(shared.resolve("models/pycode"));
             Stream<Path> b = Files.list(shared.resolve("models/llama.cpp-vocab"))) {
            files = Stream.concat(a, b).filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
        assertEquals(18, files.size(), "6 pycode models + 12 llama.cpp vocab files, got " + files);
        for (Path f : files) {
            CliRun r = CliRun.run("info", "--json", f.toString());
            assertEquals(0, r.exitCode(), f + ": " + r.err());
            JsonNode j = JSON.readTree(r.out());
            try (GgufFile g = GgufFile.open(f)) {
                assertEquals(g.tensors().size(), j.get("tensors").size(), f.toString());
                assertEquals(g.metadata().getString("general.architecture"), j.get("architecture").asText(), f.toString());
                int tokens = g.metadata().getStringArray("tokenizer.ggml.tokens").length;
                assertEquals(tokens, j.get("tokenizer").get("tokens").asInt(), f.toString());
            }
            CliRun text = CliRun.run("info", f.toString());
            assertEquals(0, text.exitCode(), f + ": " + text.err());
        }
    }

    @Test
    void vocabOnlyFileHasNoTensors() {
        Path vocab = SharedData.require("models/llama.cpp-vocab/ggml-vocab-llama-spm.gguf");
        CliRun r = CliRun.run("info", vocab.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("tensors:       0 (vocab-only file)\n"), r.out());
        assertTrue(r.out().contains("tokenizer:     llama (pre default), 32000 tokens, 0 merges, bos 1, eos 2"), r.out());
    }

    @Test
    void withoutAModelTheBundledOneIsUsedAndSaidOnce() throws IOException {
        CliRun r = CliRun.run("info", "--json");
        assertEquals(0, r.exitCode(), r.err());
        Path bundled = BundledModels.require(BundledModels.TARGET);
        assertEquals("specula: no model given, using the bundled model " + bundled + "\n", r.err());
        assertEquals(88_099_584L, JSON.readTree(r.out()).get("totals").get("params").asLong());
    }

    @Test
    void systemReport() throws IOException {
        CliRun r = CliRun.run("info", "--system", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertTrue(j.get("vector_api").asBoolean(), "tests run with --add-modules jdk.incubator.vector");
        int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(bits, j.get("vector_bits").asInt());
        assertEquals(bits / 32, j.get("float_lanes").asInt());
        assertEquals(Runtime.getRuntime().availableProcessors(), j.get("cores").asInt());
        assertEquals(Runtime.getRuntime().availableProcessors(), j.get("threads").asInt());
        assertEquals(Runtime.version().toString(), j.get("java_version").asText());
        assertEquals(System.getProperty("java.vendor"), j.get("java_vendor").asText());
        assertEquals(SystemInfo.cpuModel().orElse(null), j.get("cpu_model").isNull() ? null : j.get("cpu_model").asText());

        CliRun text = CliRun.run("info", "--system");
        assertEquals(0, text.exitCode(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals("Java:         " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")", lines.get(1));
        assertEquals("Vector API:   yes (jdk.incubator.vector), preferred shape " + bits + " bits = " + bits / 32
                + " float lanes", lines.get(3));
        assertEquals("CPU:          " + SystemInfo.cpuModel().orElse("unknown") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores", lines.get(4));
        assertEquals("Threads:      " + Runtime.getRuntime().availableProcessors() + " (change with -t)", lines.get(5));
        assertEquals(WeightMemory.transparentHugePageMode().orElse(null),
                j.get("transparent_huge_pages").isNull() ? null : j.get("transparent_huge_pages").asText());
        assertEquals(WeightMemory.hugePagesAvailable(), j.get("weights_on_huge_pages").asBoolean());
        if (WeightMemory.transparentHugePageMode().filter(m -> !m.equals("never")).isPresent()) {
            assertTrue(j.get("weights_on_huge_pages").asBoolean(), "tests run with --enable-native-access on a THP kernel");
        }
        assertTrue(lines.get(6).startsWith("Huge pages:   weights "), lines.get(6));
        assertEquals(8 + j.get("warnings").size(), lines.size(), text.out());
    }

    @Test
    void systemTextWithoutTheVectorApi() {
        Map<String, Object> facts = new LinkedHashMap<>(SystemInfo.collect());
        facts.put("vector_api", false);
        facts.put("vector_bits", null);
        facts.put("float_lanes", null);
        facts.put("cpu_model", null);
        facts.put("warnings", SystemInfo.warnings(false, 0));
        String text = SystemInfo.toText(facts);
        assertTrue(text.contains("\nVector API:   NOT available (jdk.incubator.vector is not loaded)\n"), text);
        assertTrue(text.contains("\nCPU:          unknown, "), text);
        assertTrue(text.endsWith("\nWARNING: the Vector API (jdk.incubator.vector) is not available: start Java with"
                + " --add-modules jdk.incubator.vector (java -jar specula.jar and ./specula do this for you)\n"), text);
    }

    @Test
    void hugePageWarningsSayWhatIsMissing() {
        assertEquals(List.of(), SystemInfo.hugePageWarnings(java.util.Optional.empty(), false, false));
        assertEquals(List.of(), SystemInfo.hugePageWarnings(java.util.Optional.of("madvise"), true, true));
        assertTrue(SystemInfo.hugePageWarnings(java.util.Optional.of("never"), false, false).get(0)
                .startsWith("transparent huge pages are off (/sys/kernel/mm/transparent_hugepage/enabled = never)"));
        List<String> both = SystemInfo.hugePageWarnings(java.util.Optional.of("always"), false, false);
        assertEquals(2, both.size(), both.toString());
        assertTrue(both.get(0).startsWith("weights are not on huge pages: start Java with --enable-native-access"), both.get(0));
        assertTrue(both.get(1).startsWith("the heap (weight scales, KV cache) is not on huge pages: add -XX:+UseTransparentHugePages"));
    }

    @Test
    void systemWarnings() {
        assertEquals(List.of(), SystemInfo.warnings(true, 256));
        assertEquals(List.of("the preferred vector shape is only 64 bits (< 128): the SIMD kernels will be slow;"
                + " check -XX:MaxVectorSize and the CPU's SIMD support"), SystemInfo.warnings(true, 64));
        assertTrue(SystemInfo.warnings(false, 0).get(0).startsWith("the Vector API (jdk.incubator.vector) is not available"));
    }
}
