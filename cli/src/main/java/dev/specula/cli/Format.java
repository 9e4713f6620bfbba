package dev.specula.cli;

import java.util.Locale;

/** Small text formatting helpers shared by the commands' human-readable output. */
final class Format {
    private Format() {}

    /** 56158912 -> "53.6 MiB". */
    static String bytes(long n) {
        if (n < 1024) return n + " B";
        if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        if (n < 1024L * 1024 * 1024) return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        return String.format(Locale.ROOT, "%.2f GiB", n / (1024.0 * 1024 * 1024));
    }

    /** 88099584 -> "88,099,584". */
    static String thousands(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {768, 2048} -> "768 x 2048". */
    static String shape(long[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(" x ");
            sb.append(dims[i]);
        }
        return sb.toString();
    }

    /** StrategyKind.SPECULATIVE -> "speculative" (the name --strategy accepts). */
    static String strategy(dev.specula.decoding.StrategyKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** Rate with one decimal, "-" when not measurable. */
    static String rate(double perSecond) {
        return Double.isFinite(perSecond) && perSecond > 0 ? String.format(Locale.ROOT, "%.1f", perSecond) : "-";
    }
}
