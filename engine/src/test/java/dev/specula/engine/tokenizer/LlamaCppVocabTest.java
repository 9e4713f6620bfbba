package dev.specula.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * llama.cpp's own tokenizer test vectors (models/llama.cpp-vocab/ggml-vocab-X.gguf.inp/.out): encoding each input
 * without BOS/EOS and without special-token parsing must give exactly the expected ids.
 */
class LlamaCppVocabTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama-spm", "phi-3", "gpt-2", "falcon", "mpt", "refact", "starcoder", "deepseek-coder", "deepseek-llm", "bert-bge"})
    void ggufVocabularyMatchesLlamaCpp(String family) throws IOException {
        String base = "ggml-vocab-" + family + ".gguf";
        Tokenizer tok = TokenizerTestData.gguf("models/llama.cpp-vocab/" + base);
        assertAllCases(base, tok);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"llama-bpe:models/llama3-tokenizer/tokenizer.json", "qwen2:models/qwen3-tokenizer/tokenizer.json"})
    void tokenizerJsonMatchesLlamaCppVectors(String spec) throws IOException {
        String[] parts = spec.split(":", 2);
        Tokenizer tok = TokenizerTestData.hfJson(parts[1]);
        assertAllCases("ggml-vocab-" + parts[0] + ".gguf", tok);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"command-r", "gemma-4", "qwen35"})
    void familiesWithoutUsableData(String family) {
        Assumptions.abort(family + " has .inp/.out vectors but no vocab GGUF or tokenizer.json in ../shared, so it cannot be checked");
    }

    static void assertAllCases(String base, Tokenizer tok) throws IOException {
        List<TokenizerTestData.Case> cases = TokenizerTestData.vectors(base);
        assertTrue(cases.size() >= 40, base + " has only " + cases.size() + " cases");
        List<String> failures = new ArrayList<>();
        for (TokenizerTestData.Case c : cases) {
            int[] got = tok.encode(c.text(), false, false);
            if (!Arrays.equals(c.ids(), got)) {
                failures.add(TokenizerTestData.show(c.text()) + "\n   expected " + Arrays.toString(c.ids()) + "\n   got      " + Arrays.toString(got));
            }
        }
        assertEquals(List.of(), failures, base + ": " + failures.size() + " of " + cases.size() + " cases differ");
    }
}
