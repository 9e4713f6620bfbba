package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specula.gguf.GgmlType;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The batching invariant: for every type, the value for (activation row r, output row i) is the same
 * bits whatever k (1..64), whatever the row range split, and on 1 or 2 threads, as computing that
 * activation row alone over all output rows.
 */
class WeightMatrixBitIdentityTest {
    private static Parallel pool;

    @BeforeAll
    static void startPool() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void batchedEqualsSingleRows(GgmlType type) {
        Random rnd = new Random(0xB17 + type.id);
        int rows = 37; // odd: the last row of a range is paired with itself
        int cols = Math.max(type.blockSize, 32) * 2 + (type.blockSize == 1 ? 3 : 0);
        WeightMatrix w = WeightMatrices.load(type, RandomWeights.matrix(type, rows, cols, rnd), rows, cols);
        int maxK = 64;
        float[] x = RandomWeights.activations(maxK * cols, rnd);

        // reference: each activation row on its own, all output rows in one call
        float[] single = new float[maxK * rows];
        float[] one = new float[rows];
        float[] xr = new float[cols];
        for (int r = 0; r < maxK; r++) {
            System.arraycopy(x, r * cols, xr, 0, cols);
            w.multiply(xr, cols, one, rows, 1, 0, rows);
            System.arraycopy(one, 0, single, r * rows, rows);
        }

        float[] out = new float[maxK * rows];
        for (int k = 1; k <= maxK; k++) {
            // one call over all rows
            w.multiply(x, cols, out, rows, k, 0, rows);
            assertSame(type, "one call", single, out, k, rows);
            // a random split of the output rows into ranges of any parity
            java.util.Arrays.fill(out, Float.NaN);
            for (int start = 0; start < rows; ) {
                int end = Math.min(rows, start + 1 + rnd.nextInt(9));
                w.multiply(x, cols, out, rows, k, start, end);
                start = end;
            }
            assertSame(type, "split ranges", single, out, k, rows);
            // two threads through the pool
            java.util.Arrays.fill(out, Float.NaN);
            new MatMulJob().begin(k).add(w, x, cols, out, rows).run(pool);
            assertSame(type, "2 threads", single, out, k, rows);
        }
    }

    /**
     * The same invariant once C2 has compiled the kernels: {@code reduceLanes(ADD)} was seen to give
     * k = 1 and k = 2 different bits only after JIT compilation, so compare over many iterations.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "Q8_0", "Q4_K", "Q6_K"})
    void batchedEqualsSingleRowsAfterJitWarmUp(GgmlType type) {
        Random rnd = new Random(0xC2 + type.id);
        int rows = 4, cols = Math.max(type.blockSize, 64);
        WeightMatrix w = WeightMatrices.load(type, RandomWeights.matrix(type, rows, cols, rnd), rows, cols);
        int maxK = 5;
        float[] x = RandomWeights.activations(maxK * cols, rnd);
        float[][] xs = new float[maxK][];
        for (int r = 0; r < maxK; r++) xs[r] = java.util.Arrays.copyOfRange(x, r * cols, (r + 1) * cols);
        float[] single = new float[maxK * rows], one = new float[rows], out = new float[maxK * rows];
        for (int r = 0; r < maxK; r++) { // reference from the first (interpreted) calls
            w.multiply(xs[r], cols, one, rows, 1, 0, rows);
            System.arraycopy(one, 0, single, r * rows, rows);
        }
        for (int iteration = 0; iteration < 20_000; iteration++) {
            int k = 1 + iteration % maxK;
            w.multiply(x, cols, out, rows, k, 0, rows);
            assertSame(type, "iteration " + iteration, single, out, k, rows);
            int r = iteration % maxK;
            w.multiply(xs[r], cols, one, rows, 1, 0, rows);
            for (int i = 0; i < rows; i++) {
                assertEquals(Float.floatToRawIntBits(single[r * rows + i]), Float.floatToRawIntBits(one[i]),
                        type + " iteration " + iteration + ": single-row result changed after JIT compilation");
            }
        }
    }

    private static void assertSame(GgmlType type, String how, float[] expected, float[] got, int k, int rows) {
        for (int r = 0; r < k; r++) {
            for (int i = 0; i < rows; i++) {
                int at = r * rows + i;
                int want = Float.floatToRawIntBits(expected[at]);
                int have = Float.floatToRawIntBits(got[at]);
                if (want != have) {
                    assertEquals(expected[at], got[at], type + " " + how + " k=" + k + ": activation row " + r
                            + ", output row " + i + " differs from the single-row result");
                }
            }
        }
    }
}
