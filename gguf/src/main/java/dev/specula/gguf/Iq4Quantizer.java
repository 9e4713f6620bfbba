package dev.specula.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml's {@code quantize_row_iq4_nl_impl} without an importance matrix (weights = x^2, 7 scale
 * tries), shared by IQ4_NL (one block of 32, fp16 scale) and IQ4_XS (super-block of 256: eight
 * 32-blocks with 6-bit scales relative to one fp16 super-scale).
 */
final class Iq4Quantizer {
    private Iq4Quantizer() {}

    /** GROUP_MAX_EPS of ggml-quants.c: blocks whose largest magnitude is below it are all-zero. */
    private static final float GROUP_MAX_EPS = 1e-15f;
    private static final int NTRY = 7;
    private static final byte[] VALUES = Dequantize.IQ4NL_LEVELS;

    /** ggml's best_index_int8: index of the level nearest to {@code x} (ties to the upper level). */
    static int bestIndex(float x) {
        if (x <= VALUES[0]) return 0;
        if (x >= VALUES[15]) return 15;
        int ml = 0, mu = 15;
        while (mu - ml > 1) {
            int mav = (ml + mu) / 2;
            if (x < VALUES[mav]) mu = mav;
            else ml = mav;
        }
        return x - VALUES[mu - 1] < VALUES[mu] - x ? mu - 1 : mu;
    }

    /** Quantizes one IQ4_NL block (32 values) or one IQ4_XS super-block (256 values) at {@code y[at]}. */
    static void block(float[] x, int o, MemorySegment y, long at, boolean superBlock) {
        int n = superBlock ? 256 : 32;
        int nb = n / 32;
        float[] scales = new float[nb];
        int[] levels = new int[n];
        float[] weight = new float[32];
        float maxScale = 0, amaxScale = 0;
        for (int ib = 0; ib < nb; ib++) {
            int xb = o + ib * 32;
            for (int j = 0; j < 32; j++) weight[j] = x[xb + j] * x[xb + j];
            float amax = 0, max = 0;
            for (int j = 0; j < 32; j++) {
                float ax = Math.abs(x[xb + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[xb + j];
                }
            }
            if (amax < GROUP_MAX_EPS) {
                scales[ib] = 0;
                continue;
            }
            // First guess d = -max / values[0], refined by weighted least squares d = sum(w q x) / sum(w q^2);
            // then 2*NTRY+1 alternative inverse scales (itry + values[0]) / max keep the best sumqx^2 / sumq2.
            float d = -max / VALUES[0];
            float id = 1 / d;
            float sumqx = 0, sumq2 = 0;
            for (int j = 0; j < 32; j++) {
                float al = id * x[xb + j];
                int l = bestIndex(al);
                levels[ib * 32 + j] = l;
                float q = VALUES[l];
                float w = weight[j];
                sumqx += w * q * x[xb + j];
                sumq2 += w * q * q;
            }
            d = sumqx / sumq2;
            float best = d * sumqx;
            for (int itry = -NTRY; itry <= NTRY; itry++) {
                id = (itry + VALUES[0]) / max;
                sumqx = 0;
                sumq2 = 0;
                for (int j = 0; j < 32; j++) {
                    float al = id * x[xb + j];
                    int l = bestIndex(al);
                    float q = VALUES[l];
                    float w = weight[j];
                    sumqx += w * q * x[xb + j];
                    sumq2 += w * q * q;
                }
                if (sumq2 > 0 && sumqx * sumqx > best * sumq2) {
                    d = sumqx / sumq2;
                    best = d * sumqx;
                }
            }
            scales[ib] = d;
            float absD = Math.abs(d);
            if (absD > amaxScale) {
                amaxScale = absD;
                maxScale = d;
            }
        }

        if (superBlock) {
            // IQ4_XS: super-scale d = -maxScale / 32; each block scale becomes l in [-32, 31], stored as l + 32.
            int scalesH = 0;
            byte[] scalesL = new byte[4];
            float d = -maxScale / 32;
            y.set(Quantize.U16, at, Quantize.floatToHalf(d));
            float id = d != 0 ? 1 / d : 0.0f;
            for (int ib = 0; ib < nb; ib++) {
                int l = Quantize.nearestInt(id * scales[ib]);
                l = Math.max(-32, Math.min(31, l));
                float dl = d * l;
                float idl = dl != 0 ? 1 / dl : 0.0f;
                for (int j = 0; j < 32; j++) levels[ib * 32 + j] = bestIndex(idl * x[o + ib * 32 + j]);
                l += 32;
                int lLow = l & 0xF, lHigh = l >>> 4;
                if (ib % 2 == 0) scalesL[ib / 2] = (byte) lLow;
                else scalesL[ib / 2] |= (byte) (lLow << 4);
                scalesH |= lHigh << (2 * ib);
            }
            y.set(Quantize.U16, at + 2, (short) scalesH);
            for (int i = 0; i < 4; i++) y.set(ValueLayout.JAVA_BYTE, at + 4 + i, scalesL[i]);
            writeNibbles(levels, nb, y, at + 8);
        } else {
            y.set(Quantize.U16, at, Quantize.floatToHalf(scales[0]));
            float id = scales[0] != 0 ? 1 / scales[0] : 0;
            for (int j = 0; j < 32; j++) levels[j] = bestIndex(id * x[o + j]);
            writeNibbles(levels, nb, y, at + 2);
        }
    }

    /** Packs level indices: byte j of each 32-block holds element j (low nibble) and j + 16 (high nibble). */
    private static void writeNibbles(int[] levels, int nb, MemorySegment y, long at) {
        for (int i = 0; i < nb; i++) {
            for (int j = 0; j < 16; j++) {
                y.set(ValueLayout.JAVA_BYTE, at + 16L * i + j, (byte) (levels[32 * i + j] | (levels[32 * i + 16 + j] << 4)));
            }
        }
    }
}
