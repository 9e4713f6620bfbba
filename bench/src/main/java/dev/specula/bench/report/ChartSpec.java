package dev.specula.bench.report;

import java.util.List;

/**
 * What to draw: one value per category for each series, as grouped bars or as lines, and an optional
 * roofline (the bandwidth-bound ceiling, one value per category; a constant roofline repeats its value).
 *
 * @param kind bars or lines
 * @param title chart title
 * @param xLabel axis label under the categories ("threads", "strategy", "k")
 * @param yLabel axis label of the values ("tokens/s")
 * @param categories x positions, in order
 * @param series data series, each with one value per category (NaN = no value)
 * @param roofline ceiling per category, or null
 */
public record ChartSpec(Kind kind, String title, String xLabel, String yLabel, List<String> categories,
                        List<Series> series, Series roofline) {

    public enum Kind { BAR, LINE }

    /** A named row of values, one per category. */
    public record Series(String name, double[] values) {
        public Series {
            if (name == null) throw new IllegalArgumentException("series name must not be null");
            values = values.clone();
        }

        @Override
        public double[] values() {
            return values.clone();
        }

        public double value(int i) {
            return values[i];
        }
    }

    public ChartSpec {
        if (categories.isEmpty()) throw new IllegalArgumentException("chart '" + title + "' has no categories");
        if (series.isEmpty()) throw new IllegalArgumentException("chart '" + title + "' has no series");
        categories = List.copyOf(categories);
        series = List.copyOf(series);
        for (Series s : series) checkLength(s, categories.size(), title);
        if (roofline != null) checkLength(roofline, categories.size(), title);
    }

    private static void checkLength(Series s, int n, String title) {
        if (s.values.length != n) {
            throw new IllegalArgumentException("series '" + s.name + "' of chart '" + title + "' has " + s.values.length
                    + " values for " + n + " categories");
        }
    }
}
