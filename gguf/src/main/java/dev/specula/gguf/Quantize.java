package dev.specula.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reference quantizers: float values to the bytes of a {@link GgmlType}, following ggml's
 * {@code quantize_row_*_ref} (ggml-quants.c) without an importance matrix, which is what
 * {@code llama-quantize} does for a tensor when no imatrix is given. Scalar and written for
 * clarity; the results are byte-identical to llama.cpp's (verified against the golden quants).
 *
 * <p>Supported: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, IQ4_NL, IQ4_XS here, and the
 * K-quants through {@link KQuantize}.
 */
public final class Quantize {
    private Quantize() {}

    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Quantizes {@code src[off .. off+count)} ({@code count} a multiple of the block size) into a new array. */
    public static byte[] fromFloat(GgmlType type, float[] src, int off, int count) {
        long bytes = type.bytesFor(count);
        if (bytes < 0)
            throw new IllegalArgumentException("count " + count + " is not a non-negative multiple of the " + type
                    + " block size " + type.blockSize);
        byte[] out = new byte[Math.toIntExact(bytes)];
        fromFloat(type, src, off, count, MemorySegment.ofArray(out), 0);
        return out;
    }

    /**
     * Quantizes {@code src[off .. off+count)} into {@code dst} at byte {@code dstOffset}
     * ({@code type.bytesFor(count)} bytes are written).
     */
    public static void fromFloat(GgmlType type, float[] src, int off, int count, MemorySegment dst, long dstOffset) {
        long bytes = type.bytesFor(count);
        if (bytes < 0)
            throw new IllegalArgumentException("count " + count + " is not a non-negative multiple of the " + type
                    + " block size " + type.blockSize);
        if (off < 0 || off > src.length - count)
            throw new IndexOutOfBoundsException(count + " values at src offset " + off + " exceed src length " + src.length);
        if (dstOffset < 0 || dstOffset > dst.byteSize() - bytes)
            throw new IndexOutOfBoundsException(type + ": " + bytes + " bytes at offset " + dstOffset + " exceed the "
                    + dst.byteSize() + "-byte destination");
        int blocks = count / type.blockSize;
        for (int b = 0; b < blocks; b++) {
            int x = off + b * type.blockSize;
            long at = dstOffset + (long) b * type.blockBytes;
            switch (type) {
                case F32 -> dst.set(F32, at, src[x]);
                case F16 -> dst.set(U16, at, floatToHalf(src[x]));
                case BF16 -> dst.set(U16, at, floatToBf16(src[x]));
                case Q4_0 -> q4_0(src, x, dst, at);
                case Q4_1 -> q4_1(src, x, dst, at);
                case Q5_0 -> q5_0(src, x, dst, at);
                case Q5_1 -> q5_1(src, x, dst, at);
                case Q8_0 -> q8_0(src, x, dst, at);
                case IQ4_NL -> Iq4Quantizer.block(src, x, dst, at, false);
                case IQ4_XS -> Iq4Quantizer.block(src, x, dst, at, true);
                case Q2_K -> KQuantize.q2_k(src, x, dst, at);
                case Q3_K -> KQuantize.q3_k(src, x, dst, at);
                case Q4_K -> KQuantize.q4_k(src, x, dst, at);
                case Q5_K -> KQuantize.q5_k(src, x, dst, at);
                case Q6_K -> KQuantize.q6_k(src, x, dst, at);
            }
        }
    }

    /** float to IEEE half, round to nearest even (GGML_FP32_TO_FP16). */
    public static short floatToHalf(float f) {
        return Float.floatToFloat16(f);
    }

