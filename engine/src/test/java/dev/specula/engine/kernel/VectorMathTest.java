package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each helper against a scalar (double where it matters) reference, over lengths around the vector width. */
class VectorMathTest {
    private static final int[] LENGTHS = {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 33, 64, 100, 257};

    private static float[] random(Random rnd, int n, int pad) {
        float[] a = new float[n + pad];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    private static void close(double expected, double got, double magnitude, String what) {
        assertTrue(Math.abs(expected - got) <= 1e-6 * magnitude + 1e-30,
                what + ": expected " + expected + ", got " + got + " (magnitude " + magnitude + ")");
    }

    /** Every one of the 65536 half-precision bit patterns (NaN payloads included), widened by the SIMD path, equals Float.float16ToFloat. */
    @Test
    void halfPrecisionHelpersWidenEveryBitPatternExactly() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) all[i] = (short) i;
        float[] widened = new float[all.length + 3];
        VectorMath.widenHalf(all, 0, widened, 3, all.length);
        for (int i = 0; i < all.length; i++) {
            assertEquals(Float.floatToRawIntBits(Float.float16ToFloat(all[i])), Float.floatToRawIntBits(widened[3 + i]),
                    "half bits 0x" + Integer.toHexString(i) + " (" + Float.float16ToFloat(all[i]) + ")");
        }
        for (int round = 0; round < 400; round++) { // until C2 has compiled widenHalf: the same bits in every tier
            VectorMath.widenHalf(all, 0, widened, 3, all.length);
            for (int i = 0; i < all.length; i++) {
                if (Float.floatToRawIntBits(Float.float16ToFloat(all[i])) != Float.floatToRawIntBits(widened[3 + i])) {
                    throw new AssertionError("round " + round + ": half bits 0x" + Integer.toHexString(i) + " widened to "
                            + widened[3 + i] + ", want " + Float.float16ToFloat(all[i]));
                }
            }
        }
        Random rnd = new Random(13);
        for (int n : LENGTHS) { // every length around the vector width, odd offsets
            short[] h = new short[n + 2];
            for (int i = 0; i < h.length; i++) h[i] = Float.floatToFloat16((float) rnd.nextGaussian());
            float[] dst = new float[n + 1];
            VectorMath.widenHalf(h, 2, dst, 1, n);
            for (int i = 0; i < n; i++) assertEquals(Float.float16ToFloat(h[2 + i]), dst[1 + i], "n=" + n + " i=" + i);
        }
    }

    @Test
    void indexOfFindsTheFirstEqualElement() {
        for (int n : LENGTHS) {
            float[] a = new float[n + 4];
            for (int i = 0; i < a.length; i++) a[i] = i;
            for (int i = 0; i < n; i++) assertEquals(i, VectorMath.indexOf(a, 2, n, 2 + i), "n=" + n);
            assertEquals(-1, VectorMath.indexOf(a, 2, n, 1), "before the range");
            assertEquals(-1, VectorMath.indexOf(a, 2, n, 2 + n), "after the range");
            if (n > 1) {
                a[2 + n - 1] = 2 + n / 2f; // a later duplicate (or the value itself, for n = 2)
                a[2 + n / 2] = 2 + n / 2f;
                assertEquals(n / 2, VectorMath.indexOf(a, 2, n, 2 + n / 2f));
            }
        }
        assertEquals(1, VectorMath.indexOf(new float[] {1f, -0.0f, 0.0f}, 0, 3, 0.0f), "IEEE equality: -0.0 == 0.0");
        assertEquals(-1, VectorMath.indexOf(new float[] {Float.NaN, Float.NaN}, 0, 2, Float.NaN), "NaN equals nothing");
    }

    @Test
    void reductionsMatchScalar() {
        Random rnd = new Random(11);
        for (int n : LENGTHS) {
            float[] a = random(rnd, n, 5), b = random(rnd, n, 3);
            double dot = 0, dotMag = 0, sum = 0, sumMag = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                dot += (double) a[2 + i] * b[1 + i];
                dotMag += Math.abs((double) a[2 + i] * b[1 + i]);
                sum += a[2 + i];
                sumMag += Math.abs(a[2 + i]);
                max = Math.max(max, a[2 + i]);
            }
            close(dot, VectorMath.dot(a, 2, b, 1, n), dotMag, "dot n=" + n);
            close(sum, VectorMath.sum(a, 2, n), sumMag, "sum n=" + n);
            assertEquals(max, VectorMath.max(a, 2, n), "max n=" + n);
        }
    }

    @Test
    void elementwiseOpsMatchScalar() {
        Random rnd = new Random(12);
        for (int n : LENGTHS) {
            float[] x = random(rnd, n, 4), y = random(rnd, n, 4);
            float a = 0.37f;

            float[] axpy = y.clone();
            VectorMath.axpy(a, x, 1, axpy, 2, n);
            float[] scale = x.clone();
            VectorMath.scale(scale, 3, n, a);
            float[] add = y.clone();
            VectorMath.add(add, 0, x, 4, n);
            float[] expAxpy = y.clone(), expScale = x.clone(), expAdd = y.clone();
            for (int i = 0; i < n; i++) {
                expAxpy[2 + i] = Math.fma(a, x[1 + i], y[2 + i]);
                expScale[3 + i] = x[3 + i] * a;
                expAdd[i] = y[i] + x[4 + i];
            }
            assertArrayEquals(expAxpy, axpy, "axpy n=" + n);
            assertArrayEquals(expScale, scale, "scale n=" + n);
            assertArrayEquals(expAdd, add, "add n=" + n);
        }
    }

    @Test
    void siluMulMatchesScalar() {
        Random rnd = new Random(13);
        for (int n : LENGTHS) {
            float[] g = random(rnd, n, 2), u = random(rnd, n, 2);
            g[0] = 30f; // large |x|: silu saturates without overflow
            if (n > 1) g[1] = -30f;
            float[] got = g.clone(), upScratch = u.clone();
            VectorMath.siluMul(got, 0, upScratch, 1, n);
            for (int i = 0; i < n; i++) {
                assertEquals(g[i] * u[1 + i], upScratch[1 + i], "up is overwritten with gate * up");
                double silu = g[i] / (1 + Math.exp(-g[i]));
                double want = silu * u[1 + i];
                close(want, got[i], Math.abs(want) * 4 + 1e-12, "siluMul n=" + n + " i=" + i);
            }
            for (int i = n; i < got.length; i++) assertEquals(g[i], got[i], "siluMul wrote past n");
        }
    }

    @Test
    void rmsNormMatchesScalar() {
        Random rnd = new Random(14);
        for (int n : LENGTHS) {
            if (n == 0) continue;
            float[] x = random(rnd, n, 1), w = random(rnd, n, 0);
            float[] out = new float[n + 2];
            VectorMath.rmsNorm(out, 2, x, 1, w, n, 1e-5f);
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) x[1 + i] * x[1 + i];
            double inv = 1 / Math.sqrt(ss / n + 1e-5);
            for (int i = 0; i < n; i++) {
                double want = x[1 + i] * inv * w[i];
                close(want, out[2 + i], Math.abs(want) * 2, "rmsNorm n=" + n + " i=" + i);
            }
            float[] inPlace = x.clone(); // aliasing out == x is allowed
            VectorMath.rmsNorm(inPlace, 1, inPlace, 1, w, n, 1e-5f);
            for (int i = 0; i < n; i++) assertEquals(out[2 + i], inPlace[1 + i], "in-place rmsNorm n=" + n);
        }
    }

    @Test
    void softmaxMatchesScalarAndIsDeterministic() {
        Random rnd = new Random(15);
        for (int n : LENGTHS) {
            float[] x = random(rnd, n, 3);
            for (int i = 0; i < x.length; i++) x[i] *= 10;
            float[] got = x.clone();
            VectorMath.softmaxInPlace(got, 2, n);
            double max = Double.NEGATIVE_INFINITY, z = 0;
            for (int i = 0; i < n; i++) max = Math.max(max, x[2 + i]);
            for (int i = 0; i < n; i++) z += Math.exp(x[2 + i] - max);
            double total = 0;
            for (int i = 0; i < n; i++) {
                double want = Math.exp(x[2 + i] - max) / z;
                close(want, got[2 + i], want * 4, "softmax n=" + n + " i=" + i);
                total += got[2 + i];
            }
            if (n > 0) assertEquals(1.0, total, 1e-5);
            assertEquals(x[0], got[0]);
            assertEquals(x[1], got[1]);
            float[] again = x.clone();
            VectorMath.softmaxInPlace(again, 2, n);
            assertArrayEquals(got, again, "softmax is deterministic");
        }
        float[] withInf = {Float.NEGATIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY, 1f};
        VectorMath.softmaxInPlace(withInf, 0, 4); // masked-out entries (as in attention) get probability 0
        assertArrayEquals(new float[] {0f, 0.5f, 0f, 0.5f}, withInf);
    }
}
