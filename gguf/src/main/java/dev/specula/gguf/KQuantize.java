package dev.specula.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reference quantizers of the K-quants (super-blocks of 256), translated from ggml's
 * {@code quantize_row_q{2,3,4,5,6}_K_ref} and their helpers {@code make_qx_quants},
 * {@code make_q3_quants}, {@code make_qkx2_quants}. The float operations are kept in ggml's order so
 * the bytes equal llama-quantize's output without an importance matrix.
 */
final class KQuantize {
    private KQuantize() {}

    private static final int QK_K = 256;
    private static final float GROUP_MAX_EPS = 1e-15f;

    private static int nearestInt(float v) {
        return Quantize.nearestInt(v);
    }

    private static void setByte(MemorySegment s, long at, int v) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) v);
    }

    /** The element of {@code x[xo, xo + n)} with the largest magnitude, sign kept (first one on ties). */
    private static float largestMagnitude(float[] x, int xo, int n) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        return max;
    }

    /**
     * make_qx_quants with rmse_type 1 (weights w = x^2, or {@code qw} when given): symmetric
     * quantization to [-nmax, nmax-1] (stored in L as l + nmax) choosing among 19 candidate scales
     * the one that maximizes (sum w q x)^2 / sum w q^2; returns the scale.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xo, int[] L, int lo, float[] qw) {
        float max = largestMagnitude(x, xo, n);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lo + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
            L[lo + i] = l + nmax;
            float w = qw != null ? qw[i] : xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) continue;
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
                float w = qw != null ? qw[i] : xi * xi;
                sumlx += w * xi * l;
                suml2 += w * l * l;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    int l = nearestInt(iscale * x[xo + i]);
                    L[lo + i] = nmax + Math.max(-nmax, Math.min(nmax - 1, l));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * make_q3_quants with do_rmse: like {@link #makeQxQuants} but refined by up to 5 rounds of
     * coordinate descent, moving single quants when that improves (sum w q x)^2 / sum w q^2.
     */
    static float makeQ3Quants(int n, int nmax, float[] x, int xo, int[] L, int lo) {
        float max = largestMagnitude(x, xo, n);
        if (Math.abs(max) < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) L[lo + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
            L[lo + i] = l;
            float w = xi * xi;
            sumlx += w * xi * l;
            suml2 += w * l * l;
        }
        for (int itry = 0; itry < 5; itry++) {
            int changed = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                float w = xi * xi;
                float slx = sumlx - w * xi * L[lo + i];
                if (slx > 0) {
                    float sl2 = suml2 - w * L[lo + i] * L[lo + i];
                    int newL = Math.max(-nmax, Math.min(nmax - 1, nearestInt(xi * sl2 / slx)));
                    if (newL != L[lo + i]) {
                        slx += w * xi * newL;
                        sl2 += w * newL * newL;
                        if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
                            L[lo + i] = newL;
                            sumlx = slx;
                            suml2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0) break;
        }
        for (int i = 0; i < n; i++) L[lo + i] += nmax;
        return suml2 > 0.0f ? sumlx / suml2 : 0.0f;
    }

    /**
     * make_qkx2_quants: asymmetric quantization x ~ scale * l - min with l in [0, nmax]; tries
     * nstep+1 inverse scales (rmin + rdelta*is + nmax) / (max - min), each followed by a weighted
     * least-squares fit of scale and min, keeping the lowest weighted error (absolute when
     * {@code useMad}). Returns the scale; {@code mins[mi]} receives -min.
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xo, float[] weights, int[] L, int lo,
                                float[] mins, int mi, float rmin, float rdelta, int nstep, boolean useMad) {
        float min = x[xo], max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            float xi = x[xo + i];
            if (xi < min) min = xi;
            if (xi > max) max = xi;
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) L[lo + i] = 0;
            mins[mi] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int l = nearestInt(iscale * (x[xo + i] - min));
            L[lo + i] = Math.max(0, Math.min(nmax, l));
            float diff = scale * L[lo + i] + min - x[xo + i];
            diff = useMad ? Math.abs(diff) : diff * diff;
            bestError += weights[i] * diff;
        }
        int[] aux = new int[n];
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = Math.max(0, Math.min(nmax, nearestInt(iscale * (x[xo + i] - min))));
                aux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xo + i];
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * aux[i] + thisMin - x[xo + i];
                    diff = useMad ? Math.abs(diff) : diff * diff;
                    curError += weights[i] * diff;
                }
                if (curError < bestError) {
                    System.arraycopy(aux, 0, L, lo, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        mins[mi] = -min;
        return scale;
    }

    /** Packs 2-bit values: byte l of each 32-byte group holds elements j+l, j+l+32, j+l+64, j+l+96 (bits 0-1 .. 6-7). */
    private static void pack2Bits(int[] L, MemorySegment y, long qs) {
        for (int j = 0; j < QK_K; j += 128) {
            for (int l = 0; l < 32; l++) {
                setByte(y, qs + j / 4 + l, L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
            }
        }
    }

    /** quantize_row_q2_K_ref: 16 sub-blocks of 16, 4-bit scale and min relative to fp16 d and dmin. */
    static void q2_k(float[] x, int o, MemorySegment y, long at) {
        int[] L = new int[QK_K];
        float[] weights = new float[16];
        float[] mins = new float[16];
        float[] scales = new float[16];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 16; j++) {
            for (int l = 0; l < 16; l++) weights[l] = Math.abs(x[o + 16 * j + l]);
            scales[j] = makeQkx2Quants(16, 3, x, o + 16 * j, weights, L, 16 * j, mins, j, -0.5f, 0.1f, 15, true);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        int[] sc = new int[16];
        if (maxScale > 0) {
            float iscale = 15f / maxScale;
            for (int j = 0; j < 16; j++) sc[j] = nearestInt(iscale * scales[j]) & 0xFF;
            y.set(Quantize.U16, at + 80, Quantize.floatToHalf(maxScale / 15f));
        } else {
            y.set(Quantize.U16, at + 80, Quantize.floatToHalf(0f));
        }
        if (maxMin > 0) {
            float iscale = 15f / maxMin;
            for (int j = 0; j < 16; j++) sc[j] = (sc[j] | (nearestInt(iscale * mins[j]) << 4)) & 0xFF;
            y.set(Quantize.U16, at + 82, Quantize.floatToHalf(maxMin / 15f));
        } else {
            y.set(Quantize.U16, at + 82, Quantize.floatToHalf(0f));
        }
        float dAll = Float.float16ToFloat(y.get(Quantize.U16, at + 80));
        float dminAll = Float.float16ToFloat(y.get(Quantize.U16, at + 82));
        for (int j = 0; j < 16; j++) {
            setByte(y, at + j, sc[j]);
            float d = dAll * (sc[j] & 0xF);
            if (d == 0) continue;
            float dm = dminAll * (sc[j] >>> 4);
            for (int ii = 0; ii < 16; ii++) {
                int l = nearestInt((x[o + 16 * j + ii] + dm) / d);
                L[16 * j + ii] = Math.max(0, Math.min(3, l));
            }
        }
        pack2Bits(L, y, at + 16);
    }

    /** quantize_row_q3_K_ref: 16 sub-blocks of 16 with 6-bit signed scales; 2 low bits in qs, the 3rd in hmask. */
    static void q3_k(float[] x, int o, MemorySegment y, long at) {
        int[] L = new int[QK_K];
        float[] scales = new float[16];
        float maxScale = 0, amax = 0;
        for (int j = 0; j < 16; j++) {
            scales[j] = makeQ3Quants(16, 4, x, o + 16 * j, L, 16 * j);
            float scale = Math.abs(scales[j]);
            if (scale > amax) {
                amax = scale;
                maxScale = scales[j];
            }
        }
        int[] packed = new int[12];
        if (maxScale != 0) {
            float iscale = -32f / maxScale;
            for (int j = 0; j < 16; j++) {
                int l = (byte) nearestInt(iscale * scales[j]);
                l = Math.max(-32, Math.min(31, l)) + 32;
                if (j < 8) packed[j] = l & 0xF;
                else packed[j - 8] |= (l & 0xF) << 4;
                l >>= 4;
                packed[j % 4 + 8] |= l << (2 * (j / 4));
            }
            y.set(Quantize.U16, at + 108, Quantize.floatToHalf(1 / iscale));
        } else {
            y.set(Quantize.U16, at + 108, Quantize.floatToHalf(0f));
        }
        for (int i = 0; i < 12; i++) setByte(y, at + 96 + i, packed[i]);
        float dAll = Float.float16ToFloat(y.get(Quantize.U16, at + 108));
        for (int j = 0; j < 16; j++) {
            int sc = Dequantize.q3kScale(y, at + 96, j) - 32;
            float d = dAll * sc;
            if (d == 0) continue;
            for (int ii = 0; ii < 16; ii++) {
                int l = nearestInt(x[o + 16 * j + ii] / d);
                L[16 * j + ii] = Math.max(-4, Math.min(3, l)) + 4;
            }
        }
        // The high bit of element j goes to bit j / 32 of hmask[j % 32].
        int[] hmask = new int[32];
        for (int j = 0; j < QK_K; j++) {
            if (L[j] > 3) {
                hmask[j % 32] |= 1 << (j / 32);
                L[j] -= 4;
            }
        }
        for (int m = 0; m < 32; m++) setByte(y, at + m, hmask[m]);
        pack2Bits(L, y, at + 32);
    }

    /** Stores the eight 6-bit scales and mins of Q4_K/Q5_K in their 12-byte packing (inverse of get_scale_min_k4). */
    private static void packScalesMinsK4(int[] ls, int[] lm, MemorySegment y, long scales) {
        int[] p = new int[12];
        for (int j = 0; j < 8; j++) {
            if (j < 4) {
                p[j] = ls[j];
                p[j + 4] = lm[j];
            } else {
                p[j + 4] = (ls[j] & 0xF) | ((lm[j] & 0xF) << 4);
                p[j - 4] |= (ls[j] >>> 4) << 6;
                p[j] |= (lm[j] >>> 4) << 6;
            }
        }
        for (int i = 0; i < 12; i++) setByte(y, scales + i, p[i]);
    }

    /**
     * The common part of quantize_row_q4_K_ref / q5_K_ref: per 32-block asymmetric fits with weights
     * av_x + |x|, then 6-bit scales and mins relative to fp16 d = maxScale/63, dmin = maxMin/63, and
     * the final levels in [0, nmax]. Writes d, dmin and scales; returns the levels.
     */
    private static int[] fitK4(float[] x, int o, int nmax, float rmin, float rdelta, int nstep, MemorySegment y, long at) {
        int[] L = new int[QK_K];
        float[] weights = new float[32];
        float[] mins = new float[8];
        float[] scales = new float[8];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[o + 32 * j + l] * x[o + 32 * j + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = avX + Math.abs(x[o + 32 * j + l]);
            scales[j] = makeQkx2Quants(32, nmax, x, o + 32 * j, weights, L, 32 * j, mins, j, rmin, rdelta, nstep, false);
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        int[] ls = new int[8], lm = new int[8];
        for (int j = 0; j < 8; j++) {
            ls[j] = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            lm[j] = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
        }
        packScalesMinsK4(ls, lm, y, at + 4);
        y.set(Quantize.U16, at, Quantize.floatToHalf(maxScale / 63f));
        y.set(Quantize.U16, at + 2, Quantize.floatToHalf(maxMin / 63f));
        float dAll = Float.float16ToFloat(y.get(Quantize.U16, at));
        float dminAll = Float.float16ToFloat(y.get(Quantize.U16, at + 2));
        for (int j = 0; j < 8; j++) {
            float d = dAll * Dequantize.k4Scale(y, at + 4, j);
            if (d == 0) continue;
            float dm = dminAll * Dequantize.k4Min(y, at + 4, j);
            for (int ii = 0; ii < 32; ii++) {
                int l = nearestInt((x[o + 32 * j + ii] + dm) / d);
                L[32 * j + ii] = Math.max(0, Math.min(nmax, l));
            }
        }
        return L;
    }

    /** quantize_row_q4_K_ref: 8 sub-blocks of 32, 4-bit levels; byte l of 32-group g holds elements 64g+l and 64g+l+32. */
    static void q4_k(float[] x, int o, MemorySegment y, long at) {
        int[] L = fitK4(x, o, 15, -1f, 0.1f, 20, y, at);
        long q = at + 16;
        for (int j = 0; j < QK_K; j += 64) {
            for (int l = 0; l < 32; l++) setByte(y, q + l, L[j + l] | (L[j + l + 32] << 4));
            q += 32;
        }
    }

    /** quantize_row_q5_K_ref: like Q4_K with 5-bit levels; the 5th bits go to qh (2 bits per 64-group). */
    static void q5_k(float[] x, int o, MemorySegment y, long at) {
        int[] L = fitK4(x, o, 31, -0.5f, 0.1f, 15, y, at);
        int[] qh = new int[32];
        long ql = at + 48;
        int m1 = 1, m2 = 2;
        for (int n = 0; n < QK_K; n += 64) {
            for (int j = 0; j < 32; j++) {
                int l1 = L[n + j];
                if (l1 > 15) {
                    l1 -= 16;
                    qh[j] |= m1;
                }
                int l2 = L[n + j + 32];
                if (l2 > 15) {
                    l2 -= 16;
                    qh[j] |= m2;
                }
                setByte(y, ql + j, l1 | (l2 << 4));
            }
            m1 <<= 2;
            m2 <<= 2;
            ql += 32;
        }
        for (int j = 0; j < 32; j++) setByte(y, at + 16 + j, qh[j]);
    }

    /** quantize_row_q6_K_ref: 16 sub-blocks of 16 with int8 scales relative to fp16 d; 6-bit levels split 4+2. */
    static void q6_k(float[] x, int o, MemorySegment y, long at) {
        int[] L = new int[QK_K];
        float[] scales = new float[16];
        float maxScale = 0, maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++) {
            float scale = makeQxQuants(16, 32, x, o + 16 * ib, L, 16 * ib, null);
            scales[ib] = scale;
            float abs = Math.abs(scale);
            if (abs > maxAbsScale) {
                maxAbsScale = abs;
                maxScale = scale;
            }
        }
        if (maxAbsScale < GROUP_MAX_EPS) {
            y.asSlice(at, GgmlType.Q6_K.blockBytes).fill((byte) 0);
            return;
        }
        float iscale = -128f / maxScale;
        y.set(Quantize.U16, at + 208, Quantize.floatToHalf(1 / iscale));
        for (int ib = 0; ib < 16; ib++) setByte(y, at + 192 + ib, Math.min(127, nearestInt(iscale * scales[ib])));
        float dAll = Float.float16ToFloat(y.get(Quantize.U16, at + 208));
        for (int j = 0; j < 16; j++) {
            float d = dAll * y.get(ValueLayout.JAVA_BYTE, at + 192 + j);
            if (d == 0) continue;
            for (int ii = 0; ii < 16; ii++) {
                int l = nearestInt(x[o + 16 * j + ii] / d);
                L[16 * j + ii] = Math.max(-32, Math.min(31, l)) + 32;
            }
        }
        long ql = at, qh = at + 128;
        for (int j = 0; j < QK_K; j += 128) {
            for (int l = 0; l < 32; l++) {
                int q1 = L[j + l] & 0xF, q2 = L[j + l + 32] & 0xF, q3 = L[j + l + 64] & 0xF, q4 = L[j + l + 96] & 0xF;
                setByte(y, ql + l, q1 | (q3 << 4));
                setByte(y, ql + l + 32, q2 | (q4 << 4));
                setByte(y, qh + l, (L[j + l] >>> 4) | ((L[j + l + 32] >>> 4) << 2) | ((L[j + l + 64] >>> 4) << 4)
                        | ((L[j + l + 96] >>> 4) << 6));
            }
            ql += 64;
            qh += 32;
        }
    }
}
