package dev.specula.bench.kernels;

import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
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
 * Choosing one token from a Llama-3-sized logit vector (128256): greedy argmax, llama.cpp's default
 * chain (temperature 0.8, top-k 40, top-p 0.95, min-p 0.05), top-p alone (the expensive case: no
 * top-k cut first) and the full processed distribution used by speculative verification.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SamplingBenchmark {
    @Param({"128256"})
    public int vocab;

    private float[] logits, probs;
    private final int[] history = new int[64];
    private Sampler greedy, defaults, topP;

    @Setup(Level.Trial)
    public void setUp() {
        logits = RandomWeights.gaussian(vocab, 5);
        for (int i = 0; i < vocab; i++) logits[i] *= 150; // standard deviation 3, like real logits
        probs = new float[vocab];
        greedy = new Sampler(SamplerConfig.greedy(), vocab);
        defaults = new Sampler(SamplerConfig.defaults(1), vocab);
        topP = new Sampler(new SamplerConfig(0.8f, 0, 0.95f, 0f, 1f, 0f, 0f, 64, java.util.Map.of(), 1), vocab);
    }

    @Benchmark
    public int argmax() {
        return Sampler.argmax(logits, 0, vocab);
    }

    @Benchmark
    public int greedySample() {
        return greedy.sample(logits, 0, history, 0);
    }

    @Benchmark
    public int topKTopPMinP() {
        return defaults.sample(logits, 0, history, 0);
    }

    @Benchmark
    public int topPOnly() {
        return topP.sample(logits, 0, history, 0);
    }

    @Benchmark
    public float[] distribution() {
        defaults.distribution(logits, 0, history, 0, probs);
        return probs;
    }
}
