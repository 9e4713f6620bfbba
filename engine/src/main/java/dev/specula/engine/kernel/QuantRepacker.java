package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Decodes GGML quant blocks into the {@link Int8GroupMatrix} layout (or, for linear types of at
 * most 4 bits, the {@link Nibble4Matrix} one): per weight a signed byte
 * {@code q}, per group of 16 or 32 weights a float {@code scale} (and for offset types a float
 * {@code min}), such that {@code scale * q + min} is exactly the value llama.cpp's reference
 * dequantization ({@code dequantize_row_*} in ggml-quants.c) computes. Scales are formed with the
 * same float operations as there (e.g. Q4_K: {@code d1 = d * sc}, {@code min = -(dmin * m)}).
 */
final class QuantRepacker {
    private QuantRepacker() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Non-linear 4-bit code book of IQ4_NL and IQ4_XS (kvalues_iq4nl in ggml-common.h). */
    private static final byte[] IQ4_VALUES = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

    /** Weights per scale group of the repacked layout. */
    static int groupSize(GgmlType type) {
        return switch (type) {
            case Q2_K, Q3_K, Q6_K -> 16;
            default -> 32;
        };
    }

    static boolean hasMin(GgmlType type) {
        return switch (type) {
            case Q4_1, Q5_1, Q2_K, Q4_K, Q5_K -> true;
            default -> false;
        };
    }

    /**
     * For the linear types of at most 4 bits, the integer added to the signed quants to make them
     * unsigned nibbles (folded into the min as {@code -offset * scale}); -1 for the types kept as int8.
     */
    static int nibbleOffset(GgmlType type) {
        return switch (type) {
            case Q4_0 -> 8;
            case Q3_K -> 4;
            case Q4_1, Q4_K, Q2_K -> 0;
            default -> -1;
        };
    }

