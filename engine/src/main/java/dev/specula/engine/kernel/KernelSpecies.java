package dev.specula.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses, chosen once at startup from the machine's preferred shape
 * (512-bit on AVX-512, 256-bit on AVX2 or under {@code -XX:MaxVectorSize=32}, 128-bit on NEON or under
 * {@code -XX:MaxVectorSize=16}). Kernels copy these into their own {@code static final} fields so C2
 * sees constants. A hard-coded 512-bit species would fall back to the 100x slower Java implementation
 * on narrower machines, hence no fixed species anywhere in the engine.
 */
final class KernelSpecies {
    private KernelSpecies() {}

    /** Widest float species the hardware runs natively, capped at 16 lanes (a quant group of 16 weights). */
    static final VectorSpecies<Float> FLOAT = pickFloat();

    /** Float lanes per vector: 16, 8 or 4 (or 2 on a 64-bit vector machine). */
    static final int LANES = FLOAT.length();

    /**
     * Byte species whose first {@link #LANES} lanes widen to one {@link #FLOAT} vector with
     * {@code convertShape(B2F, FLOAT, 0)}: {@code LANES * 8} bits, but at least the 64-bit minimum shape
     * (then only the low lanes are used and the over-read is covered by padding).
     */
    static final VectorSpecies<Byte> BYTE_FOR_FLOAT =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, LANES * 8)));

    /**
     * Whether kernels may use 8-activation-row tiles (16 vector accumulators + weights + activations
     * live at once): only with 512-bit vectors, which imply AVX-512's 32 vector registers; narrower
     * shapes may have only 16 (AVX2), where such a tile would spill.
     */
    static final boolean WIDE_TILES = LANES >= 16;

    /** Int species of the same shape as {@link #FLOAT} (same lane count). */
    static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());

    /** Bytes a {@link #BYTE_FOR_FLOAT} load may read past the last weight of a matrix. */
    static final int BYTE_OVERREAD = BYTE_FOR_FLOAT.length();

    // lane rotations by 8, 4, 2, 1 (those at or beyond LANES are never used)
    private static final VectorShuffle<Float> ROTATE_8 = rotation(8);
    private static final VectorShuffle<Float> ROTATE_4 = rotation(4);
    private static final VectorShuffle<Float> ROTATE_2 = rotation(2);
    private static final VectorShuffle<Float> ROTATE_1 = rotation(1);

    /**
     * Sum of the lanes in a fixed pairwise order: {@code v += rotate(v, LANES/2)}, ... down to a
     * rotation by one, then lane 0. Used instead of {@code reduceLanes(ADD)}, whose float order the
     * Vector API leaves unspecified and which C2 was seen to compile to different bits at different
     * call sites of the same kernel (k = 1 vs k = 2 results differing in the last bit after JIT);
     * this explicit tree of lane-wise adds gives the same bits everywhere, which the batching
     * invariant needs.
     */
    static float sumLanes(FloatVector v) {
        if (LANES >= 16) v = v.add(v.rearrange(ROTATE_8));
        if (LANES >= 8) v = v.add(v.rearrange(ROTATE_4));
        if (LANES >= 4) v = v.add(v.rearrange(ROTATE_2));
        if (LANES >= 2) v = v.add(v.rearrange(ROTATE_1));
        return v.lane(0);
    }

    private static VectorShuffle<Float> rotation(int by) {
        return VectorShuffle.fromOp(FLOAT, i -> (i + by) & (LANES - 1));
    }

    private static VectorSpecies<Float> pickFloat() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (preferred.length() <= 16) return preferred;
        return VectorSpecies.of(float.class, VectorShape.forBitSize(512));
    }
}
