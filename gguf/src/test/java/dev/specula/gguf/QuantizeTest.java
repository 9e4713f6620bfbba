package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Round-trip accuracy and edge cases of the reference quantizers. */
class QuantizeTest {
    /** Largest relative RMS error (rms(x - dequant(quant(x))) / rms(x)) for Gaussian data, per type. */
    private static final Map<GgmlType, Double> MAX_RELATIVE_RMSE = Map.ofEntries(
            Map.entry(GgmlType.F32, 0.0), Map.entry(GgmlType.F16, 0.001), Map.entry(GgmlType.BF16, 0.005),
            Map.entry(GgmlType.Q8_0, 0.01), Map.entry(GgmlType.Q6_K, 0.03), Map.entry(GgmlType.Q5_0, 0.06),
            Map.entry(GgmlType.Q5_1, 0.06), Map.entry(GgmlType.Q5_K, 0.06), Map.entry(GgmlType.Q4_0, 0.12),
            Map.entry(GgmlType.Q4_1, 0.12), Map.entry(GgmlType.Q4_K, 0.12), Map.entry(GgmlType.IQ4_NL, 0.12),
            Map.entry(GgmlType.IQ4_XS, 0.12), Map.entry(GgmlType.Q3_K, 0.25), Map.entry(GgmlType.Q2_K, 0.45));

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void roundTripErrorIsSmall(GgmlType type) {
        float[] x = new float[256 * 16];
        var rng = RandomBlocks.generator(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian() * 0.02f;
        float[] y = new float[x.length];
        Dequantize.toFloat(type, MemorySegment.ofArray(Quantize.fromFloat(type, x, 0, x.length)), 0, y, 0, y.length);
        double err = 0, ref = 0;
        for (int i = 0; i < x.length; i++) {
            err += (x[i] - y[i]) * (double) (x[i] - y[i]);
            ref += x[i] * (double) x[i];
        }
        double relative = Math.sqrt(err / ref);
        assertTrue(relative <= MAX_RELATIVE_RMSE.get(type), type + ": relative RMS error " + relative);
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void zerosStayZero(GgmlType type) {
        float[] x = new float[256];
        float[] y = new float[256];
        java.util.Arrays.fill(y, 1f);
        Dequantize.toFloat(type, MemorySegment.ofArray(Quantize.fromFloat(type, x, 0, 256)), 0, y, 0, 256);
        for (float v : y) assertEquals(0f, Math.abs(v), type.toString());
    }

    @Test
    void q8_0IsExactForScaledIntegers() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) x[j] = (j - 16) * 0.25f;
        x[0] = -127 * 0.25f; // amax = 31.75, d = 0.25
        float[] y = new float[32];
        Dequantize.toFloat(GgmlType.Q8_0, MemorySegment.ofArray(Quantize.fromFloat(GgmlType.Q8_0, x, 0, 32)), 0, y, 0, 32);
        assertArrayEquals(x, y);
    }

    @Test
    void roundingHelpersMatchC() {
        assertEquals(3, Quantize.roundf(2.5f)); // roundf: half away from zero
        assertEquals(-3, Quantize.roundf(-2.5f));
        assertEquals(0, Quantize.roundf(0.49999997f));
        assertEquals(2, Quantize.nearestInt(2.5f)); // nearest_int: half to even
        assertEquals(4, Quantize.nearestInt(3.5f));
        assertEquals(-2, Quantize.nearestInt(-2.5f));
    }

    @Test
    void bf16RoundsToNearestEvenAndKeepsNaNs() {
        assertEquals((short) 0x3F80, Quantize.floatToBf16(1.0f));
        assertEquals((short) 0x3F80, Quantize.floatToBf16(Float.intBitsToFloat(0x3F808000))); // tie -> even
        assertEquals((short) 0x3F82, Quantize.floatToBf16(Float.intBitsToFloat(0x3F818000))); // tie -> even (up)
        assertEquals((short) 0x3F81, Quantize.floatToBf16(Float.intBitsToFloat(0x3F808001)));
        assertTrue(Float.isNaN(Dequantize.bf16ToFloat(Quantize.floatToBf16(Float.intBitsToFloat(0x7F800001)))));
        assertEquals((short) 0x7F80, Quantize.floatToBf16(Float.POSITIVE_INFINITY));
    }

    @Test
    void rejectsBadArguments() {
        assertEquals("count 33 is not a non-negative multiple of the Q4_0 block size 32",
                assertThrows(IllegalArgumentException.class, () -> Quantize.fromFloat(GgmlType.Q4_0, new float[64], 0, 33)).getMessage());
        assertEquals("32 values at src offset 40 exceed src length 64",
                assertThrows(IndexOutOfBoundsException.class, () -> Quantize.fromFloat(GgmlType.Q4_0, new float[64], 40, 32)).getMessage());
        MemorySegment small = MemorySegment.ofArray(new byte[10]);
        assertEquals("Q4_0: 18 bytes at offset 0 exceed the 10-byte destination",
                assertThrows(IndexOutOfBoundsException.class,
                        () -> Quantize.fromFloat(GgmlType.Q4_0, new float[32], 0, 32, small, 0)).getMessage());
    }
}
