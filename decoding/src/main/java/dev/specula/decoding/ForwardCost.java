package dev.specula.decoding;

import java.util.Locale;

/**
 * Online cost model of one target model's batched forward, measured on every target forward: the cost of a
 * forward of r rows relative to a single-row forward is modelled as c(r) = T(r) / T(1) = 1 + s (r - 1)
 * (a CPU forward reads the weights once per step and spends a roughly constant extra time per row once it is
 * compute-bound). T(1) is an exponential moving average of single-row forwards; every multi-row forward gives one
 * sample of the slope s = (T(r) / T(1) - 1) / (r - 1), averaged the same way. One shared parameter gets samples
 * from every batch size, so the estimate settles within a few drafting steps; each sample is clipped to at most
 * twice the current estimate, so a stall of the shared machine (or a cold JIT path) cannot lock drafting out.
 * Drafting strategies compare expected tokens per step with {@link #ratio(int)}: a step of r rows pays exactly
 * when it is expected to commit more than c(r) tokens, since an AR step commits 1 for cost 1.
 */
final class ForwardCost {
    /** Prior slope before anything is measured (~ what 2-core CPUs measure for the pycode models). */
    static final double PRIOR_SLOPE = 0.2;
    private static final double DECAY = 0.85;
    private static final double MIN_SLOPE = 0.01;
    private static final double MAX_SLOPE = 2;
    private double single;
    private boolean singleSeen;
    private double slope = PRIOR_SLOPE;
    private long slopeSamples;
    /** Multi-row forwards seen before T(1) was known: their rows and times, folded in once it is. */
    private int pendingRows;
    private long pendingNanos;

    /** Records one forward of {@code rows} rows that took {@code elapsed} nanoseconds. */
    void record(int rows, long elapsed) {
        if (rows < 1 || elapsed <= 0) return;
        if (rows == 1) {
            single = singleSeen ? DECAY * single + (1 - DECAY) * Math.min(elapsed, 2 * single) : elapsed;
            singleSeen = true;
            if (pendingRows > 0) {
                long r = pendingRows, t = pendingNanos;
                pendingRows = 0;
                record((int) r, t);
            }
            return;
        }
        if (!singleSeen) {
            pendingRows = rows;
            pendingNanos = elapsed;
            return;
        }
        double sample = (elapsed / single - 1) / (rows - 1);
        sample = Math.max(MIN_SLOPE, Math.min(Math.min(MAX_SLOPE, 2 * slope), sample));
        slope = slopeSamples == 0 ? Math.min(sample, 2 * PRIOR_SLOPE) : DECAY * slope + (1 - DECAY) * sample;
        slopeSamples++;
    }

    /** Estimated cost of a forward of {@code rows} rows relative to a single-row forward. */
    double ratio(int rows) {
        return 1 + slope * (Math.max(1, rows) - 1);
    }

    double slope() {
        return slope;
    }

    /** The model's state, e.g. "c(r) = 1 + 0.17 (r - 1) from 12 samples, T(1) 21.3 ms" (for the stats' detail). */
    String describe() {
        return String.format(Locale.ROOT, "c(r) = 1 + %.3f (r - 1) from %d samples, T(1) %.1f ms", slope, slopeSamples, single / 1e6);
    }

    static double prior(int rows) {
        return 1 + PRIOR_SLOPE * (rows - 1);
    }
}
