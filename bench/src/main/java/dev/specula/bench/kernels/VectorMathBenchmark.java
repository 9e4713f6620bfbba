package dev.specula.bench.kernels;

import dev.specula.engine.kernel.VectorMath;
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
 * The engine's element-wise primitives at model widths: RMSNorm of the hidden state, softmax over
 * attention scores or logits, SwiGLU's silu(gate) * up, and a dot product. Single-threaded (the engine
 * calls them per row or per head).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class VectorMathBenchmark {
    @Param({"2048", "8192", "128256"})
    public int n;

    private float[] x, y, weight, out, scratch, upScratch;

    @Setup(Level.Trial)
    public void setUp() {
        x = RandomWeights.activations(n, 11);
        y = RandomWeights.activations(n, 12);
        weight = RandomWeights.activations(n, 13);
        out = new float[n];
        scratch = new float[n];
        upScratch = new float[n];
    }

    @Benchmark
    public float[] rmsNorm() {
        VectorMath.rmsNorm(out, 0, x, 0, weight, n, 1e-5f);
        return out;
    }

    @Benchmark
    public float[] softmax() {
        System.arraycopy(x, 0, scratch, 0, n);
        VectorMath.softmaxInPlace(scratch, 0, n);
        return scratch;
    }

    @Benchmark
    public float[] siluMul() {
        System.arraycopy(x, 0, scratch, 0, n);
        System.arraycopy(y, 0, upScratch, 0, n); // siluMul overwrites up
        VectorMath.siluMul(scratch, 0, upScratch, 0, n);
        return scratch;
    }

    @Benchmark
    public float dot() {
        return VectorMath.dot(x, 0, y, 0, n);
    }
}
