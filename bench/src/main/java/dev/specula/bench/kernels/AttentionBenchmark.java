package dev.specula.bench.kernels;

import dev.specula.engine.kernel.Parallel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decode step of grouped-query attention for one layer of a Llama-3.2-1B-shaped model (32 query
 * heads, 8 KV heads, head dim 64) over a float KV cache of {@code positions} rows, composed from the
 * engine's {@link VectorMath} primitives: scores = q.k / sqrt(d), softmax, out = sum_p score_p v_p.
 * Heads are split across the pool. GB/s counts the K and V bytes read per step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AttentionBenchmark {
    public static final int HEADS = 32, KV_HEADS = 8, HEAD_DIM = 64;

    @Param({"512", "4096"})
    public int positions;

    @Param({"1", "2"})
    public int threads;

    private Parallel pool;
    private float[] q, keys, values, scores, out;

    @Setup(Level.Trial)
    public void setUp() {
        pool = new Parallel(threads);
        q = RandomWeights.activations(HEADS * HEAD_DIM, 1);
        keys = RandomWeights.activations(positions * KV_HEADS * HEAD_DIM, 2);
        values = RandomWeights.activations(positions * KV_HEADS * HEAD_DIM, 3);
        scores = new float[HEADS * positions];
        out = new float[HEADS * HEAD_DIM];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] decodeStep() {
        final int kvDim = KV_HEADS * HEAD_DIM, group = HEADS / KV_HEADS, n = positions;
        final float scale = (float) (1.0 / Math.sqrt(HEAD_DIM));
        pool.forRange(HEADS, 1, (start, end) -> {
            for (int h = start; h < end; h++) {
                int kvOff = (h / group) * HEAD_DIM, sOff = h * n, oOff = h * HEAD_DIM;
                for (int p = 0; p < n; p++) scores[sOff + p] = VectorMath.dot(q, oOff, keys, p * kvDim + kvOff, HEAD_DIM) * scale;
                VectorMath.softmaxInPlace(scores, sOff, n);
                java.util.Arrays.fill(out, oOff, oOff + HEAD_DIM, 0f);
                for (int p = 0; p < n; p++) VectorMath.axpy(scores[sOff + p], values, p * kvDim + kvOff, out, oOff, HEAD_DIM);
            }
        });
        return out;
    }

    /** K and V bytes one step reads. */
    public static long kvBytes(int positions) {
        return 2L * positions * KV_HEADS * HEAD_DIM * Float.BYTES;
    }
}
