package dev.specula.bench.strategies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Benchmark prompts from a JSONL file: one object per line with a "prompt" string and an optional "id". */
public final class PromptSet {
    /** One prompt; {@code id} defaults to "line N". */
    public record Prompt(String id, String text) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptSet() {}

    /** Reads up to {@code limit} prompts (limit <= 0: all); blank lines are skipped. */
    public static List<Prompt> read(Path file, int limit) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("prompt file not found: " + file);
        List<Prompt> prompts = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size() && (limit <= 0 || prompts.size() < limit); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a JSON object: " + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isObject()) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected a JSON object per line");
            JsonNode text = node.get("prompt");
            if (text == null || !text.isTextual() || text.asText().isEmpty()) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": missing or empty string field \"prompt\"");
            }
            JsonNode id = node.get("id");
            prompts.add(new Prompt(id != null && id.isValueNode() ? id.asText() : "line " + (i + 1), text.asText()));
        }
        if (prompts.isEmpty()) throw new IllegalArgumentException(file + ": no prompts");
        return prompts;
    }
}
