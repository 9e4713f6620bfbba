package dev.specula.decoding;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * Forwards of one model by batch size: {@code forwards[r]} forwards had exactly r rows and took {@code ms[r]}
 * milliseconds together (index 0 unused). Immutable.
 */
public record RowHistogram(long[] forwards, double[] ms) {
    public static final RowHistogram EMPTY = new RowHistogram(new long[1], new double[1]);

    public RowHistogram {
        if (forwards.length != ms.length || forwards.length == 0)
            throw new IllegalArgumentException("a row histogram needs one time per count: " + forwards.length + " counts, " + ms.length + " times");
        forwards = forwards.clone();
        ms = ms.clone();
    }

    @Override
    public long[] forwards() {
        return forwards.clone();
    }

    @Override
    public double[] ms() {
        return ms.clone();
    }

    /** Forwards with exactly {@code rows} rows. */
    public long forwards(int rows) {
        return rows >= 0 && rows < forwards.length ? forwards[rows] : 0;
    }

    /** Total time of the forwards with exactly {@code rows} rows. */
    public double ms(int rows) {
        return rows >= 0 && rows < ms.length ? ms[rows] : 0;
    }

    /** Largest row count that occurred (0 when none). */
    public int maxRows() {
        int max = forwards.length - 1;
        while (max > 0 && forwards[max] == 0) max--;
        return max;
    }

    public long totalForwards() {
        long n = 0;
        for (long f : forwards) n += f;
        return n;
    }

    public long totalRows() {
        long n = 0;
        for (int r = 1; r < forwards.length; r++) n += r * forwards[r];
        return n;
    }

    public double totalMs() {
        double s = 0;
        for (double m : ms) s += m;
        return s;
    }

    /** Mean rows per forward (NaN when none ran). */
    public double rowsPerForward() {
        long n = totalForwards();
        return n == 0 ? Double.NaN : (double) totalRows() / n;
    }

    /**
     * Sum of {@code cost(r)} over every forward, e.g. the predicted time of all forwards from a measured cost curve.
     * Because a cost curve is not linear in the rows, this is not {@code totalForwards() * cost(rowsPerForward())}.
     */
    public double sumOver(IntToDoubleFunction cost) {
        double sum = 0;
        for (int r = 1; r < forwards.length; r++) if (forwards[r] > 0) sum += forwards[r] * cost.applyAsDouble(r);
        return sum;
    }

    /** This histogram plus another (e.g. over the runs of a benchmark). */
    public RowHistogram plus(RowHistogram o) {
        int n = Math.max(forwards.length, o.forwards.length);
        long[] f = Arrays.copyOf(forwards, n);
        double[] t = Arrays.copyOf(ms, n);
        for (int r = 0; r < o.forwards.length; r++) {
            f[r] += o.forwards[r];
            t[r] += o.ms[r];
        }
        return new RowHistogram(f, t);
    }

    /** "1x40 6x20 16x3" (rows x forwards), or "none". */
    public String counts() {
        StringBuilder b = new StringBuilder();
        for (int r = 1; r < forwards.length; r++)
            if (forwards[r] > 0) b.append(b.isEmpty() ? "" : " ").append(r).append('x').append(forwards[r]);
        return b.isEmpty() ? "none" : b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowHistogram h && Arrays.equals(forwards, h.forwards) && Arrays.equals(ms, h.ms);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(forwards) * 31 + Arrays.hashCode(ms);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "RowHistogram[%s; %.1f ms]", counts(), totalMs());
    }

    /** Mutable accumulator for one generation; grows (rarely) for larger batches, no allocation otherwise. */
    static final class Counter {
        private long[] forwards = new long[33];
        private long[] nanos = new long[33];
        private long totalNanos;

        void add(int rows, long elapsed) {
            if (rows >= forwards.length) {
                int n = Math.max(rows + 1, 2 * forwards.length);
                forwards = Arrays.copyOf(forwards, n);
                nanos = Arrays.copyOf(nanos, n);
            }
            forwards[rows]++;
            nanos[rows] += elapsed;
            totalNanos += elapsed;
        }

        long totalNanos() {
            return totalNanos;
        }

        RowHistogram snapshot() {
            int max = forwards.length - 1;
            while (max > 0 && forwards[max] == 0) max--;
            double[] ms = new double[max + 1];
            for (int r = 0; r <= max; r++) ms[r] = nanos[r] / 1e6;
            return new RowHistogram(Arrays.copyOf(forwards, max + 1), ms);
        }
    }
}
