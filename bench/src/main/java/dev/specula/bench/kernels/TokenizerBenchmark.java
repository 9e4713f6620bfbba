package dev.specula.bench.kernels;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.engine.tokenizer.Tokenizer;
import dev.specula.gguf.GgufFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tokenizer throughput: encoding 1 MB of Python source with the byte-level BPE tokenizer of the
 * bundled pycode model, one thread. The text is the held-out prompt set repeated to 1 MB, so after
 * the first repetition the tokenizer's per-word cache is warm (as it is in a long-running server).
 * MB/s = 1 / (seconds per operation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TokenizerBenchmark {
    /** A GGUF whose tokenizer is measured (the bundled default target by default). */
    @Param({"models/pycode-88m-q4_k_m.gguf"})
    public String model;

    /** JSONL prompts ({"prompt": ...}) whose text is repeated to 1 MB. */
    @Param({"../shared/bench/prompts-code.jsonl"})
    public String prompts;

    private Tokenizer tokenizer;
    private String text;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        try (GgufFile f = GgufFile.open(Path.of(model))) {
            tokenizer = Tokenizer.fromGguf(f.metadata());
        }
        StringBuilder source = new StringBuilder();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = Files.newBufferedReader(Path.of(prompts), StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) continue;
                JsonNode p = json.readTree(line).get("prompt");
                if (p != null) source.append(p.asText()).append('\n');
            }
        }
        if (source.isEmpty()) throw new IOException(prompts + ": no \"prompt\" fields found");
        StringBuilder mb = new StringBuilder(1 << 20);
        while (mb.length() < (1 << 20)) mb.append(source);
        text = mb.substring(0, 1 << 20);
    }

    @Benchmark
    public int encodeOneMegabyte() {
        return tokenizer.encode(text, false, false).length;
    }
}
