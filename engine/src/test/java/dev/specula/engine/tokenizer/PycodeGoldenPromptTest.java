package dev.specula.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The golden llama.cpp prompts: tokenizing {@code prompts[i].text} with addSpecial=true gives {@code prompt_ids}. */
class PycodeGoldenPromptTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pycode-7m-q8_0", "pycode-19m-q4_0", "pycode-88m-q8_0", "stories260K-f32"})
    void goldenPromptIdsMatch(String name) throws IOException {
        Map<String, Object> golden = TokenizerTestData.json("golden/" + name + ".json");
        Tokenizer tok = TokenizerTestData.gguf((String) golden.get("model_path"));
        int checked = 0;
        for (Map<String, Object> p : TokenizerTestData.objects(golden.get("prompts"))) {
            int[] expected = TokenizerTestData.ints(p.get("prompt_ids"));
            assertArrayEquals(expected, tok.encode((String) p.get("text"), true, false), name + " prompt " + p.get("index"));
            checked++;
        }
        assertEquals(name.startsWith("pycode") ? 8 : 4, checked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pycode-7m-q8_0", "pycode-88m-q4_k_m", "stories260K-f32"})
    void goldenGeneratedTextIsTheStreamedTokenBytes(String name) throws IOException {
        Map<String, Object> golden = TokenizerTestData.json("golden/" + name + ".json");
        Tokenizer tok = TokenizerTestData.gguf((String) golden.get("model_path"));
        for (Map<String, Object> p : TokenizerTestData.objects(golden.get("prompts"))) {
            StreamingDecoder dec = tok.streamingDecoder();
            StringBuilder sb = new StringBuilder();
            for (int id : TokenizerTestData.ints(p.get("generated_ids"))) {
                if (tok.isEndOfGeneration(id)) break;
                sb.append(dec.push(id));
            }
            sb.append(dec.flush());
            assertEquals(p.get("generated_text"), sb.toString(), name + " prompt " + p.get("index"));
        }
    }
}
