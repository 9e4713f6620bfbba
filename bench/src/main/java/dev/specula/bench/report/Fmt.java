package dev.specula.bench.report;

import java.math.BigDecimal;
import java.util.Locale;

/** Number formatting shared by the writers: human (Markdown) and exact (CSV). Always Locale.ROOT. */
public final class Fmt {
    private Fmt() {}

    /** About three significant digits, never scientific: 12345, 123, 12.3, 1.23, 0.123. */
    public static String auto(double v) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return "0";
        double a = Math.abs(v);
        String pattern = a >= 100 || v == Math.rint(v) && a >= 1 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    /** A number for Markdown: integers as is, doubles through {@code pattern} or {@link #auto}. */
    public static String human(Object cell, String pattern) {
        if (cell == null) return "";
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            if (!Double.isFinite(d)) return auto(d);
            return pattern != null ? String.format(Locale.ROOT, pattern, d) : auto(d);
        }
        return cell.toString();
    }

    /** A number for CSV/JSON-like text: full precision, no exponent, empty for NaN. */
    public static String exact(Object cell) {
        if (cell == null) return "";
        if (cell instanceof Double || cell instanceof Float) {
            double d = ((Number) cell).doubleValue();
            if (!Double.isFinite(d)) return "";
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return cell.toString();
    }

    /** Seconds as a short human duration for progress lines: "42s", "3m05s", "1h02m". */
    public static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
