package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

class GgufSummaryTest {

    @Test
    void countsParametersAndBytesPerType() throws IOException {
        byte[] bytes = new GgufWriter().putString("general.architecture", "llama").putString("general.name", "tiny")
                .addTensor("a", GgmlType.Q8_0, new long[] {64, 4}, new byte[34 * 8])
                .addTensor("b", GgmlType.F32, new long[] {10}, new byte[40])
                .addTensor("c", GgmlType.Q8_0, new long[] {32}, new byte[34]).toByteArray();
        try (GgufFile f = GgufFile.parse(MemorySegment.ofArray(bytes), "s.gguf")) {
            GgufSummary s = GgufSummary.of(f);
            assertEquals("llama", s.architecture());
            assertEquals("tiny", s.name());
            assertEquals(3, s.tensorCount());
            assertEquals(2, s.metadataKeys());
            assertEquals(256 + 10 + 32, s.parameterCount());
            assertEquals(34 * 9 + 40, s.tensorBytes());
            assertEquals(List.of(GgmlType.F32, GgmlType.Q8_0), List.copyOf(s.byType().keySet()));
            assertEquals(new GgufSummary.TypeStats(2, 288, 306), s.byType().get(GgmlType.Q8_0));
            assertEquals(8.5, s.byType().get(GgmlType.Q8_0).bitsPerWeight());
            assertEquals(32.0, s.byType().get(GgmlType.F32).bitsPerWeight());
            assertEquals(GgmlType.Q8_0, s.dominantType());
            assertEquals(bytes.length, s.fileSize());
        }
    }

    @Test
    void summarizesARealModel() throws IOException {
        try (GgufFile f = GgufFile.open(SharedData.require("models/pycode/pycode-7m-q8_0.gguf"))) {
            GgufSummary s = GgufSummary.of(f);
            long params = 0, bytes = 0;
            for (TensorInfo t : f.tensors()) {
                params += t.elementCount();
                bytes += t.byteSize();
            }
            assertEquals(params, s.parameterCount());
            assertEquals(bytes, s.tensorBytes());
            assertEquals(GgmlType.Q8_0, s.dominantType());
            assertEquals(f.metadata().getString("general.architecture"), s.architecture());
        }
    }

    @Test
    void emptyFile() throws IOException {
        try (GgufFile f = GgufFile.parse(MemorySegment.ofArray(new GgufWriter().toByteArray()), "e.gguf")) {
            GgufSummary s = GgufSummary.of(f);
            assertEquals(0, s.parameterCount());
            assertEquals(0.0, s.bitsPerWeight());
            assertNull(s.dominantType());
            assertNull(s.architecture());
        }
    }
}
