package dev.specula.decoding;

import java.util.Locale;

/**
 * Online cost model of one target model's batched forward, measured on every target forward: c(r) = T(r) / T(1),
 * the cost of a forward of r rows relative to a single-row forward. Drafting strategies compare expected tokens per
 * step with {@link #ratio(int)}: a step of r rows pays exactly when it is expected to commit more than c(r) tokens,
 * since an AR step commits 1 for cost 1.
 *
 * <p>T(1) is an exponential moving average of single-row forwards. Every multi-row forward of r rows gives one sample
 * of c(r), kept per row count r <= {@value #TRACKED_ROWS} (the curve of a CPU forward is not linear: on the pycode
 * models at 2 threads c(2) = 1.09, c(4) = 1.25, c(8) = 2.0, c(16) = 3.7, because small batches ride on the weight
 * reads and larger ones become compute-bound), and one sample of the slope s = (c(r) - 1) / (r - 1) of the linear
 * model c(r) = 1 + s (r - 1). {@link #ratio(int)} returns, in this order of preference:
 * <ol>
 *   <li>the measured c(r) when r was seen;</li>
 *   <li>otherwise linear interpolation between the nearest measured row counts below (or c(1) = 1) and above;</li>
 *   <li>above every measured row count: the largest one's c plus the slope per extra row;</li>
 * </ol>
 * and then the smallest of that and every larger row count's estimate (more rows never cost less, so a stale
 * measurement taken during a stall of the shared machine is overruled by a newer one of a larger batch).
 * Each sample is clipped to twice the current estimate of its excess c - 1, so one stall (or a cold JIT path) cannot
 * lock drafting out. Before anything is measured, c(r) = 1 + {@value #PRIOR_SLOPE} (r - 1).
 */
final class ForwardCost {
    /** Prior slope before anything is measured (~ what 2-core CPUs measure for the pycode models). */
    static final double PRIOR_SLOPE = 0.2;
    /** Row counts with their own measured cost (larger ones follow the slope). */
    static final int TRACKED_ROWS = 64;
    private static final double DECAY = 0.85;
    private static final double MIN_SLOPE = 0.01;
    private static final double MAX_SLOPE = 2;
    private double single;
    private boolean singleSeen;
    private double slope = PRIOR_SLOPE;
    private long slopeSamples;
    /** Measured c(r) - 1 per row count, and how many samples each has. */
    private final double[] excess = new double[TRACKED_ROWS + 1];
    private final int[] samples = new int[TRACKED_ROWS + 1];
    /** ratio(r) for r <= TRACKED_ROWS, rebuilt after every multi-row sample (ratio() is called per draft length). */
    private final double[] table = new double[TRACKED_ROWS + 1];
    /** Multi-row forwards seen before T(1) was known: their rows and times, folded in once it is. */
    private int pendingRows;
    private long pendingNanos;

    ForwardCost() {
        rebuild();
    }

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
        double measured = elapsed / single - 1;
        double sample = Math.max(MIN_SLOPE, Math.min(Math.min(MAX_SLOPE, 2 * slope), measured / (rows - 1)));
        slope = slopeSamples == 0 ? Math.min(sample, 2 * PRIOR_SLOPE) : DECAY * slope + (1 - DECAY) * sample;
        slopeSamples++;
        if (rows <= TRACKED_ROWS) {
            double current = table[rows] - 1; // the estimate this sample corrects (measured, interpolated or prior)
            double e = Math.max(MIN_SLOPE * (rows - 1), Math.min(2 * current, measured));
            excess[rows] = samples[rows] == 0 ? e : DECAY * excess[rows] + (1 - DECAY) * e;
            samples[rows]++;
        }
        rebuild();
    }

    /** Estimated cost of a forward of {@code rows} rows relative to a single-row forward. */
    double ratio(int rows) {
        if (rows <= 1) return 1;
        if (rows <= TRACKED_ROWS) return table[rows];
        return table[TRACKED_ROWS] + slope * (rows - TRACKED_ROWS);
    }

    /** Recomputes {@link #table}: measured points, interpolation between them, slope above them, then monotone. */
    private void rebuild() {
        table[1] = 1;
        int below = 1;
        double belowExcess = 0;
        for (int r = 2; r <= TRACKED_ROWS; r++) {
            if (samples[r] > 0) {
                // interpolate the gap (below, r) linearly
                for (int g = below + 1; g < r; g++)
                    table[g] = 1 + belowExcess + (excess[r] - belowExcess) * (g - below) / (r - below);
                table[r] = 1 + excess[r];
                below = r;
                belowExcess = excess[r];
            }
        }
        for (int g = below + 1; g <= TRACKED_ROWS; g++) table[g] = 1 + belowExcess + slope * (g - below);
        for (int r = TRACKED_ROWS - 1; r >= 2; r--) table[r] = Math.min(table[r], table[r + 1]);
    }

    double slope() {
        return slope;
    }

    /** Whether a forward of {@code rows} rows has been measured (and not only estimated). */
    boolean measured(int rows) {
        return rows > 1 && rows <= TRACKED_ROWS && samples[rows] > 0;
    }

    /**
     * The model's state, e.g. "c(r) measured 2:1.09 3:1.13 9:2.10, slope 0.14 from 12 samples, T(1) 21.3 ms"
     * (for the stats' detail).
     */
    String describe() {
        StringBuilder b = new StringBuilder("c(r) measured");
        int shown = 0;
        for (int r = 2; r <= TRACKED_ROWS; r++)
            if (samples[r] > 0) {
                b.append(String.format(Locale.ROOT, " %d:%.2f", r, 1 + excess[r]));
                shown++;
            }
        if (shown == 0) b.append(" none");
        return b.append(String.format(Locale.ROOT, ", slope %.3f from %d samples, T(1) %.1f ms", slope, slopeSamples, single / 1e6)).toString();
    }

    static double prior(int rows) {
        return 1 + PRIOR_SLOPE * (rows - 1);
    }
}
