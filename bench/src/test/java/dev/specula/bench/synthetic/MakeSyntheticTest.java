package dev.specula.bench.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.bench.BenchCommand;
import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.model.ModelConfig;
import dev.specula.engine.model.ModelSession;
import dev.specula.gguf.GgmlType;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.GgufMetadata;
import dev.specula.gguf.TensorInfo;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MakeSyntheticTest {
    private static final ModelShape TINY = ModelShape.named("tiny");

    @Test
    void commandWritesAFileWithTheExactShapesAndMetadata(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tiny-q8_0.gguf");
        int rc = new CommandLine(new BenchCommand()).execute("make-synthetic", "--shape", "tiny", "--type", "Q8_0", "-o", out.toString());
        assertEquals(0, rc);
        try (GgufFile f = GgufFile.open(out)) {
            // token_embd + 9 per layer + output_norm + output (untied)
            assertEquals(1 + 9 * TINY.layers() + 2, f.tensors().size());
            assertTensor(f, "token_embd.weight", GgmlType.Q8_0, 256, 384);
            assertTensor(f, "blk.0.attn_norm.weight", GgmlType.F32, 256);
            assertTensor(f, "blk.1.attn_q.weight", GgmlType.Q8_0, 256, 256);
            assertTensor(f, "blk.1.attn_k.weight", GgmlType.Q8_0, 256, 128);
            assertTensor(f, "blk.1.attn_v.weight", GgmlType.Q8_0, 256, 128);
            assertTensor(f, "blk.1.attn_output.weight", GgmlType.Q8_0, 256, 256);
            assertTensor(f, "blk.1.ffn_gate.weight", GgmlType.Q8_0, 256, 512);
            assertTensor(f, "blk.1.ffn_up.weight", GgmlType.Q8_0, 256, 512);
            assertTensor(f, "blk.1.ffn_down.weight", GgmlType.Q8_0, 512, 256);
            assertTensor(f, "output_norm.weight", GgmlType.F32, 256);
            assertTensor(f, "output.weight", GgmlType.Q8_0, 256, 384);
            assertNull(f.findTensor("blk.2.attn_q.weight"));

            GgufMetadata md = f.metadata();
            assertEquals("llama", md.getString("general.architecture", null));
            assertEquals(256, md.getInt("llama.embedding_length", -1));
            assertEquals(2, md.getInt("llama.block_count", -1));
            assertEquals(4, md.getInt("llama.attention.head_count", -1));
            assertEquals(2, md.getInt("llama.attention.head_count_kv", -1));
            assertEquals(512, md.getInt("llama.feed_forward_length", -1));
            assertEquals("gpt2", md.getString("tokenizer.ggml.model", null));
            assertEquals(384, md.getStringArray("tokenizer.ggml.tokens").length);
            assertEquals(384 - 2 - 256, md.getStringArray("tokenizer.ggml.merges").length);
            assertEquals(382, md.getInt("tokenizer.ggml.bos_token_id", -1));
        }
    }

    @Test
    void kQuantFallsBackToQ8ZeroWhereRowsAreNotWholeBlocks() {
        ModelShape qwen = ModelShape.named("qwen2.5-0.5b"); // dim 896 = 3.5 x 256
        List<SyntheticModelWriter.TensorPlan> plan = SyntheticModelWriter.plan(qwen, GgmlType.Q4_K);
        for (SyntheticModelWriter.TensorPlan t : plan) {
            if (t.dims().length == 2) {
                GgmlType expected = t.dims()[0] % 256 == 0 ? GgmlType.Q4_K : GgmlType.Q8_0;
                assertEquals(expected, t.type(), t.name());
            }
        }
        assertTrue(plan.stream().anyMatch(t -> t.name().equals("blk.0.attn_q.bias")));
        assertTrue(plan.stream().noneMatch(t -> t.name().equals("output.weight")), "qwen2.5-0.5b ties its embeddings");
    }

    @Test
    void catalogueShapesMatchThePublishedParameterCounts() {
        // Llama 3.2 1B: 1.24 B parameters with tied embeddings; Llama 3.1 8B: 8.03 B
        assertEquals(1_235_814_400L, ModelShape.named("llama-3.2-1b").parameterCount());
        assertEquals(8_030_261_248L, ModelShape.named("llama-3.1-8b").parameterCount());
        assertEquals(88_099_584L, ModelShape.named("pycode-88m").parameterCount()); // shared/models/pycode/README.md
    }

    @Test
    void theEngineLoadsTheSyntheticModelAndItsTokenizerRoundTrips(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tiny-q4_0.gguf");
        SyntheticModelWriter.write(TINY, GgmlType.Q4_0, 7, out);
        try (Parallel pool = new Parallel(1); LlamaModel m = LlamaModel.load(out, pool)) {
            ModelConfig c = m.config();
            assertEquals(List.of(256, 2, 4, 2, 64, 512, 384), List.of(c.dim(), c.layers(), c.heads(), c.kvHeads(), c.headDim(), c.ffnDim(), c.vocabSize()));
            String text = "def f(x):\n    return x + 1  # ünïcode";
            int[] ids = m.tokenizer().encode(text, false, false);
            assertEquals(text, m.tokenizer().decode(ids));
            ModelSession s = m.newSession(16);
            float[] logits = s.forwardChain(new int[] {382, 5, 9});
            for (int i = 0; i < c.vocabSize(); i++) assertTrue(Float.isFinite(logits[i]), "logit " + i + " = " + logits[i]);
        }
    }

    @Test
    void vocabularyIsUniqueAndEveryMergeProducesAToken() {
        SyntheticVocab v = SyntheticVocab.of(70_000); // needs tokens of length 3
        assertEquals(70_000, v.tokens().size());
        Set<String> tokens = new HashSet<>(v.tokens());
        assertEquals(70_000, tokens.size(), "token strings are unique");
        for (String merge : v.merges()) {
            String[] parts = merge.split(" ");
            assertEquals(2, parts.length, merge);
            assertTrue(tokens.contains(parts[0]) && tokens.contains(parts[1]) && tokens.contains(parts[0] + parts[1]), merge);
        }
        assertEquals("Ġ", SyntheticVocab.byteToUnicode()[' ']);
        assertEquals("!", SyntheticVocab.byteToUnicode()['!']);
    }

    @Test
    void rejectsUnknownShapesAndTypes(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelShape.named("gpt-5"));
        assertTrue(e.getMessage().contains("llama-3.2-1b"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MakeSyntheticCommand.parseType("Q9_9"));
        assertTrue(e.getMessage().contains("Q4_K"), e.getMessage());
        int rc = new CommandLine(new BenchCommand()).execute("make-synthetic", "--shape", "nope", "--type", "Q8_0", "-o",
                dir.resolve("x.gguf").toString());
        assertTrue(rc != 0);
    }

    private static void assertTensor(GgufFile f, String name, GgmlType type, long... dims) {
        TensorInfo t = f.findTensor(name);
        assertTrue(t != null, "missing " + name);
        assertEquals(type, t.type(), name);
        assertArrayEquals(dims, t.dims(), name);
    }
}
