package dev.specula.bench.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.bench.BenchCommand;
import dev.specula.gguf.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StrategiesCommandTest {
    @Test
    void comparesStrategiesOnRealModelsWithTheLosslessCheck(@TempDir Path dir) throws Exception {
        Path target = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        Path prompts = dir.resolve("p.jsonl");
        Files.writeString(prompts, "{\"id\": \"p0\", \"prompt\": \"import os\\nimport sys\\n\\ndef main():\\n\"}\n");
        Path json = dir.resolve("s.json");
        // the draft is the target itself: speculative decoding must then accept every drafted token
        int rc = new CommandLine(new BenchCommand()).execute("strategies", "-m", target.toString(), "--draft", target.toString(),
                "--prompts", prompts.toString(), "-n", "12", "-t", "1", "--strategies", "ar,speculative,lookup",
                "--k", "1,2", "--bandwidth-mb", "0", "--json", json.toString());
        assertEquals(0, rc);
        JsonNode rows = new ObjectMapper().readTree(json.toFile()).get("tables").get(0).get("rows");
        assertEquals(3, rows.size());
        assertEquals("ar", rows.get(0).get("strategy").asText());
        assertEquals(1.0, rows.get(0).get("speedup vs AR").asDouble());
        assertEquals(1.0, rows.get(0).get("tokens/target forward").asDouble());
        assertEquals("speculative", rows.get(1).get("strategy").asText());
        assertEquals(1.0, rows.get(1).get("acceptance").asDouble(), "a model drafting for itself is always right under greedy");
        assertEquals("lookup", rows.get(2).get("strategy").asText());
        assertEquals(1.0, rows.get(0).get("rows/target forward").asDouble(), "AR verifies one row per forward");

        JsonNode tables = new ObjectMapper().readTree(json.toFile()).get("tables");
        JsonNode time = tables.get(1).get("rows");
        assertEquals("Where the time goes (ms per generated token)", tables.get(1).get("title").asText());
        assertEquals(3, time.size());
        for (JsonNode r : time) {
            double decode = r.get("decode").asDouble();
            assertEquals(decode, r.get("target forwards").asDouble() + r.get("draft forwards").asDouble() + r.get("other").asDouble(),
                    1e-9 * decode, r.get("strategy").asText() + ": the parts add up to the decode time");
        }
        assertEquals(0.0, time.get(2).get("draft forwards").asDouble(), "lookup runs no draft model");
        // the target forwards by row count cover every target forward of every run
        long forwards = 0;
        for (JsonNode r : tables.get(2).get("rows")) forwards += r.get("forwards").asLong();
        long counted = 0;
        JsonNode runs = tables.get(3).get("rows");
        assertEquals(3, runs.size(), "one run per strategy and prompt");
        for (JsonNode r : runs) counted += Math.round(r.get("tokens").asLong() / r.get("tokens/target forward").asDouble());
        assertEquals(counted, forwards);
    }
}
