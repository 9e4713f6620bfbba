package dev.specula.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD element-wise helpers for the forward pass. Each result depends only on the operands and
 * {@code n} (fixed accumulation order: one vector accumulator over full vectors, the lane tree of
 * {@link KernelSpecies#sumLanes(FloatVector)}, then the scalar tail in order), never on the caller, so batched and one-at-a-time forward passes
 * agree bit for bit, also across JIT tiers: {@code reduceLanes(ADD)} and {@code lanewise(EXP)} are not
 * used, because their results changed once C2 compiled the caller; sums use a fixed lane tree and
 * {@code exp} is {@link VectorExp}, built from exactly rounded operations. Functions using {@code exp}
 * process the tail with a masked vector so every element goes through the same vector code.
 */
public final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final VectorSpecies<Short> S = KernelSpecies.SHORT_FOR_FLOAT;
    private static final VectorSpecies<Integer> I = KernelSpecies.INT;
    private static final int L = KernelSpecies.LANES;
    /** Half-precision elements one {@link #widenHalf} load reads (L, or more on a 64-bit-vector machine). */
    private static final int HALF_LOAD = S.length();

    /** {@code sum_i a[aOff+i] * b[bOff+i]}. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        // the lane tree of KernelSpecies.sumLanes(FloatVector), written out: no vector may cross a call C2 could refuse to inline
        if (L >= 16) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_8));
        if (L >= 8) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_4));
        if (L >= 4) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_2));
        if (L >= 2) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_1));
        float s = acc.lane(0);
        for (; i < n; i++) s = Math.fma(a[aOff + i], b[bOff + i], s);
        return s;
    }

    /** {@code sum_i x[off+i]}. */
    public static float sum(float[] x, int off, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) acc = acc.add(FloatVector.fromArray(F, x, off + i));
        // the lane tree of KernelSpecies.sumLanes(FloatVector), written out: no vector may cross a call C2 could refuse to inline
        if (L >= 16) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_8));
        if (L >= 8) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_4));
        if (L >= 4) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_2));
        if (L >= 2) acc = acc.add(acc.rearrange(KernelSpecies.ROTATE_1));
        float s = acc.lane(0);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** {@code max_i x[off+i]} ({@code -Infinity} for n = 0; NaN if any element is NaN). */
    public static float max(float[] x, int off, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) acc = acc.max(FloatVector.fromArray(F, x, off + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    /**
     * {@code dst[dstOff+i] = h[hOff+i]} widened from IEEE half precision, exactly as {@link Float#float16ToFloat}
     * (subnormals, infinities and NaN payloads included): the 15 magnitude bits shifted into a float's exponent and
     * mantissa field give {@code value * 2^-112} (for subnormals too), so one multiply by 2^112 rescales them;
     * exponent 31 (inf, NaN) is rebuilt directly, NaN with its quiet bit set as the hardware does; the sign is
     * or-ed back. (The Vector API has no half-precision conversion.)
     */
    public static void widenHalf(short[] h, int hOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i + HALF_LOAD <= n; i += L) {
            IntVector bits = (IntVector) ShortVector.fromArray(S, h, hOff + i).convertShape(VectorOperators.S2I, I, 0);
            IntVector magnitude = bits.and(0x7FFF);
            IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
            IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
            IntVector value = finite.blend(shifted.or(0x70000000), magnitude.compare(VectorOperators.GE, 0x7C00))
                    .lanewise(VectorOperators.OR, 0x00400000, magnitude.compare(VectorOperators.GT, 0x7C00));
            value.or(bits.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats().intoArray(dst, dstOff + i);
        }
        for (; i < n; i++) dst[dstOff + i] = Float.float16ToFloat(h[hOff + i]);
    }

    /**
     * The first i in [0, n) with {@code x[off+i] == value} (IEEE equality: -0.0 equals 0.0, NaN equals nothing),
     * or -1 if there is none.
     */
    public static int indexOf(float[] x, int off, int n, float value) {
        FloatVector v = FloatVector.broadcast(F, value);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            VectorMask<Float> hit = FloatVector.fromArray(F, x, off + i).eq(v);
            if (hit.anyTrue()) return i + hit.firstTrue();
        }
        for (; i < n; i++) if (x[off + i] == value) return i;
        return -1;
    }

    /**
     * RMS normalization with a learned gain, as ggml's {@code rms_norm} followed by {@code mul}:
     * {@code out[i] = (x[i] * 1/sqrt(mean(x^2) + eps)) * weight[i]}. {@code out} may alias {@code x}.
     */
    public static void rmsNorm(float[] out, int outOff, float[] x, int xOff, float[] weight, int n, float eps) {
        float ss = dot(x, xOff, x, xOff, n);
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        FloatVector sv = FloatVector.broadcast(F, scale);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(sv).mul(FloatVector.fromArray(F, weight, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = (x[xOff + i] * scale) * weight[i];
    }

    /** {@code x[off..off+n) = exp(x - max) / sum(exp(x - max))}; n = 0 is a no-op. */
    public static void softmaxInPlace(float[] x, int off, int n) {
        if (n <= 0) return;
        VectorExp.expInPlace(x, off, n, 1f, max(x, off, n));
        scale(x, off, n, 1f / sum(x, off, n));
    }

    /** {@code y[yOff+i] += a * x[xOff+i]} (fused multiply-add per element). */
    public static void axpy(float a, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(F, x, xOff + i).fma(av, FloatVector.fromArray(F, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i], a, y[yOff + i]);
    }

    /** {@code x[off+i] *= s}. */
    public static void scale(float[] x, int off, int n, float s) {
        FloatVector sv = FloatVector.broadcast(F, s);
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) FloatVector.fromArray(F, x, off + i).mul(sv).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= s;
    }

    /** {@code dst[dOff+i] += src[sOff+i]}. */
    public static void add(float[] dst, int dOff, float[] src, int sOff, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(F, dst, dOff + i).add(FloatVector.fromArray(F, src, sOff + i)).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) dst[dOff + i] += src[sOff + i];
    }

    /**
     * SwiGLU gate: {@code gate[i] = silu(gate[i]) * up[i]} with {@code silu(g) = g / (1 + exp(-g))}, computed as
     * {@code (g * u) / (1 + exp(-g))}; {@code up} is overwritten (with {@code g * u}).
     */
    public static void siluMul(float[] gate, int gOff, float[] up, int uOff, int n) {
        int i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(F, gate, gOff + i).mul(FloatVector.fromArray(F, up, uOff + i)).intoArray(up, uOff + i);
        }
        for (; i < n; i++) up[uOff + i] = gate[gOff + i] * up[uOff + i];
        VectorExp.expInPlace(gate, gOff, n, -1f, 0f);
        i = 0;
        for (int end = F.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(F, up, uOff + i).div(FloatVector.fromArray(F, gate, gOff + i).add(1f)).intoArray(gate, gOff + i);
        }
        for (; i < n; i++) gate[gOff + i] = up[uOff + i] / (gate[gOff + i] + 1f);
    }
}
