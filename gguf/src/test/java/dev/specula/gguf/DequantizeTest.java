package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Hand-built blocks with known values, and argument checking of {@link Dequantize}. */
class DequantizeTest {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void f32CopiesLittleEndianFloats() {
        MemorySegment s = Arena.ofAuto().allocate(16);
        float[] values = {1.5f, -0f, Float.MIN_VALUE, -3.25e7f};
        for (int i = 0; i < 4; i++) s.set(F32, 4L * i, values[i]);
        float[] out = new float[5];
        Dequantize.toFloat(GgmlType.F32, s, 4, out, 1, 3);
        assertArrayEquals(new float[] {0, -0f, Float.MIN_VALUE, -3.25e7f, 0}, out);
    }

    @Test
    void halfAndBf16Conversions() {
        assertEquals(1.0f, Dequantize.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, Dequantize.halfToFloat((short) 0xC000));
        assertEquals(65504f, Dequantize.halfToFloat((short) 0x7BFF));
        assertEquals(1.0f, Dequantize.bf16ToFloat((short) 0x3F80));
        assertEquals(-1.5f, Dequantize.bf16ToFloat((short) 0xBFC0));
        assertTrue(Float.isNaN(Dequantize.bf16ToFloat((short) 0x7FC0)));
    }

    @Test
    void q8_0BlockIsScaleTimesSignedBytes() {
        MemorySegment s = Arena.ofAuto().allocate(34);
        s.set(U16, 0, (short) 0x3800); // 0.5
        for (int j = 0; j < 32; j++) s.set(ValueLayout.JAVA_BYTE, 2 + j, (byte) (j * 9 - 128));
        float[] out = new float[32];
        Dequantize.toFloat(GgmlType.Q8_0, s, 0, out, 0, 32);
        for (int j = 0; j < 32; j++) assertEquals((byte) (j * 9 - 128) * 0.5f, out[j]);
    }

    @Test
    void q4_0PutsLowNibblesFirst() {
        MemorySegment s = Arena.ofAuto().allocate(18);
        s.set(U16, 0, (short) 0x4000); // 2.0
        for (int j = 0; j < 16; j++) s.set(ValueLayout.JAVA_BYTE, 2 + j, (byte) (j | ((15 - j) << 4)));
        float[] out = new float[32];
        Dequantize.toFloat(GgmlType.Q4_0, s, 0, out, 0, 32);
        for (int j = 0; j < 16; j++) {
            assertEquals((j - 8) * 2f, out[j]);
            assertEquals((15 - j - 8) * 2f, out[j + 16]);
        }
    }

    @Test
    void elementAddressingSkipsWholeBlocks() {
        MemorySegment s = Arena.ofAuto().allocate(34 * 3);
        for (int b = 0; b < 3; b++) {
            s.set(U16, 34L * b, (short) 0x3C00); // 1.0
            for (int j = 0; j < 32; j++) s.set(ValueLayout.JAVA_BYTE, 34L * b + 2 + j, (byte) (b * 32 + j));
        }
        float[] out = new float[32];
        Dequantize.toFloatElements(GgmlType.Q8_0, s, 64, out, 0, 32);
        for (int j = 0; j < 32; j++) assertEquals(64 + j, out[j]);
        Dequantize.row(GgmlType.Q8_0, s, 1, 32, out, 0);
        for (int j = 0; j < 32; j++) assertEquals(32 + j, out[j]);
    }

    @Test
    void rejectsPartialBlocksAndOutOfRangeAccess() {
        MemorySegment s = Arena.ofAuto().allocate(36);
        float[] out = new float[64];
        var partial = assertThrows(IllegalArgumentException.class, () -> Dequantize.toFloat(GgmlType.Q4_0, s, 0, out, 0, 31));
        assertEquals("count 31 is not a non-negative multiple of the Q4_0 block size 32", partial.getMessage());
        var misaligned = assertThrows(IllegalArgumentException.class,
                () -> Dequantize.toFloatElements(GgmlType.Q4_0, s, 16, out, 0, 32));
        assertEquals("first element 16 is not a non-negative multiple of the Q4_0 block size 32", misaligned.getMessage());
        var pastSource = assertThrows(IndexOutOfBoundsException.class, () -> Dequantize.toFloat(GgmlType.Q4_0, s, 20, out, 0, 32));
        assertEquals("Q4_0: 32 elements (18 bytes) at byte offset 20 exceed the 36-byte source", pastSource.getMessage());
        var pastDst = assertThrows(IndexOutOfBoundsException.class, () -> Dequantize.toFloat(GgmlType.Q4_0, s, 0, out, 40, 64));
        assertEquals("64 values at dst offset 40 exceed dst length 64", pastDst.getMessage());
    }
}
