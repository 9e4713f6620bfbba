package dev.specula.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.kernel.Parallel;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unusable model files fail at load time with a typed exception that names the problem. */
class ModelLoadErrorsTest {
    private static Parallel pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = new Parallel(1);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    private InvalidModelException loadFails(Consumer<SyntheticModel> breakIt) throws Exception {
        SyntheticModel m = SyntheticModel.llama();
        breakIt.accept(m);
        Path file = dir.resolve("broken.gguf");
        m.write(file);
        return assertThrows(InvalidModelException.class, () -> LlamaModel.load(file, pool).close());
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
    }

    @Test
    void unsupportedArchitectureNamesItAndTheSupportedOnes() throws Exception {
        InvalidModelException e = loadFails(m -> m.arch = "gpt2");
        UnsupportedArchitectureException u = assertThrows(UnsupportedArchitectureException.class, () -> { throw e; });
        assertEquals("gpt2", u.architecture());
        assertMentions(e, "gpt2", "llama", "qwen2", "qwen3");
    }

    @Test
    void missingTensorIsNamedWithItsExpectedShape() throws Exception {
        assertMentions(loadFails(m -> m.omit.add("blk.1.ffn_up.weight")), "blk.1.ffn_up.weight", "[64, 96]");
        assertMentions(loadFails(m -> m.omit.add("output_norm.weight")), "output_norm.weight");
        assertMentions(loadFails(m -> m.omit.add("token_embd.weight")), "token_embd.weight");
    }

    @Test
    void qwen3WithoutQkNormAndQwen2WithoutBiasesAreRejected() throws Exception {
        assertMentions(loadFails(m -> m.arch = "qwen3"), "attn_q_norm.weight");
        assertMentions(loadFails(m -> m.arch = "qwen2"), "attn_q.bias");
    }

    @Test
    void wrongShapeNamesTheTensorAndBothShapes() throws Exception {
        assertMentions(loadFails(m -> m.reshape.put("blk.0.attn_k.weight", new long[] {64, 64})),
                "blk.0.attn_k.weight", "[64, 64]", "[64, 32]");
        assertMentions(loadFails(m -> m.reshape.put("blk.0.attn_norm.weight", new long[] {32})), "blk.0.attn_norm.weight", "[32]", "[64]");
    }

    @Test
    void missingOrInvalidHyperParametersAreNamed() throws Exception {
        assertMentions(loadFails(m -> m.omitKeys.add("llama.block_count")), "llama.block_count");
        assertMentions(loadFails(m -> m.kvHeads = 3), "KV head count");
    }
}
