package dev.specula.bench.prediction;

import java.util.Arrays;
import java.util.Locale;

/**
 * Measured cost of one target forward over k rows (ms per forward, for increasing k starting at 1):
 * what verifying k-1 drafted tokens costs. Between measured points it interpolates linearly; above
 * the largest k it extends the last segment's slope.
 */
public final class CostCurve {
    private final int[] ks;
    private final double[] ms;

    /** @param ks strictly increasing row counts, the first one 1; @param ms milliseconds per forward at each k */
    public CostCurve(int[] ks, double[] ms) {
        if (ks.length == 0 || ks.length != ms.length) {
            throw new IllegalArgumentException("cost curve needs one time per k: " + ks.length + " ks, " + ms.length + " times");
        }
        if (ks[0] != 1) throw new IllegalArgumentException("cost curve must start at k = 1, got k = " + ks[0]);
        for (int i = 0; i < ks.length; i++) {
            if (i > 0 && ks[i] <= ks[i - 1]) throw new IllegalArgumentException("cost curve ks must increase: " + Arrays.toString(ks));
            if (!(ms[i] > 0) || !Double.isFinite(ms[i])) {
                throw new IllegalArgumentException("cost at k = " + ks[i] + " must be a positive time, got " + ms[i]);
            }
        }
        this.ks = ks.clone();
        this.ms = ms.clone();
    }

    /** Milliseconds of a forward over {@code k} rows (k >= 1, fractional k allowed for averages). */
    public double millis(double k) {
        if (!(k >= 1)) throw new IllegalArgumentException(String.format(Locale.ROOT, "k must be >= 1, got %.3f", k));
        if (ks.length == 1) return ms[0] * k; // nothing better known than linear cost
        int hi = 1;
        while (hi < ks.length - 1 && ks[hi] < k) hi++;
        int lo = hi - 1;
        double slope = (ms[hi] - ms[lo]) / (ks[hi] - ks[lo]);
        return ms[lo] + slope * (k - ks[lo]);
    }

    /** Cost of a k-row forward relative to one row: {@code millis(k) / millis(1)}. */
    public double ratio(double k) {
        return millis(k) / ms[0];
    }

    public int[] ks() {
        return ks.clone();
    }

    public double[] millis() {
        return ms.clone();
    }
}
