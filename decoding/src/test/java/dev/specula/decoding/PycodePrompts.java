package dev.specula.decoding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.engine.tokenizer.Tokenizer;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Token prompts cut from ../shared/bench/prompts-code.jsonl (BOS + the first tokens of each document). */
final class PycodePrompts {
    private PycodePrompts() {}

    static List<int[]> load(Tokenizer tokenizer, int count, int maxTokens) throws IOException {
        List<String> lines = Files.readAllLines(SharedData.require("bench/prompts-code.jsonl"));
        ObjectMapper json = new ObjectMapper();
        List<int[]> prompts = new ArrayList<>();
        for (String line : lines) {
            if (prompts.size() == count) break;
            if (line.isBlank()) continue;
            JsonNode node = json.readTree(line);
            int[] ids = tokenizer.encode(node.get("prompt").asText(), true, false);
            prompts.add(Arrays.copyOf(ids, Math.min(ids.length, maxTokens)));
        }
        if (prompts.size() < count) throw new AssertionError("prompts-code.jsonl has only " + prompts.size() + " prompts");
        return prompts;
    }
}
