package dev.specula.bench.kernels;

import dev.specula.engine.kernel.MatMulJob;
import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.kernel.WeightMatrices;
import dev.specula.engine.kernel.WeightMatrix;
import dev.specula.gguf.GgmlType;
import java.lang.foreign.Arena;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mat-vec (k = 1) and k-row mat-mat through the engine's {@link WeightMatrix}: each weight block is
 * decoded once and applied to k activation rows. Shapes are "rows x cols" (output x input): Llama-3.2-1B
 * attention (2048x2048), FFN up/gate (8192x2048) and down (2048x8192), and vocabulary heads.
 * GB/s = GGUF bytes of the matrix per call / time; GFLOP/s = 2 * rows * cols * k / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class MatMulBenchmark {
    @Param({"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "IQ4_NL", "IQ4_XS"})
    public String type;

    @Param({"2048x2048", "8192x2048", "2048x8192", "16384x768", "128256x2048"})
    public String shape;

    @Param({"1", "2", "4", "8", "16"})
    public int k;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Parallel pool;
    private WeightMatrix matrix;
    private float[] x, out;
    private final MatMulJob job = new MatMulJob();

    @Setup(Level.Trial)
    public void setUp() {
        int[] rc = KernelShapes.parse(shape);
        GgmlType t = GgmlType.valueOf(type);
        arena = Arena.ofShared();
        matrix = WeightMatrices.load(t, RandomWeights.create(t, rc[0], rc[1], 42, arena), rc[0], rc[1]);
        pool = new Parallel(threads);
        x = RandomWeights.activations(k * rc[1], 7);
        out = new float[k * rc[0]];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        matrix = null;
        arena.close();
    }

    @Benchmark
    public float[] multiply() {
        job.begin(k).add(matrix, x, matrix.cols(), out, matrix.rows()).run(pool);
        return out;
    }
}
