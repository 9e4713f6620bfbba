package dev.specula.bench.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.bench.BenchCommand;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.TensorInfo;
import dev.specula.gguf.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DecodeCommandTest {
    @Test
    void decodeReportsSpeedAndTheKRowCurveForARealModel(@TempDir Path dir) throws Exception {
        Path model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        Path json = dir.resolve("decode.json"), csv = dir.resolve("decode.csv"), svg = dir.resolve("decode.svg");
        int rc = new CommandLine(new BenchCommand()).execute("decode", "-m", model.toString(), "-t", "1", "--reps", "2", "--warmup", "0",
                "--gen", "4", "--prompt-tokens", "8", "--k", "1,2,4", "--k-samples", "2", "--bandwidth-mb", "0",
                "--json", json.toString(), "--csv", csv.toString(), "--svg", svg.toString());
        assertEquals(0, rc);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode speed = root.get("tables").get(0).get("rows");
        assertEquals(1, speed.size());
        assertEquals(1, speed.get(0).get("threads").asInt());
        assertTrue(speed.get(0).get("decode tok/s").asDouble() > 0);
        assertTrue(speed.get(0).get("% roofline").isNull(), "no bandwidth measured, no roofline");
        JsonNode curve = root.get("tables").get(1).get("rows");
        assertEquals(3, curve.size());
        assertEquals(4, curve.get(2).get("k").asInt());
        assertEquals(1.0, curve.get(0).get("cost vs k=1").asDouble());
        assertTrue(Files.readString(csv).startsWith("model,threads,prefill tok/s,"));
        assertTrue(Files.readString(svg).contains("class=\"bar\""));
    }

    @Test
    void anUnknownCacheTypeIsAUsageErrorBeforeAnythingRuns() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new java.io.PrintWriter(err));
        int rc = cli.execute("decode", "-m", "no-such.gguf", "--cache-type", "q4_0");
        assertEquals(2, rc);
        assertTrue(err.toString().startsWith("Invalid value for option '--cache-type': unknown KV cache type 'q4_0'; "
                + "expected one of: f32, f16\n"), err.toString());
    }

    @Test
    void weightBytesCountTheTiedEmbeddingInFull() throws Exception {
        Path model = SharedData.require("models/pycode/pycode-7m-q8_0.gguf");
        try (GgufFile f = GgufFile.open(model)) {
            long all = 0;
            for (TensorInfo t : f.tensors()) all += t.byteSize();
            // pycode ties its embeddings (no output.weight): token_embd is the output head, read in full every token
            assertEquals(null, f.findTensor("output.weight"));
            assertEquals(all, WeightBytes.perToken(f));
        }
    }
}
