package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;

    private static float[] exp(float[] in) {
        float[] out = in.clone();
        VectorExp.expInPlace(out, 0, out.length, 1f, 0f);
        return out;
    }

    @Test
    void signAndShiftAreAppliedExactlyAndOnlyTheRangeChanges() {
        float[] x = {9f, 1.5f, -2f, 0.25f, 3f, -7f, 2f, 11f};
        float[] shifted = x.clone(), negated = x.clone();
        VectorExp.expInPlace(shifted, 1, 6, 1f, 2f);  // exp(x - 2) on [1, 7)
        VectorExp.expInPlace(negated, 1, 6, -1f, 0f); // exp(-x)
        float[] wantShifted = new float[6], wantNegated = new float[6];
        for (int i = 0; i < 6; i++) {
            wantShifted[i] = x[1 + i] - 2f;
            wantNegated[i] = -x[1 + i];
        }
        wantShifted = exp(wantShifted);
        wantNegated = exp(wantNegated);
        for (int i = 0; i < 6; i++) {
            assertEquals(wantShifted[i], shifted[1 + i]);
            assertEquals(wantNegated[i], negated[1 + i]);
        }
        assertEquals(9f, shifted[0]);
        assertEquals(11f, shifted[7]);
        assertEquals(11f, negated[7]);
    }

    @Test
    void withinTwoUlpOfMathExpOverTheNormalRange() {
        Random rnd = new Random(31);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextDouble() * 175 - 87); // [-87, 88]: normal results
        x[0] = 0f;
        x[1] = 1f;
        x[2] = -1e-7f;
        x[3] = 88.3f;
        float[] e = exp(x);
        for (int i = 0; i < x.length; i++) {
            double want = Math.exp(x[i]);
            double ulp = Math.ulp((float) want);
            assertTrue(Math.abs(e[i] - want) <= 2 * ulp, "exp(" + x[i] + ") = " + e[i] + ", want " + want);
        }
        assertEquals(1f, e[0]);
    }

    @Test
    void specialValues() {
        float[] e = exp(new float[] {Float.NEGATIVE_INFINITY, -1000f, -90f, 89f, 1000f, Float.POSITIVE_INFINITY, Float.NaN});
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
        assertEquals(0f, e[2]);
        assertEquals(Float.POSITIVE_INFINITY, e[3]);
        assertEquals(Float.POSITIVE_INFINITY, e[4]);
        assertEquals(Float.POSITIVE_INFINITY, e[5]);
        assertTrue(Float.isNaN(e[6]));
    }

    /** The point of this class: the same bits before and after C2 compiles the callers. */
    @Test
    void softmaxAndSiluGiveTheSameBitsAcrossJitTiers() {
        Random rnd = new Random(32);
        int n = 3 * F.length() + 5;
        float[] logits = new float[n], gate = new float[n], up = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) rnd.nextGaussian() * 8;
            gate[i] = (float) rnd.nextGaussian() * 4;
            up[i] = (float) rnd.nextGaussian();
        }
        float[] soft0 = logits.clone(), silu0 = gate.clone();
        VectorMath.softmaxInPlace(soft0, 0, n); // first calls: interpreter
        VectorMath.siluMul(silu0, 0, up.clone(), 0, n);
        float[] soft = new float[n], silu = new float[n], upCopy = new float[n];
        for (int iteration = 0; iteration < 30_000; iteration++) {
            System.arraycopy(logits, 0, soft, 0, n);
            System.arraycopy(gate, 0, silu, 0, n);
            System.arraycopy(up, 0, upCopy, 0, n); // siluMul overwrites up
            VectorMath.softmaxInPlace(soft, 0, n);
            VectorMath.siluMul(silu, 0, upCopy, 0, n);
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(soft[i]) != Float.floatToRawIntBits(soft0[i])
                        || Float.floatToRawIntBits(silu[i]) != Float.floatToRawIntBits(silu0[i])) {
                    throw new AssertionError("iteration " + iteration + ", element " + i + ": softmax " + soft[i] + " vs "
                            + soft0[i] + ", silu " + silu[i] + " vs " + silu0[i]);
                }
            }
        }
    }
}
