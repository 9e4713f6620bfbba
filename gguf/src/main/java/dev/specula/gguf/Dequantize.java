package dev.specula.gguf;

import java.lang.foreign.MemorySegment;

/**
 * Scalar reference dequantization of every supported {@link GgmlType}: the oracle that the SIMD
 * kernels of the engine are property-tested against. Written for clarity, not speed.
 */
public final class Dequantize {
    private Dequantize() {}

    /**
     * Decodes {@code count} elements (a multiple of the type's block size) starting at byte
     * {@code srcOffset} of {@code src} into {@code dst[dstOffset ..]}.
     */
    public static void toFloat(GgmlType type, MemorySegment src, long srcOffset, float[] dst, int dstOffset, int count) {
        throw new UnsupportedOperationException("being written"); // replaced by the gguf work package
    }
}
