package dev.specula.bench.report;

/**
 * One column of a {@link ResultTable}.
 *
 * @param name header text (also the CSV header and the JSON key)
 * @param format {@link String#format} pattern for numbers in Markdown ("%.1f"), or null for {@link Fmt#auto}
 */
public record Column(String name, String format) {
    public Column {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("column name must not be blank");
    }

    public static Column of(String name) {
        return new Column(name, null);
    }

    public static Column of(String name, String format) {
        return new Column(name, format);
    }
}
