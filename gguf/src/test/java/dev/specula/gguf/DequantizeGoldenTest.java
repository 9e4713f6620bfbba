package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dequantizes the reference tensors of {@code ../shared/golden/quants} (written by llama-quantize)
 * and compares with the floats of gguf-py's reference dequantizer. The README allows float32
 * rounding differences (relative 1e-6) for the K-quants and IQ4_XS, but {@link Dequantize} keeps
 * ggml's order of operations, so every type, K-quants included, must match bit for bit.
 */
class DequantizeGoldenTest {
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = "F32", mode = EnumSource.Mode.EXCLUDE)
    void matchesGgufPyReference(GgmlType type) throws IOException {
        Path dir = SharedData.require("golden/quants");
        float[] expected = readFloats(dir.resolve(type.name() + ".f32"));
        try (GgufFile f = GgufFile.open(dir.resolve(type.name() + ".gguf"))) {
            TensorInfo t = f.tensor("weight");
            assertEquals(type, t.type());
            assertEquals(256, t.cols());
            assertEquals(256, t.rows());
            float[] actual = new float[expected.length];
            Dequantize.toFloat(type, f.data(t), 0, actual, 0, actual.length);
            int rows = (int) t.rows(), cols = (int) t.cols();
            for (int i = 0; i < actual.length; i++) {
                int at = i;
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        () -> type + " element " + at + ": expected " + expected[at] + " got " + actual[at]);
            }
            // Row-wise decoding of the same tensor gives the same values as one whole-tensor call.
            float[] row = new float[cols + 3];
            for (int r = 0; r < rows; r += 37) {
                Dequantize.row(type, f.data(t), r, cols, row, 3);
                for (int c = 0; c < cols; c++) assertEquals(actual[r * cols + c], row[3 + c]);
            }
            boolean anyNonZero = false;
            for (float v : actual) anyNonZero |= v != 0;
            assertTrue(anyNonZero, "reference tensor is all zeros");
        }
    }

    static float[] readFloats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }
}
