package dev.specula.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Scalar reference dequantization of every supported {@link GgmlType}: the oracle that the SIMD
 * kernels of the engine are property-tested against. Written for clarity, not speed.
 *
 * <p>Each block decoder follows ggml's {@code dequantize_row_*} (ggml-quants.c) with the block
 * layouts of ggml-common.h, including the order of float operations, so the results are the ones
 * llama.cpp's reference code produces (without FMA contraction).
 */
public final class Dequantize {
    private Dequantize() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Super-block size of the K-quants and IQ4_XS (QK_K). */
    private static final int QK_K = 256;

    /** The 16 non-uniform levels of IQ4_NL and IQ4_XS (kvalues_iq4nl in ggml-common.h). */
    static final byte[] IQ4NL_LEVELS = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    /**
     * Decodes {@code count} elements (a multiple of the type's block size) starting at byte
     * {@code srcOffset} of {@code src} into {@code dst[dstOffset ..]}. {@code srcOffset} must be
     * the start of a block.
     *
     * @throws IllegalArgumentException if {@code count} is negative or not a multiple of the block size
     * @throws IndexOutOfBoundsException if the blocks lie outside {@code src} or the values outside {@code dst}
     */
    public static void toFloat(GgmlType type, MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        if (count < 0 || count % type.blockSize != 0)
            throw new IllegalArgumentException("count " + count + " is not a non-negative multiple of the " + type
                    + " block size " + type.blockSize);
        long blocks = count / type.blockSize;
        long bytes = blocks * type.blockBytes;
        if (srcOffset < 0 || srcOffset > src.byteSize() - bytes)
            throw new IndexOutOfBoundsException(type + ": " + count + " elements (" + bytes + " bytes) at byte offset "
                    + srcOffset + " exceed the " + src.byteSize() + "-byte source");
        if (dstOffset < 0 || dstOffset > dst.length - count)
            throw new IndexOutOfBoundsException(count + " values at dst offset " + dstOffset + " exceed dst length " + dst.length);
        switch (type) { // element types: one tight loop instead of a call per element
            case F32 -> {
                MemorySegment.copy(src, F32, srcOffset, dst, dstOffset, count);
                return;
            }
            case F16 -> {
                for (int i = 0; i < count; i++) dst[dstOffset + i] = Float.float16ToFloat(src.get(U16, srcOffset + 2L * i));
                return;
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) dst[dstOffset + i] = bf16ToFloat(src.get(U16, srcOffset + 2L * i));
                return;
            }
            default -> { }
        }
        long at = srcOffset;
        int out = dstOffset;
        for (long b = 0; b < blocks; b++) {
            decodeBlock(type, src, at, dst, out);
            at += type.blockBytes;
            out += type.blockSize;
        }
    }

    /**
     * Like {@link #toFloat}, but addressed by element: decodes {@code count} elements of a tensor
     * whose bytes are {@code tensorData}, starting at element {@code firstElement}. Both
     * {@code firstElement} and {@code count} must be multiples of the block size (e.g. a whole row).
     */
    public static void toFloatElements(GgmlType type, MemorySegment tensorData, long firstElement, float[] dst, int dstOffset, int count) {
        if (firstElement < 0 || firstElement % type.blockSize != 0)
            throw new IllegalArgumentException("first element " + firstElement + " is not a non-negative multiple of the "
                    + type + " block size " + type.blockSize);
        toFloat(type, tensorData, firstElement / type.blockSize * type.blockBytes, dst, dstOffset, count);
    }

    /** Decodes one row of a 2-D tensor ({@code cols} = dims[0] elements per row) into {@code dst[dstOffset ..]}. */
    public static void row(GgmlType type, MemorySegment tensorData, long row, int cols, float[] dst, int dstOffset) {
        toFloatElements(type, tensorData, row * cols, dst, dstOffset, cols);
    }

    /** IEEE half (binary16) bits to float, as ggml's GGML_FP16_TO_FP32 (exact). */
    public static float halfToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** bfloat16 bits to float, as ggml's GGML_BF16_TO_FP32 (exact: the top 16 bits of a float). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    private static float half(MemorySegment s, long at) {
        return Float.float16ToFloat(s.get(U16, at));
    }

    private static int u8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    private static int i8(MemorySegment s, long at) {
        return s.get(ValueLayout.JAVA_BYTE, at);
    }

    private static void decodeBlock(GgmlType type, MemorySegment s, long at, float[] y, int o) {
        switch (type) {
            case F32 -> y[o] = s.get(F32, at);
            case F16 -> y[o] = half(s, at);
            case BF16 -> y[o] = bf16ToFloat(s.get(U16, at));
            case Q4_0 -> q4_0(s, at, y, o);
            case Q4_1 -> q4_1(s, at, y, o);
            case Q5_0 -> q5_0(s, at, y, o);
            case Q5_1 -> q5_1(s, at, y, o);
            case Q8_0 -> q8_0(s, at, y, o);
            case Q2_K -> q2_k(s, at, y, o);
            case Q3_K -> q3_k(s, at, y, o);
            case Q4_K -> q4_k(s, at, y, o);
            case Q5_K -> q5_k(s, at, y, o);
            case Q6_K -> q6_k(s, at, y, o);
            case IQ4_NL -> iq4_nl(s, at, y, o);
            case IQ4_XS -> iq4_xs(s, at, y, o);
        }
    }

    /** block_q4_0 {half d; u8 qs[16]}: y[j] = (lo(qs[j]) - 8) d, y[j+16] = (hi(qs[j]) - 8) d. */
    private static void q4_0(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 2 + j);
            y[o + j] = ((q & 0xF) - 8) * d;
            y[o + j + 16] = ((q >>> 4) - 8) * d;
        }
    }

    /** block_q4_1 {half d, m; u8 qs[16]}: y = q d + m. */
    private static void q4_1(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        float m = half(s, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 4 + j);
            y[o + j] = (q & 0xF) * d + m;
            y[o + j + 16] = (q >>> 4) * d + m;
        }
    }

    /** block_q5_0 {half d; u32 qh; u8 qs[16]}: bit j of qh is the 5th bit of element j; y = (q - 16) d. */
    private static void q5_0(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        int qh = s.get(I32, at + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = (((q & 0xF) | h0) - 16) * d;
            y[o + j + 16] = (((q >>> 4) | h1) - 16) * d;
        }
    }

    /** block_q5_1 {half d, m; u32 qh; u8 qs[16]}: y = q d + m with 5-bit q. */
    private static void q5_1(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        float m = half(s, at + 2);
        int qh = s.get(I32, at + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            y[o + j] = ((q & 0xF) | h0) * d + m;
            y[o + j + 16] = ((q >>> 4) | h1) * d + m;
        }
    }

    /** block_q8_0 {half d; i8 qs[32]}: y = q d. */
    private static void q8_0(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        for (int j = 0; j < 32; j++) y[o + j] = i8(s, at + 2 + j) * d;
    }

    /**
     * block_q2_K {u8 scales[16]; u8 qs[64]; half d, dmin}: 16 sub-blocks of 16; scales[i] holds a
     * 4-bit scale (low) and 4-bit min (high); y = d*sc * q - dmin*m with 2-bit q.
     */
    private static void q2_k(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at + 80);
        float min = half(s, at + 82);
        long q = at + 16;
        int is = 0;
        for (int n = 0; n < QK_K; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; j++) {
                for (int part = 0; part < 2; part++) {
                    int sc = u8(s, at + is++);
                    float dl = d * (sc & 0xF);
                    float ml = min * (sc >>> 4);
                    for (int l = 0; l < 16; l++) y[o++] = dl * ((u8(s, q + l + 16 * part) >>> shift) & 3) - ml;
                }
                shift += 2;
            }
            q += 32;
        }
    }

    /**
     * block_q3_K {u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d}: 16 sub-blocks of 16 with 6-bit
     * signed scales (stored minus 32, packed 4+2 bits); the 3rd bit of each quant is in hmask and
     * a cleared bit subtracts 4: y = d*(sc-32) * (q2 - (h ? 0 : 4)).
     */
    private static void q3_k(MemorySegment s, long at, float[] y, int o) {
        float dAll = half(s, at + 108);
        long scales = at + 96;
        long q = at + 32;
        long hm = at;
        int m = 1;
        int is = 0;
        for (int n = 0; n < QK_K; n += 128) {
            int shift = 0;
            for (int j = 0; j < 4; j++) {
                for (int part = 0; part < 2; part++) {
                    float dl = dAll * (q3kScale(s, scales, is++) - 32);
                    for (int l = 0; l < 16; l++) {
                        int idx = l + 16 * part;
                        int q2 = (u8(s, q + idx) >>> shift) & 3;
                        int sub = (u8(s, hm + idx) & m) != 0 ? 0 : 4;
                        y[o++] = dl * (q2 - sub);
                    }
                }
                shift += 2;
                m <<= 1;
            }
            q += 32;
        }
    }

    /**
     * The j-th (0..15) 6-bit Q3_K scale, unsigned 0..63, from its 12-byte packing (the kmask1/kmask2
     * shuffle of ggml): low 4 bits are nibble j / 8 of byte j % 8, high 2 bits are bits
     * 2*(j / 4) .. 2*(j / 4)+1 of byte 8 + j % 4.
     */
    static int q3kScale(MemorySegment s, long scales, int j) {
        int low = (u8(s, scales + (j % 8)) >>> (4 * (j / 8))) & 0xF;
        int high = (u8(s, scales + 8 + (j % 4)) >>> (2 * (j / 4))) & 3;
        return low | (high << 4);
    }

    /** ggml's get_scale_min_k4, scale part: the j-th (0..7) 6-bit scale of a Q4_K/Q5_K block. */
    static int k4Scale(MemorySegment s, long scales, int j) {
        return j < 4 ? u8(s, scales + j) & 63
                : (u8(s, scales + j + 4) & 0xF) | ((u8(s, scales + j - 4) >>> 6) << 4);
    }

    /** ggml's get_scale_min_k4, min part: the j-th (0..7) 6-bit min of a Q4_K/Q5_K block. */
    static int k4Min(MemorySegment s, long scales, int j) {
        return j < 4 ? u8(s, scales + j + 4) & 63
                : (u8(s, scales + j + 4) >>> 4) | ((u8(s, scales + j) >>> 6) << 4);
    }

    /**
     * block_q4_K {half d, dmin; u8 scales[12]; u8 qs[128]}: 8 sub-blocks of 32 with 6-bit scale and
     * min; y = d*sc * q - dmin*m.
     */
    private static void q4_k(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        float min = half(s, at + 2);
        long scales = at + 4;
        long q = at + 16;
        for (int is = 0; is < 8; is += 2) {
            float d1 = d * k4Scale(s, scales, is), m1 = min * k4Min(s, scales, is);
            float d2 = d * k4Scale(s, scales, is + 1), m2 = min * k4Min(s, scales, is + 1);
            for (int l = 0; l < 32; l++) y[o + l] = d1 * (u8(s, q + l) & 0xF) - m1;
            for (int l = 0; l < 32; l++) y[o + 32 + l] = d2 * (u8(s, q + l) >>> 4) - m2;
            q += 32;
            o += 64;
        }
    }

    /** block_q5_K {half d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}: Q4_K plus a 5th bit from qh. */
    private static void q5_k(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        float min = half(s, at + 2);
        long scales = at + 4;
        long qh = at + 16;
        long ql = at + 48;
        int u1 = 1, u2 = 2;
        for (int is = 0; is < 8; is += 2) {
            float d1 = d * k4Scale(s, scales, is), m1 = min * k4Min(s, scales, is);
            float d2 = d * k4Scale(s, scales, is + 1), m2 = min * k4Min(s, scales, is + 1);
            for (int l = 0; l < 32; l++) {
                int h = (u8(s, qh + l) & u1) != 0 ? 16 : 0;
                y[o + l] = d1 * ((u8(s, ql + l) & 0xF) + h) - m1;
            }
            for (int l = 0; l < 32; l++) {
                int h = (u8(s, qh + l) & u2) != 0 ? 16 : 0;
                y[o + 32 + l] = d2 * ((u8(s, ql + l) >>> 4) + h) - m2;
            }
            ql += 32;
            o += 64;
            u1 <<= 2;
            u2 <<= 2;
        }
    }

    /**
     * block_q6_K {u8 ql[128]; u8 qh[64]; i8 scales[16]; half d}: 16 sub-blocks of 16 with signed
     * 8-bit scales; 6-bit quants = 4 low bits from ql + 2 high bits from qh, minus 32; y = d*sc*q.
     */
    private static void q6_k(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at + 208);
        long ql = at;
        long qh = at + 128;
        long sc = at + 192;
        for (int n = 0; n < QK_K; n += 128) {
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int h = u8(s, qh + l);
                int lo = u8(s, ql + l);
                int lo32 = u8(s, ql + l + 32);
                int q1 = ((lo & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((lo32 & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((lo >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((lo32 >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                y[o + l] = d * i8(s, sc + is) * q1;
                y[o + l + 32] = d * i8(s, sc + is + 2) * q2;
                y[o + l + 64] = d * i8(s, sc + is + 4) * q3;
                y[o + l + 96] = d * i8(s, sc + is + 6) * q4;
            }
            o += 128;
            ql += 64;
            qh += 32;
            sc += 8;
        }
    }

    /** block_iq4_nl {half d; u8 qs[16]}: like Q4_0 but the nibble indexes the non-uniform table. */
    private static void iq4_nl(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        for (int j = 0; j < 16; j++) {
            int q = u8(s, at + 2 + j);
            y[o + j] = d * IQ4NL_LEVELS[q & 0xF];
            y[o + j + 16] = d * IQ4NL_LEVELS[q >>> 4];
        }
    }

    /**
     * block_iq4_xs {half d; u16 scales_h; u8 scales_l[4]; u8 qs[128]}: 8 sub-blocks of 32, each with
     * a 6-bit scale (4 low bits in scales_l, 2 high in scales_h) minus 32; y = d*(ls-32) * level.
     */
    private static void iq4_xs(MemorySegment s, long at, float[] y, int o) {
        float d = half(s, at);
        int scalesH = s.get(U16, at + 2) & 0xFFFF;
        long qs = at + 8;
        for (int ib = 0; ib < 8; ib++) {
            int ls = ((u8(s, at + 4 + ib / 2) >>> (4 * (ib % 2))) & 0xF) | (((scalesH >>> (2 * ib)) & 3) << 4);
            float dl = d * (ls - 32);
            for (int j = 0; j < 16; j++) {
                int q = u8(s, qs + j);
                y[o + j] = dl * IQ4NL_LEVELS[q & 0xF];
                y[o + j + 16] = dl * IQ4NL_LEVELS[q >>> 4];
            }
            qs += 16;
            o += 32;
        }
    }
}
