package dev.specula.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one bench run produced: a title, notes (machine, commit, roofline, caveats), one or more
 * tables (the first is the main one) and optionally a chart. Writers turn it into Markdown, CSV,
 * JSON and SVG.
 */
public final class BenchReport {
    private final String title;
    private final List<String> notes = new ArrayList<>();
    private final List<ResultTable> tables = new ArrayList<>();
    private ChartSpec chart;

    public BenchReport(String title) {
        this.title = title;
    }

    public BenchReport note(String note) {
        notes.add(note);
        return this;
    }

    public BenchReport table(ResultTable table) {
        tables.add(table);
        return this;
    }

    public BenchReport chart(ChartSpec chart) {
        this.chart = chart;
        return this;
    }

    public String title() {
        return title;
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public List<ResultTable> tables() {
        return List.copyOf(tables);
    }

    /** The chart, or null when the run has nothing to plot. */
    public ChartSpec chart() {
        return chart;
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(title).append("\n\n");
        for (String n : notes) sb.append("- ").append(n).append('\n');
        if (!notes.isEmpty()) sb.append('\n');
        for (ResultTable t : tables) sb.append(t.toMarkdown()).append('\n');
        return sb.toString();
    }
}
