package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.Channels;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RandomBlocksTest {

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void blocksAreFiniteWithTheRequestedSpreadAndDeterministic(GgmlType type) throws IOException {
        int n = 256 * 64;
        float std = 0.02f;
        byte[] bytes = RandomBlocks.generate(type, RandomBlocks.generator(11), n, std);
        assertArrayEquals(bytes, RandomBlocks.generate(type, RandomBlocks.generator(11), n, std));
        assertFalse(Arrays.equals(bytes, RandomBlocks.generate(type, RandomBlocks.generator(12), n, std)));
        float[] v = new float[n];
        Dequantize.toFloat(type, MemorySegment.ofArray(bytes), 0, v, 0, n);
        double sum = 0, sq = 0;
        for (float x : v) {
            assertTrue(Float.isFinite(x), type + " produced " + x);
            sum += x;
            sq += x * (double) x;
        }
        double mean = sum / n, rms = Math.sqrt(sq / n);
        assertTrue(rms > std / 3 && rms < std * 3, type + ": rms " + rms);
        assertTrue(Math.abs(mean) < std, type + ": mean " + mean);

        // The streaming source yields the same bytes as generate() with the same seed.
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        RandomBlocks.source(type, 11, n, std).writeTo(Channels.newChannel(bos));
        assertArrayEquals(bytes, bos.toByteArray());
    }

    @org.junit.jupiter.api.Test
    void rejectsBadArguments() {
        var rng = RandomBlocks.generator(1);
        assertEquals("100 elements is not a multiple of the Q4_K block size 256",
                assertThrows(IllegalArgumentException.class, () -> RandomBlocks.generate(GgmlType.Q4_K, rng, 100, 0.02f)).getMessage());
        assertEquals("std must be positive and finite, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> RandomBlocks.generate(GgmlType.F16, rng, 256, 0f)).getMessage());
        assertEquals("std must be positive and finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> RandomBlocks.generate(GgmlType.F16, rng, 256, Float.NaN)).getMessage());
    }
}
