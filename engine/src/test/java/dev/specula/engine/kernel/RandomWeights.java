package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Random but valid GGML tensor bytes for every type: quant bytes are uniformly random (every bit
 * pattern of quants, packed scales and high-bit masks occurs), then each block's fp16 scale fields are
 * overwritten with small finite values so no block decodes to Inf/NaN. Float types get random
 * Gaussian values.
 */
final class RandomWeights {
    private RandomWeights() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Byte offsets of the fp16 fields (d, dmin/m) inside one block of each quantized type. */
    static int[] halfFieldOffsets(GgmlType type) {
        return switch (type) {
            case Q4_0, Q5_0, Q8_0, IQ4_NL, IQ4_XS -> new int[] {0};
            case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
            case Q2_K -> new int[] {80, 82};
            case Q3_K -> new int[] {108};
            case Q6_K -> new int[] {208};
            case F32, F16, BF16 -> new int[0];
        };
    }

    /** A fresh off-heap segment holding a random {@code rows x cols} matrix of {@code type}. */
    static MemorySegment matrix(GgmlType type, int rows, int cols, Random rnd) {
        long elements = (long) rows * cols;
        long bytes = type.bytesFor(elements);
        if (bytes < 0) throw new IllegalArgumentException(cols + " cols do not fit " + type + " blocks");
        MemorySegment seg = Arena.ofAuto().allocate(bytes, 8);
        switch (type) {
            case F32 -> {
                for (long i = 0; i < elements; i++) seg.set(F32, 4 * i, (float) rnd.nextGaussian());
            }
            case F16 -> {
                for (long i = 0; i < elements; i++) seg.set(U16, 2 * i, Float.floatToFloat16((float) rnd.nextGaussian()));
            }
            case BF16 -> {
                for (long i = 0; i < elements; i++) {
                    seg.set(U16, 2 * i, (short) (Float.floatToRawIntBits((float) rnd.nextGaussian()) >>> 16));
                }
            }
            default -> {
                byte[] raw = new byte[(int) bytes];
                rnd.nextBytes(raw);
                MemorySegment.copy(raw, 0, seg, ValueLayout.JAVA_BYTE, 0, raw.length);
                int[] fields = halfFieldOffsets(type);
                for (long b = 0; b < bytes / type.blockBytes; b++) {
                    for (int f : fields) {
                        float v = (float) ((0.002 + rnd.nextDouble() * 0.05) * (rnd.nextBoolean() ? 1 : -1));
                        seg.set(U16, b * type.blockBytes + f, Float.floatToFloat16(v));
                    }
                }
            }
        }
        return seg;
    }

    /** Gaussian activations. */
    static float[] activations(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }
}