    /** Repacks a {@code rows x cols} quantized matrix (validated by the caller) into memory from {@code memory}. */
    static WeightMatrix repack(GgmlType type, MemorySegment src, int rows, int cols, WeightMemory memory) {
        int group = groupSize(type);
        long groupCount = (long) rows * cols / group;
        if (groupCount > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " has " + groupCount
                    + " scale groups, more than a Java array holds (" + (Integer.MAX_VALUE - 8) + ")");
        }
        int offset = nibbleOffset(type);
        boolean nibbles = offset >= 0;
        int groupsPerRow = cols / group;
        int blocksPerRow = cols / type.blockSize;
        long rowBytes = (long) blocksPerRow * type.blockBytes;
        int packedRow = nibbles ? cols / 2 : cols;
        MemorySegment packed = memory.allocate((long) rows * packedRow + KernelSpecies.BYTE_OVERREAD);
        float[] scales = new float[(int) groupCount];
        float[] mins = hasMin(type) || nibbles ? new float[(int) groupCount] : null;
        IntStream.range(0, rows).parallel().forEach(row -> {
            byte[] q = new byte[cols];
            long blockOff = row * rowBytes;
            int s = row * groupsPerRow;
            for (int b = 0; b < blocksPerRow; b++, blockOff += type.blockBytes) {
                decodeBlock(type, src, blockOff, q, b * type.blockSize, scales, mins, s + b * (type.blockSize / group));
            }
            byte[] out = q;
            if (nibbles) {
                if (offset != 0) {
                    for (int g = s; g < s + groupsPerRow; g++) mins[g] = -offset * scales[g]; // exact: offset is 4 or 8
                    for (int j = 0; j < cols; j++) q[j] += (byte) offset;
                }
                out = new byte[packedRow];
                Nibble4Matrix.packRow(q, out);
            }
            MemorySegment.copy(out, 0, packed, ValueLayout.JAVA_BYTE, (long) row * packedRow, packedRow);
        });
        return nibbles
                ? new Nibble4Matrix(type, rows, cols, group, offset, packed, scales, mins)
                : new Int8GroupMatrix(type, rows, cols, group, packed, scales, mins);
    }

    private static void decodeBlock(GgmlType type, MemorySegment src, long o, byte[] q, int qo, float[] sc, float[] mn, int so) {
        switch (type) {
            case Q8_0 -> {
                sc[so] = f16(src, o);
                MemorySegment.copy(src, ValueLayout.JAVA_BYTE, o + 2, q, qo, 32);
            }
            case Q4_0 -> {
                sc[so] = f16(src, o);
                nibbles(src, o + 2, q, qo, -8);
            }
            case Q4_1 -> {
                sc[so] = f16(src, o);
                mn[so] = f16(src, o + 2);
                nibbles(src, o + 4, q, qo, 0);
            }
            case Q5_0 -> {
                sc[so] = f16(src, o);
                fiveBit(src.get(U32, o + 2), src, o + 6, q, qo, -16);
            }
            case Q5_1 -> {
                sc[so] = f16(src, o);
                mn[so] = f16(src, o + 2);
                fiveBit(src.get(U32, o + 4), src, o + 8, q, qo, 0);
            }
            case IQ4_NL -> {
                sc[so] = f16(src, o);
                iq4(src, o + 2, q, qo);
            }
            case Q2_K -> q2k(src, o, q, qo, sc, mn, so);
            case Q3_K -> q3k(src, o, q, qo, sc, so);
            case Q4_K -> q4k(src, o, q, qo, sc, mn, so);
            case Q5_K -> q5k(src, o, q, qo, sc, mn, so);
            case Q6_K -> q6k(src, o, q, qo, sc, so);
            case IQ4_XS -> iq4xs(src, o, q, qo, sc, so);
            default -> throw new IllegalArgumentException(type + " is not a quantized block type");
        }
    }

    private static float f16(MemorySegment s, long o) {
        return Float.float16ToFloat(s.get(U16, o));
    }

    private static int u8(MemorySegment s, long o) {
        return s.get(ValueLayout.JAVA_BYTE, o) & 0xFF;
    }

    /** 16 bytes of nibbles: low nibbles are weights 0..15, high nibbles 16..31; {@code bias} is added. */
    private static void nibbles(MemorySegment s, long o, byte[] q, int qo, int bias) {
        for (int j = 0; j < 16; j++) {
            int v = u8(s, o + j);
            q[qo + j] = (byte) ((v & 0xF) + bias);
            q[qo + j + 16] = (byte) ((v >>> 4) + bias);
        }
    }

    /** Q5_0/Q5_1: nibbles plus the fifth bit of weight j in bit j of {@code qh}. */
    private static void fiveBit(int qh, MemorySegment s, long o, byte[] q, int qo, int bias) {
        for (int j = 0; j < 16; j++) {
            int v = u8(s, o + j);
            int h0 = ((qh >>> j) << 4) & 0x10;
            int h1 = (qh >>> (j + 12)) & 0x10;
            q[qo + j] = (byte) (((v & 0xF) | h0) + bias);
            q[qo + j + 16] = (byte) (((v >>> 4) | h1) + bias);
        }
    }

    private static void iq4(MemorySegment s, long o, byte[] q, int qo) {
        for (int j = 0; j < 16; j++) {
            int v = u8(s, o + j);
            q[qo + j] = IQ4_VALUES[v & 0xF];
            q[qo + j + 16] = IQ4_VALUES[v >>> 4];
        }
    }

    /** Q2_K: scales[16] (4-bit scale | 4-bit min), qs[64] (2-bit), d, dmin; 16 groups of 16. */
    private static void q2k(MemorySegment s, long o, byte[] q, int qo, float[] sc, float[] mn, int so) {
        float d = f16(s, o + 80), dmin = f16(s, o + 82);
        int is = 0, y = qo;
        for (int n = 0; n < 2; n++) {
            long qs = o + 16 + 32L * n;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int half = 0; half < 2; half++, is++) {
                    int scByte = u8(s, o + is);
                    sc[so + is] = d * (scByte & 0xF);
                    mn[so + is] = -(dmin * (scByte >>> 4));
                    for (int l = 0; l < 16; l++) q[y++] = (byte) ((u8(s, qs + 16 * half + l) >>> shift) & 3);
                }
            }
        }
    }

    /** Q3_K: hmask[32], qs[64], 12 bytes of packed 6-bit scales, d; 16 groups of 16, q in [-4, 3]. */
    private static void q3k(MemorySegment s, long o, byte[] q, int qo, float[] sc, int so) {
        float dAll = f16(s, o + 108);
        int a0 = s.get(U32, o + 96), a1 = s.get(U32, o + 100), tmp = s.get(U32, o + 104);
        final int kmask1 = 0x03030303, kmask2 = 0x0f0f0f0f;
        int[] aux = {
            (a0 & kmask2) | (((tmp) & kmask1) << 4),
            (a1 & kmask2) | (((tmp >>> 2) & kmask1) << 4),
            ((a0 >>> 4) & kmask2) | (((tmp >>> 4) & kmask1) << 4),
            ((a1 >>> 4) & kmask2) | (((tmp >>> 6) & kmask1) << 4)};
        for (int g = 0; g < 16; g++) {
            int scale6 = (aux[g >>> 2] >>> (8 * (g & 3))) & 0xFF; // 6-bit value, as the int8 in ggml
            sc[so + g] = dAll * (scale6 - 32);
        }
        int y = qo, m = 1;
        for (int n = 0; n < 2; n++) {
            long qs = o + 32 + 32L * n;
            for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                for (int half = 0; half < 2; half++) {
                    for (int l = 0; l < 16; l++) {
                        int idx = 16 * half + l;
                        int low = (u8(s, qs + idx) >>> shift) & 3;
                        q[y++] = (byte) (low - ((u8(s, o + idx) & m) != 0 ? 0 : 4));
                    }
                }
            }
        }
    }

    /** The 6-bit scale (index 0) and min (index 1) of sub-block j of Q4_K/Q5_K (get_scale_min_k4). */
    private static int scaleMinK4(MemorySegment s, long scales, int j, boolean min) {
        if (j < 4) return u8(s, scales + j + (min ? 4 : 0)) & 63;
        if (!min) return (u8(s, scales + j + 4) & 0xF) | ((u8(s, scales + j - 4) >>> 6) << 4);
        return (u8(s, scales + j + 4) >>> 4) | ((u8(s, scales + j) >>> 6) << 4);
    }

    /** Q4_K: d, dmin, scales[12], qs[128]; 8 groups of 32. */
    private static void q4k(MemorySegment s, long o, byte[] q, int qo, float[] sc, float[] mn, int so) {
        float d = f16(s, o), dmin = f16(s, o + 2);
        long scales = o + 4;
        for (int g = 0; g < 8; g++) {
            sc[so + g] = d * scaleMinK4(s, scales, g, false);
            mn[so + g] = -(dmin * scaleMinK4(s, scales, g, true));
        }
        int y = qo;
        for (int c = 0; c < 4; c++) {
            long qs = o + 16 + 32L * c;
            for (int l = 0; l < 32; l++) q[y + l] = (byte) (u8(s, qs + l) & 0xF);
            for (int l = 0; l < 32; l++) q[y + 32 + l] = (byte) (u8(s, qs + l) >>> 4);
            y += 64;
        }
    }

    /** Q5_K: d, dmin, scales[12], qh[32], qs[128]; 8 groups of 32. */
    private static void q5k(MemorySegment s, long o, byte[] q, int qo, float[] sc, float[] mn, int so) {
        float d = f16(s, o), dmin = f16(s, o + 2);
        long scales = o + 4, qh = o + 16;
        for (int g = 0; g < 8; g++) {
            sc[so + g] = d * scaleMinK4(s, scales, g, false);
            mn[so + g] = -(dmin * scaleMinK4(s, scales, g, true));
        }
        int y = qo, u1 = 1, u2 = 2;
        for (int c = 0; c < 4; c++, u1 <<= 2, u2 <<= 2) {
            long qs = o + 48 + 32L * c;
            for (int l = 0; l < 32; l++) {
                int v = u8(s, qs + l), h = u8(s, qh + l);
                q[y + l] = (byte) ((v & 0xF) + ((h & u1) != 0 ? 16 : 0));
                q[y + 32 + l] = (byte) ((v >>> 4) + ((h & u2) != 0 ? 16 : 0));
            }
            y += 64;
        }
    }

    /** Q6_K: ql[128], qh[64], int8 scales[16], d; 16 groups of 16, q in [-32, 31]. */
    private static void q6k(MemorySegment s, long o, byte[] q, int qo, float[] sc, int so) {
        float d = f16(s, o + 208);
        for (int g = 0; g < 16; g++) sc[so + g] = d * s.get(ValueLayout.JAVA_BYTE, o + 192 + g);
        for (int n = 0; n < 2; n++) {
            long ql = o + 64L * n, qh = o + 128 + 32L * n;
            int y = qo + 128 * n;
            for (int l = 0; l < 32; l++) {
                int lo0 = u8(s, ql + l), lo1 = u8(s, ql + l + 32), h = u8(s, qh + l);
                q[y + l] = (byte) (((lo0 & 0xF) | ((h & 3) << 4)) - 32);
                q[y + l + 32] = (byte) (((lo1 & 0xF) | (((h >>> 2) & 3) << 4)) - 32);
                q[y + l + 64] = (byte) (((lo0 >>> 4) | (((h >>> 4) & 3) << 4)) - 32);
                q[y + l + 96] = (byte) (((lo1 >>> 4) | (((h >>> 6) & 3) << 4)) - 32);
            }
        }
    }

    /** IQ4_XS: d, scales_h (u16), scales_l[4], qs[128]; 8 groups of 32 with 6-bit scales. */
    private static void iq4xs(MemorySegment s, long o, byte[] q, int qo, float[] sc, int so) {
        float d = f16(s, o);
        int scalesH = s.get(U16, o + 2) & 0xFFFF;
        for (int ib = 0; ib < 8; ib++) {
            int ls = ((u8(s, o + 4 + ib / 2) >>> (4 * (ib % 2))) & 0xF) | (((scalesH >>> (2 * ib)) & 3) << 4);
            sc[so + ib] = d * (ls - 32);
            iq4(s, o + 8 + 16L * ib, q, qo + 32 * ib);
        }
    }
}
