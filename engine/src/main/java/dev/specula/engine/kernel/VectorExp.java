package dev.specula.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp} over a float array, built only from exactly rounded IEEE operations (fma, mul, add,
 * compare, int conversion and bit shifts), so it gives the same bits in the interpreter, C1 and C2.
 * The Vector API's {@code lanewise(EXP)} does not: it runs a Java fallback until C2 replaces it with
 * an SVML stub, and the two differ in the last bit for some inputs, which would make forward passes
 * depend on JIT warm-up.
 *
 * <p>Method (Cephes {@code expf}): {@code n = floor(x log2 e + 1/2)}, {@code r = x - n ln 2} (ln 2
 * split into an exact high part and a correction), {@code e^r} by a degree-7 polynomial
 * {@code 1 + r + r^2 (p5 + p4 r + ... + p0 r^5)}, times {@code 2^n} built in the exponent bits.
 * Relative error about 2 ulp. Inputs below about -87.6 give 0 (most subnormal results are flushed), above 88.723
 * give +Infinity, NaN stays NaN.
 */
final class VectorExp {
    private VectorExp() {}

    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final float CLAMP = 88.3762626647949f; // |n| <= 127 keeps 2^n a normal float
    private static final float OVERFLOW = 88.72283905206835f; // ln(Float.MAX_VALUE)
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f; // exact in few bits: n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /**
     * {@code x[off+i] = exp(sign * x[off+i] - shift)} for i in [0, n) ({@code sign * x - shift} as one fma, exact for
     * sign = +-1 and shift = 0 or x - shift). One masked vector body for every element, the tail included, so
     * every element goes through the same operations; it takes and returns arrays only, so no vector crosses a call
     * that C2 might decline to inline (it would box the vector on every call).
     */
    static void expInPlace(float[] a, int off, int n, float sign, float shift) {
        for (int i = 0; i < n; i += F.length()) {
            VectorMask<Float> in = F.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(F, a, off + i, in).fma(sign, -shift);
            FloatVector xc = x.max(-CLAMP).min(CLAMP);
            FloatVector fx = xc.fma(LOG2E, 0.5f);
            FloatVector k = ((IntVector) fx.convert(VectorOperators.F2I, 0)).convert(VectorOperators.I2F, 0)
                    .reinterpretAsFloats();
            k = k.sub(1f, k.compare(VectorOperators.GT, fx)); // truncation rounded up a negative value: floor
            FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), xc);
            r = k.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector z = r.mul(r);
            FloatVector p = FloatVector.broadcast(F, P0);
            p = p.fma(r, FloatVector.broadcast(F, P1));
            p = p.fma(r, FloatVector.broadcast(F, P2));
            p = p.fma(r, FloatVector.broadcast(F, P3));
            p = p.fma(r, FloatVector.broadcast(F, P4));
            p = p.fma(r, FloatVector.broadcast(F, P5));
            p = p.fma(z, r).add(1f);
            FloatVector pow2 = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector e = p.mul(pow2);
            e = e.blend(0f, x.compare(VectorOperators.LT, -CLAMP));
            e.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, OVERFLOW)).intoArray(a, off + i, in);
        }
    }
}
