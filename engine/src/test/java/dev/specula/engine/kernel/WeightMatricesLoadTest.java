package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specula.gguf.Dequantize;
import dev.specula.gguf.GgmlType;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.TensorInfo;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading real model tensors, and clear errors for bad shapes, short data and bad multiply arguments. */
class WeightMatricesLoadTest {

    @ParameterizedTest
    @ValueSource(strings = {"models/pycode/pycode-19m-q4_k_m.gguf", "models/pycode/pycode-19m-q4_0.gguf",
            "models/pycode/pycode-7m-f16.gguf", "models/tinystories-260K/stories260K-f32.gguf"})
    void everyMatrixOfARealModelMatchesTheOracle(String model) throws IOException {
        Random rnd = new Random(21);
        Set<GgmlType> types = EnumSet.noneOf(GgmlType.class);
        try (GgufFile file = GgufFile.open(SharedData.require(model))) {
            for (TensorInfo t : file.tensors()) {
                if (t.dims().length != 2) continue;
                types.add(t.type());
                int rows = Math.toIntExact(t.rows()), cols = Math.toIntExact(t.cols());
                MemorySegment data = file.data(t);
                WeightMatrix w = WeightMatrices.load(t.type(), data, rows, cols);
                int k = 2;
                float[] x = RandomWeights.activations(k * cols, rnd);
                float[] out = new float[k * rows];
                w.multiply(x, cols, out, rows, k, 0, rows);
                float[] ref = new float[cols], got = new float[cols];
                for (int i = 0; i < rows; i += 1 + rows / 16) {
                    Dequantize.row(t.type(), data, i, cols, ref, 0);
                    w.dequantizeRow(i, got, 0);
                    for (int j = 0; j < cols; j++) {
                        if (Float.floatToRawIntBits(ref[j]) != Float.floatToRawIntBits(got[j])) {
                            fail(t + ": row " + i + " col " + j + " dequantizes to " + got[j] + ", oracle " + ref[j]);
                        }
                    }
                    for (int r = 0; r < k; r++) {
                        double exact = 0, magnitude = 0;
                        for (int j = 0; j < cols; j++) {
                            double p = (double) ref[j] * x[r * cols + j];
                            exact += p;
                            magnitude += Math.abs(p);
                        }
                        double diff = Math.abs(out[r * rows + i] - exact);
                        assertTrue(diff <= 1e-5 * magnitude, t + " row " + i + " act " + r + ": got " + out[r * rows + i]
                                + ", exact " + exact);
                    }
                }
            }
        }
        assertTrue(!types.isEmpty(), model + " has no matrices");
        System.out.println(model + ": checked matrix types " + types);
    }

    @Test
    void rejectsBadShapesAndShortData() {
        MemorySegment data = Arena.ofAuto().allocate(GgmlType.Q8_0.bytesFor(4 * 64));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightMatrices.load(GgmlType.Q8_0, data, 4, 48));
        assertTrue(e.getMessage().contains("48") && e.getMessage().contains("block size 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightMatrices.load(GgmlType.Q8_0, data, 5, 64));
        assertTrue(e.getMessage().contains("needs 340 bytes") && e.getMessage().contains("holds 272"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightMatrices.load(GgmlType.Q4_K, data, 0, 256));
        assertTrue(e.getMessage().contains("must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightMatrices.load(GgmlType.F32, data, 4, 100));
        assertTrue(e.getMessage().contains("F32"), e.getMessage());
        assertThrows(NullPointerException.class, () -> WeightMatrices.load(null, data, 1, 32));
        // exactly enough bytes is fine, also for a segment larger than needed
        assertEquals(64, WeightMatrices.load(GgmlType.Q8_0, data, 4, 64).cols());
        assertEquals(2, WeightMatrices.load(GgmlType.Q8_0, data, 2, 64).rows());
    }

    @Test
    void rejectsBadMultiplyArguments() {
        Random rnd = new Random(22);
        WeightMatrix w = WeightMatrices.load(GgmlType.Q4_0, RandomWeights.matrix(GgmlType.Q4_0, 6, 64, rnd), 6, 64);
        float[] x = new float[2 * 64], out = new float[2 * 6];
        assertThrows(IllegalArgumentException.class, () -> w.multiply(x, 64, out, 6, 0, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(x, 64, out, 6, 1, 0, 7));
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(x, 64, out, 6, 1, 4, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(x, 64, out, 6, 3, 0, 6));
        assertThrows(IllegalArgumentException.class, () -> w.multiply(x, 32, out, 6, 2, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(new float[63], 64, out, 6, 1, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> w.multiply(x, 64, new float[5], 6, 1, 0, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> w.dequantizeRow(6, new float[64], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> w.dequantizeRow(0, new float[64], 1));
        w.multiply(x, 64, out, 6, 2, 2, 2); // an empty row range is a no-op
    }
}
