package dev.specula.decoding;

import org.apache.commons.math3.stat.inference.ChiSquareTest;

/** Chi-square goodness of fit with cells of expected count below 5 merged into one (doc §8.3). */
final class GoodnessOfFit {
    private GoodnessOfFit() {}

    /** p-value of observing {@code counts} under {@code probabilities} (which must sum to ~1). */
    static double pValue(double[] probabilities, long[] counts) {
        long total = 0;
        for (long c : counts) total += c;
        int kept = 0;
        double restExpected = 0;
        long restObserved = 0;
        double[] expected = new double[probabilities.length + 1];
        long[] observed = new long[probabilities.length + 1];
        for (int i = 0; i < probabilities.length; i++) {
            double e = probabilities[i] * total;
            if (e >= 5) {
                expected[kept] = e;
                observed[kept++] = counts[i];
            } else {
                if (e == 0 && counts[i] > 0) return 0; // an impossible outcome happened
                restExpected += e;
                restObserved += counts[i];
            }
        }
        if (restExpected > 0) {
            expected[kept] = restExpected;
            observed[kept++] = restObserved;
        }
        if (kept < 2) throw new IllegalArgumentException("need at least two cells with expected count >= 5");
        return new ChiSquareTest().chiSquareTest(java.util.Arrays.copyOf(expected, kept), java.util.Arrays.copyOf(observed, kept));
    }
}