    /**
     * float to bfloat16 as ggml's GGML_FP32_TO_BF16: round to nearest even; a NaN keeps its top
     * bits and is forced quiet.
     */
    public static short floatToBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) return (short) ((u >>> 16) | 64);
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    /** The fp16-rounded value, as the dequantizer will see a stored scale. */
    static float roundHalf(float f) {
        return Float.float16ToFloat(Float.floatToFloat16(f));
    }

    /** C's roundf: round half away from zero. */
    static int roundf(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    /** ggml's nearest_int: round half to even via the 1.5*2^23 trick (for |v| < 2^22). */
    static int nearestInt(float v) {
        return (int) Math.rint(v);
    }

    private static void setByte(MemorySegment s, long at, int v) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) v);
    }

    /** Value with the largest magnitude (the first one on ties), keeping its sign. */
    private static float signedAbsMax(float[] x, int o, int n) {
        float amax = 0, max = 0;
        for (int j = 0; j < n; j++) {
            float v = x[o + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    /** quantize_row_q4_0_ref: d = max / -8 (max = signed value of largest magnitude), q = min(15, (int)(x/d + 8.5)). */
    private static void q4_0(float[] x, int o, MemorySegment y, long at) {
        float d = signedAbsMax(x, o, 32) / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        y.set(U16, at, floatToHalf(d));
        for (int j = 0; j < 16; j++) {
            int xi0 = Math.min(15, (int) (x[o + j] * id + 8.5f));
            int xi1 = Math.min(15, (int) (x[o + 16 + j] * id + 8.5f));
            setByte(y, at + 2 + j, xi0 | (xi1 << 4));
        }
    }

    /** quantize_row_q4_1_ref: d = (max - min) / 15, m = min, q = min(15, (int)((x - min)/d + 0.5)). */
    private static void q4_1(float[] x, int o, MemorySegment y, long at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            if (x[o + j] < min) min = x[o + j];
            if (x[o + j] > max) max = x[o + j];
        }
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        y.set(U16, at, floatToHalf(d));
        y.set(U16, at + 2, floatToHalf(min));
        for (int j = 0; j < 16; j++) {
            int xi0 = Math.min(15, (int) ((x[o + j] - min) * id + 0.5f));
            int xi1 = Math.min(15, (int) ((x[o + 16 + j] - min) * id + 0.5f));
            setByte(y, at + 4 + j, xi0 | (xi1 << 4));
        }
    }

    /** quantize_row_q5_0_ref: d = max / -16, q = min(31, (int)(x/d + 16.5)); bit 4 of q goes to qh. */
    private static void q5_0(float[] x, int o, MemorySegment y, long at) {
        float d = signedAbsMax(x, o, 32) / -16;
        float id = d != 0 ? 1.0f / d : 0.0f;
        y.set(U16, at, floatToHalf(d));
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int xi0 = Math.min(31, (int) (x[o + j] * id + 16.5f));
            int xi1 = Math.min(31, (int) (x[o + 16 + j] * id + 16.5f));
            setByte(y, at + 6 + j, (xi0 & 0xF) | ((xi1 & 0xF) << 4));
            qh |= ((xi0 & 0x10) >>> 4) << j;
            qh |= ((xi1 & 0x10) >>> 4) << (j + 16);
        }
        y.set(I32, at + 2, qh);
    }

    /** quantize_row_q5_1_ref: d = (max - min) / 31, m = min, q = (int)((x - min)/d + 0.5). */
    private static void q5_1(float[] x, int o, MemorySegment y, long at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            if (x[o + j] < min) min = x[o + j];
            if (x[o + j] > max) max = x[o + j];
        }
        float d = (max - min) / 31;
        float id = d != 0 ? 1.0f / d : 0.0f;
        y.set(U16, at, floatToHalf(d));
        y.set(U16, at + 2, floatToHalf(min));
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int xi0 = Math.min(31, (int) ((x[o + j] - min) * id + 0.5f));
            int xi1 = Math.min(31, (int) ((x[o + 16 + j] - min) * id + 0.5f));
            setByte(y, at + 8 + j, (xi0 & 0xF) | ((xi1 & 0xF) << 4));
            qh |= ((xi0 & 0x10) >>> 4) << j;
            qh |= ((xi1 & 0x10) >>> 4) << (j + 16);
        }
        y.set(I32, at + 4, qh);
    }

    /** quantize_row_q8_0_ref: d = amax / 127, q = roundf(x / d). */
    private static void q8_0(float[] x, int o, MemorySegment y, long at) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        y.set(U16, at, floatToHalf(d));
        for (int j = 0; j < 32; j++) setByte(y, at + 2 + j, roundf(x[o + j] * id));
    }
}
