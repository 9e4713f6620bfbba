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

    /**
     * Short species whose first {@link #LANES} lanes widen to one {@link #INT} vector with {@code convertShape(S2I, INT, 0)}:
     * {@code LANES * 16} bits, but at least the 64-bit minimum shape (then it has more lanes than {@link #LANES}).
     */
    static final VectorSpecies<Short> SHORT_FOR_FLOAT =
            VectorSpecies.of(short.class, VectorShape.forBitSize(Math.max(64, LANES * 16)));

    /** Int species of the same shape as {@link #FLOAT} (same lane count). */
    static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());

    /** Bytes a {@link #BYTE_FOR_FLOAT} load may read past the last weight of a matrix. */
    static final int BYTE_OVERREAD = BYTE_FOR_FLOAT.length();

    // lane rotations by 8, 4, 2, 1 (those at or beyond LANES are never used)
    static final VectorShuffle<Float> ROTATE_8 = rotation(8);
    static final VectorShuffle<Float> ROTATE_4 = rotation(4);
    static final VectorShuffle<Float> ROTATE_2 = rotation(2);
    static final VectorShuffle<Float> ROTATE_1 = rotation(1);

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

    /**
     * The same sum, in the same pairwise order and hence to the same bits, of {@code lanes[0 .. LANES)}
     * (a vector just stored with {@code intoArray}); the array is overwritten. The matrix kernels end
     * this way rather than by calling {@link #sumLanes(FloatVector)}: their big tile methods exhaust
     * C2's inlining budget ({@code NodeCountInliningCutoff}), and a call that takes a vector argument
     * and is not inlined makes C2 box the accumulator (observed as an allocation per loop iteration
     * and a 1.5-2x slower k-row kernel). A store and a scalar tree need no inlining.
     */
    static float sumLanes(float[] lanes) {
        float[] t = lanes;
        // each stage adds lane i + by to lane i for i < by, as rotate-and-add does for the lanes lane 0 depends on
        if (LANES == 16) {
            float s0 = t[0] + t[8], s1 = t[1] + t[9], s2 = t[2] + t[10], s3 = t[3] + t[11];
            float s4 = t[4] + t[12], s5 = t[5] + t[13], s6 = t[6] + t[14], s7 = t[7] + t[15];
            float u0 = s0 + s4, u1 = s1 + s5, u2 = s2 + s6, u3 = s3 + s7;
            return (u0 + u2) + (u1 + u3);
        }
        if (LANES == 8) {
            float u0 = t[0] + t[4], u1 = t[1] + t[5], u2 = t[2] + t[6], u3 = t[3] + t[7];
            return (u0 + u2) + (u1 + u3);
        }
        if (LANES == 4) return (t[0] + t[2]) + (t[1] + t[3]);
        if (LANES == 2) return t[0] + t[1];
        return t[0];
    }

    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    /** This thread's {@link #LANES}-float scratch for {@link #sumLanes(float[])}: fetched once per multiply call. */
    static float[] laneScratch() {
        return LANE_SCRATCH.get();
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
