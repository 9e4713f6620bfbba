package dev.specula.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link BenchReport} as CSV, JSON and SVG files. CSV is tidy (one table per file): the main
 * table goes to the given path, any further table to {@code <name>.<n>.csv} beside it.
 */
public final class ReportWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /** Writes the tables as CSV; returns the files written. */
    public static List<Path> writeCsv(BenchReport report, Path file) throws IOException {
        List<Path> written = new ArrayList<>();
        List<ResultTable> tables = report.tables();
        for (int i = 0; i < tables.size(); i++) {
            Path target = i == 0 ? file : sibling(file, i + 1);
            write(target, tables.get(i).toCsv());
            written.add(target);
        }
        return written;
    }

    public static void writeJson(BenchReport report, Path file) throws IOException {
        write(file, toJson(report));
    }

    /** Writes the chart as SVG; fails when the report has no chart. */
    public static void writeSvg(BenchReport report, Path file) throws IOException {
        if (report.chart() == null) throw new IllegalStateException("report '" + report.title() + "' has no chart to write to " + file);
        write(file, SvgChart.render(report.chart()));
    }

    /** The report as a JSON document: {title, notes, tables: [{title, columns, rows: [{column: value}]}], chart}. */
    public static String toJson(BenchReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", report.title());
        root.put("notes", report.notes());
        List<Object> tables = new ArrayList<>();
        for (ResultTable t : report.tables()) {
            Map<String, Object> table = new LinkedHashMap<>();
            table.put("title", t.title());
            List<String> names = t.columns().stream().map(Column::name).toList();
            table.put("columns", names);
            List<Object> rows = new ArrayList<>();
            for (List<Object> row : t.rows()) {
                Map<String, Object> r = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) r.put(names.get(i), jsonValue(row.get(i)));
                rows.add(r);
            }
            table.put("rows", rows);
            tables.add(table);
        }
        root.put("tables", tables);
        ChartSpec c = report.chart();
        if (c != null) {
            Map<String, Object> chart = new LinkedHashMap<>();
            chart.put("kind", c.kind().name().toLowerCase());
            chart.put("title", c.title());
            chart.put("xLabel", c.xLabel());
            chart.put("yLabel", c.yLabel());
            chart.put("categories", c.categories());
            List<Object> series = new ArrayList<>();
            for (ChartSpec.Series s : c.series()) series.add(seriesJson(s));
            chart.put("series", series);
            chart.put("roofline", c.roofline() == null ? null : seriesJson(c.roofline()));
            root.put("chart", chart);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize report '" + report.title() + "'", e);
        }
    }

    private static Map<String, Object> seriesJson(ChartSpec.Series s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        List<Object> values = new ArrayList<>();
        for (double v : s.values()) values.add(Double.isFinite(v) ? v : null);
        m.put("values", values);
        return m;
    }

    private static Object jsonValue(Object cell) {
        if (cell instanceof Double d && !Double.isFinite(d)) return null;
        if (cell instanceof Float f && !Float.isFinite(f)) return null;
        return cell;
    }

    static Path sibling(Path file, int index) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return file.resolveSibling(base + "." + index + ext);
    }

    private static void write(Path file, String content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
