package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void ggufTokenizerMatchesLlamaCpp() throws IOException {
        JsonNode golden = Golden.prompt("pycode-7m-q8_0", 7);
        String model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf").toString();
        CliRun r = CliRun.run("tokenize", "-m", model, "-p", golden.get("text").asText(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        int[] expected = Golden.ints(golden.get("prompt_ids"));
        assertArrayEquals(expected, Golden.ints(j.get("ids")));
        assertEquals(expected.length, j.get("pieces").size());
        assertEquals("<|endoftext|>", j.get("pieces").get(0).asText());
        assertEquals("class", j.get("pieces").get(1).asText());
        assertEquals("ĠSta", j.get("pieces").get(2).asText());
        assertEquals("ck", j.get("pieces").get(3).asText());
    }

    @Test
    void huggingFaceTokenizerJsonGivesTheSameTextIds() throws IOException {
        JsonNode golden = Golden.prompt("pycode-7m-q8_0", 7);
        String json = SharedData.require("models/pycode/tokenizer.json").toString();
        CliRun r = CliRun.run("tokenize", "-m", json, "-p", golden.get("text").asText(), "--no-special", "--json");
        assertEquals(0, r.exitCode(), r.err());
        int[] expected = Golden.ints(golden.get("prompt_ids"));
        assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length), Golden.ints(JSON.readTree(r.out()).get("ids")));
    }

    @Test
    void noSpecialDropsTheBosAndTextModeListsPieces() {
        String model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf").toString();
        CliRun r = CliRun.run("tokenize", "-m", model, "-p", "def fibonacci(n):\n", "--no-special");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(String.join("\n",
                "   325 -> 'def'", "   284 -> 'Ġf'", "   647 -> 'ib'", " 14243 -> 'onacci'", "     8 -> '('",
                "    78 -> 'n'", "   317 -> '):'", "   199 -> 'Ċ'", "8 tokens", ""), r.out());
    }

    @Test
    void specialTokenTextIsParsedUnlessNoSpecial() throws IOException {
        String model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf").toString();
        JsonNode parsed = JSON.readTree(CliRun.run("tokenize", "-m", model, "-p", "<|endoftext|>", "--json").out());
        assertArrayEquals(new int[] {0, 0}, Golden.ints(parsed.get("ids")));
        JsonNode plain = JSON.readTree(CliRun.run("tokenize", "-m", model, "-p", "<|endoftext|>", "--no-special", "--json").out());
        assertEquals(false, Arrays.stream(Golden.ints(plain.get("ids"))).anyMatch(id -> id == 0));
    }

    @Test
    void missingModelFile() {
        CliRun r = CliRun.run("tokenize", "-m", "/no/such/tokenizer.json", "-p", "x");
        assertEquals(2, r.exitCode());
        assertEquals("specula: file not found: /no/such/tokenizer.json — check the path\n", r.err());
    }
}
