package dev.specula.bench.strategies;

import java.util.Arrays;

/** A lossless strategy produced different greedy output than its reference decoder: the benchmark stops. */
public final class OutputMismatchException extends IllegalStateException {
    public OutputMismatchException(String strategy, String reference, String promptId, int[] expected, int[] actual) {
        super(message(strategy, reference, promptId, expected, actual));
    }

    private static String message(String strategy, String reference, String promptId, int[] expected, int[] actual) {
        int i = 0;
        while (i < expected.length && i < actual.length && expected[i] == actual[i]) i++;
        int from = Math.max(0, i - 2);
        return "greedy output of " + strategy + " differs from " + reference + " on prompt '" + promptId + "' at generated token " + i
                + " (lengths " + actual.length + " vs " + expected.length + "): " + reference + " "
                + Arrays.toString(Arrays.copyOfRange(expected, from, Math.min(expected.length, i + 3))) + ", " + strategy + " "
                + Arrays.toString(Arrays.copyOfRange(actual, from, Math.min(actual.length, i + 3)));
    }
}
