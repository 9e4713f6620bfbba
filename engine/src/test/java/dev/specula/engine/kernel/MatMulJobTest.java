package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.GgmlType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One job of several products gives exactly the bits of separate single-thread multiply calls. */
class MatMulJobTest {
    private static Parallel pool;

    @BeforeAll
    static void startPool() {
        pool = new Parallel(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    @Test
    void fusedProductsEqualSeparateCalls() {
        Random rnd = new Random(0x10B);
        int cols = 256;
        // row counts that are not multiples of the 64-row work unit, and mixed layouts
        WeightMatrix a = WeightMatrices.load(GgmlType.Q8_0, RandomWeights.matrix(GgmlType.Q8_0, 300, cols, rnd), 300, cols);
        WeightMatrix b = WeightMatrices.load(GgmlType.Q4_K, RandomWeights.matrix(GgmlType.Q4_K, 129, cols, rnd), 129, cols);
        WeightMatrix c = WeightMatrices.load(GgmlType.F32, RandomWeights.matrix(GgmlType.F32, 65, cols, rnd), 65, cols);
        MatMulJob job = new MatMulJob();
        for (int k : new int[] {1, 3, 8}) {
            float[] x = RandomWeights.activations(k * cols, rnd);
            float[] oa = new float[k * 300], ob = new float[k * 129], oc = new float[k * 65];
            float[] ea = new float[k * 300], eb = new float[k * 129], ec = new float[k * 65];
            a.multiply(x, cols, ea, 300, k, 0, 300);
            b.multiply(x, cols, eb, 129, k, 0, 129);
            c.multiply(x, cols, ec, 65, k, 0, 65);
            for (Parallel p : new Parallel[] {pool, new Parallel(1)}) {
                Arrays.fill(oa, Float.NaN);
                Arrays.fill(ob, Float.NaN);
                Arrays.fill(oc, Float.NaN);
                job.begin(k).add(a, x, cols, oa, 300).add(b, x, cols, ob, 129).add(c, x, cols, oc, 65).run(p);
                assertArrayEquals(ea, oa, "Q8_0 part, k = " + k);
                assertArrayEquals(eb, ob, "Q4_K part, k = " + k);
                assertArrayEquals(ec, oc, "F32 part, k = " + k);
            }
        }
        assertTrue(300L * cols * 8 >= WeightMatrix.INLINE_WORK, "the k = 8 job must be large enough to go to the pool");
    }

    @Test
    void rejectsBadArguments() {
        Random rnd = new Random(1);
        WeightMatrix a = WeightMatrices.load(GgmlType.Q8_0, RandomWeights.matrix(GgmlType.Q8_0, 4, 64, rnd), 4, 64);
        float[] x = new float[64], out = new float[4];
        MatMulJob job = new MatMulJob();
        assertThrows(IllegalArgumentException.class, () -> job.begin(0));
        job.begin(1);
        for (int p = 0; p < MatMulJob.MAX_PARTS; p++) job.add(a, x, 64, out, 4);
        assertThrows(IllegalStateException.class, () -> job.add(a, x, 64, out, 4));
        // arrays too short for k = 2 rows are refused when the product is added, before anything runs
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> job.begin(2).add(a, x, 64, out, 4));
        assertTrue(e.getMessage().contains("k=2"), e.getMessage());
    }
}
