package dev.specula.bench.kernels;

import dev.specula.engine.model.ModelConfig;
import dev.specula.engine.model.Rope;
import dev.specula.engine.model.RopeLayout;
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
 * Rotary position embedding for one token of a Llama-3.2-1B-shaped model (32 query heads, 8 KV heads,
 * head dim 64): the per-position angles, then rotating every query and key head, in both layouts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class RopeBenchmark {
    @Param({"NORMAL", "NEOX"})
    public RopeLayout layout;

    private static final int HEADS = 32, KV_HEADS = 8, HEAD_DIM = 64;
    private Rope rope;
    private float[] q, k, cos, sin;
    private int position;

    @Setup(Level.Trial)
    public void setUp() {
        ModelConfig c = new ModelConfig("llama", 128256, 131072, HEADS * HEAD_DIM, 16, HEADS, KV_HEADS, HEAD_DIM, 8192,
                1e-5f, layout, HEAD_DIM, 500000f, 1f, false, false);
        rope = new Rope(c, null);
        q = RandomWeights.gaussian(HEADS * HEAD_DIM, 1);
        k = RandomWeights.gaussian(KV_HEADS * HEAD_DIM, 2);
        cos = new float[rope.pairs()];
        sin = new float[rope.pairs()];
    }

    @Benchmark
    public float[] anglesAndRotate() {
        position = (position + 1) & 4095;
        rope.angles(position, cos, sin, 0);
        for (int h = 0; h < HEADS; h++) rope.rotate(q, h * HEAD_DIM, cos, sin, 0);
        for (int h = 0; h < KV_HEADS; h++) rope.rotate(k, h * HEAD_DIM, cos, sin, 0);
        return q;
    }
}
