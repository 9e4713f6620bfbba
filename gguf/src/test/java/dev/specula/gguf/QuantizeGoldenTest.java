package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The golden quants were written by {@code llama-quantize --pure} from tensor
 * {@code blk.0.attn_q.weight} of {@code pycode-7m-f16.gguf}, without an importance matrix, so ggml's
 * reference quantizers applied to that tensor must reproduce each golden file's bytes exactly.
 */
class QuantizeGoldenTest {
    private static float[] source;

    @BeforeAll
    static void loadSource() throws IOException {
        Path model = SharedData.require("models/pycode/pycode-7m-f16.gguf");
        try (GgufFile f = GgufFile.open(model)) {
            TensorInfo t = f.tensor("blk.0.attn_q.weight");
            assertEquals(GgmlType.F16, t.type());
            source = new float[Math.toIntExact(t.elementCount())];
            Dequantize.toFloat(GgmlType.F16, f.data(t), 0, source, 0, source.length);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = "F32", mode = EnumSource.Mode.EXCLUDE)
    void reproducesLlamaQuantizeBytes(GgmlType type) throws IOException {
        Path file = SharedData.require("golden/quants/" + type.name() + ".gguf");
        try (GgufFile f = GgufFile.open(file)) {
            TensorInfo t = f.tensor("weight");
            assertEquals(source.length, t.elementCount());
            byte[] expected = f.data(t).toArray(ValueLayout.JAVA_BYTE);
            byte[] actual = Quantize.fromFloat(type, source, 0, source.length);
            assertEquals(expected.length, actual.length);
            int mismatches = 0, first = -1;
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] != actual[i]) {
                    if (first < 0) first = i;
                    mismatches++;
                }
            }
            if (mismatches > 0) {
                fail(type + ": " + mismatches + " of " + expected.length + " bytes differ from llama-quantize, first at byte "
                        + first + " (block " + first / type.blockBytes + ", offset " + first % type.blockBytes + ")");
            }
            // Writing into a segment at an offset gives the same bytes.
            MemorySegment seg = MemorySegment.ofArray(new byte[actual.length + 5]);
            Quantize.fromFloat(type, source, 0, source.length, seg, 5);
            assertEquals(MemorySegment.ofArray(actual).mismatch(seg.asSlice(5)), -1L);
        }
    }
}
