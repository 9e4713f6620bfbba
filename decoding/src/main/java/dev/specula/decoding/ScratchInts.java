package dev.specula.decoding;

/**
 * Exact-length int arrays reused by batch size: the engine's forward takes arrays whose length is the row
 * count, so each size gets one array per slot, allocated once.
 */
final class ScratchInts {
    private int[][] bySize = new int[8][];

    /** An array of exactly {@code n} ints (contents are whatever the last user left). */
    int[] get(int n) {
        if (n >= bySize.length) bySize = java.util.Arrays.copyOf(bySize, Math.max(n + 1, bySize.length * 2));
        int[] a = bySize[n];
        if (a == null) bySize[n] = a = new int[n];
        return a;
    }

    /** An array of exactly {@code n} ints holding 0..n-1. */
    int[] iota(int n) {
        int[] a = get(n);
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
