package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specula.gguf.Dequantize;
import dev.specula.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every type's SIMD multiply against the scalar oracle ({@link Dequantize#toFloat} plus a
 * double-precision dot) on random valid blocks, odd shapes and k = 1, 2, 3, 8, 17, 64; and
 * {@code dequantizeRow} bit-exact against the oracle.
 */
class WeightMatrixPropertyTest {
    /** Shapes (rows, blocks per row): odd row counts, one block per row, many blocks per row. */
    private static final int[][] SHAPES = {{1, 1}, {7, 1}, {33, 2}, {130, 3}, {5, 24}};
    private static final int[] KS = {1, 2, 3, 8, 17, 64};

    @BeforeAll
    static void printLanes() {
        System.out.println("float lanes in use: " + FloatVector.SPECIES_PREFERRED.length()
                + " (kernel species " + KernelSpecies.FLOAT + ")");
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void multiplyMatchesScalarOracle(GgmlType type) {
        Random rnd = new Random(0x5EED + type.id);
        for (int[] shape : SHAPES) {
            int rows = shape[0];
            int cols = shape[1] * Math.max(type.blockSize, 32);
            if (type.blockSize == 1 && shape[1] == 3) cols += 5; // float types: a tail past the last full vector
            MemorySegment data = RandomWeights.matrix(type, rows, cols, rnd);
            WeightMatrix w = WeightMatrices.load(type, data, rows, cols);
            assertEquals(type, w.type());
            assertEquals(rows, w.rows());
            assertEquals(cols, w.cols());
            float[] ref = new float[rows * cols];
            Dequantize.toFloat(type, data, 0, ref, 0, rows * cols);
            for (int k : KS) {
                int xStride = cols + 3, outStride = rows + 1;
                float[] x = RandomWeights.activations((k - 1) * xStride + cols, rnd);
                float[] out = new float[(k - 1) * outStride + rows];
                w.multiply(x, xStride, out, outStride, k, 0, rows);
                for (int r = 0; r < k; r++) {
                    for (int i = 0; i < rows; i++) {
                        double exact = 0, magnitude = 0, maxW = 0, sumX = 0;
                        for (int j = 0; j < cols; j++) {
                            double p = (double) ref[i * cols + j] * x[r * xStride + j];
                            exact += p;
                            magnitude += Math.abs(p);
                            maxW = Math.max(maxW, Math.abs(ref[i * cols + j]));
                            sumX += Math.abs(x[r * xStride + j]);
                        }
                        // F32 accumulation: a few ulps per term of the sum of |products|; the fused
                        // dequantization fma(q, d, min) may differ from d*q + min by one ulp of max|w|.
                        double tol = 1e-5 * magnitude + 2e-7 * maxW * sumX + 1e-30;
                        double got = out[r * outStride + i];
                        if (!(Math.abs(got - exact) <= tol)) {
                            fail(type + " " + rows + "x" + cols + " k=" + k + " act " + r + " row " + i + ": got " + got
                                    + ", exact " + exact + ", tolerance " + tol);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void dequantizeRowIsBitExact(GgmlType type) {
        Random rnd = new Random(0xDEC0 + type.id);
        int rows = 9, cols = 2 * Math.max(type.blockSize, 32);
        MemorySegment data = RandomWeights.matrix(type, rows, cols, rnd);
        WeightMatrix w = WeightMatrices.load(type, data, rows, cols);
        float[] ref = new float[cols];
        float[] got = new float[cols + 4];
        for (int i = 0; i < rows; i++) {
            Dequantize.row(type, data, i, cols, ref, 0);
            w.dequantizeRow(i, got, 4);
            for (int j = 0; j < cols; j++) {
                assertEquals(Float.floatToRawIntBits(ref[j]), Float.floatToRawIntBits(got[4 + j]),
                        () -> type + " row dequantization differs from the oracle");
            }
        }
        assertTrue(ref.length > 0);
    }
}
