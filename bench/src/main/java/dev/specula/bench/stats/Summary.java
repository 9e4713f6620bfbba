package dev.specula.bench.stats;

import java.util.Arrays;

/**
 * Order statistics of repeated measurements. Benchmarks on a shared machine are noisy, so the
 * headline number is always the median; the spread is reported as min..max and as a relative
 * half-range {@code (max - min) / (2 * median)}.
 *
 * @param count number of samples
 * @param median middle sample (mean of the two middle samples for an even count)
 * @param min smallest sample
 * @param max largest sample
 * @param mean arithmetic mean
 * @param stddev sample standard deviation (n - 1 in the denominator; 0 for one sample)
 */
public record Summary(int count, double median, double min, double max, double mean, double stddev) {

    /** Summarizes {@code samples} (not modified). */
    public static Summary of(double... samples) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("cannot summarize an empty sample set");
        }
        double[] sorted = samples.clone();
        for (double s : sorted) {
            if (!Double.isFinite(s)) throw new IllegalArgumentException("sample is not finite: " + s + " in " + Arrays.toString(samples));
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        double sum = 0;
        for (double s : sorted) sum += s;
        double mean = sum / n;
        double sq = 0;
        for (double s : sorted) sq += (s - mean) * (s - mean);
        double stddev = n > 1 ? Math.sqrt(sq / (n - 1)) : 0.0;
        return new Summary(n, median, sorted[0], sorted[n - 1], mean, stddev);
    }

    /** Relative half-range around the median, {@code (max - min) / (2 * median)}: 0.05 means "about ±5 %". */
    public double relativeSpread() {
        return median == 0 ? 0.0 : (max - min) / (2.0 * Math.abs(median));
    }

    /** Rates {@code work / t} for each sample time t (seconds, ms, ...): summarize rates, not the inverse of a summarized time. */
    public static double[] rates(double work, double[] times) {
        double[] r = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            if (!(times[i] > 0)) throw new IllegalArgumentException("time sample must be positive, got " + times[i]);
            r[i] = work / times[i];
        }
        return r;
    }
}
