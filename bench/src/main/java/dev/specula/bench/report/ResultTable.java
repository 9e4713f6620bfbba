package dev.specula.bench.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A titled table of benchmark results: named columns and rows of cells (String, Number or null).
 * Numbers stay numbers until a writer formats them, so CSV/JSON keep full precision while Markdown
 * shows a readable rounding.
 */
public final class ResultTable {
    private final String title;
    private final List<Column> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public ResultTable(String title, List<Column> columns) {
        if (columns.isEmpty()) throw new IllegalArgumentException("a table needs at least one column");
        this.title = title == null ? "" : title;
        this.columns = List.copyOf(columns);
    }

    public ResultTable(String title, Column... columns) {
        this(title, List.of(columns));
    }

    /** Appends a row; it must have exactly one cell per column. */
    public ResultTable addRow(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("table '" + title + "' has " + columns.size() + " columns but the row has "
                    + cells.length + " cells");
        }
        for (Object c : cells) {
            if (c != null && !(c instanceof String) && !(c instanceof Number) && !(c instanceof Boolean)) {
                throw new IllegalArgumentException("cell of type " + c.getClass().getName() + " in table '" + title
                        + "': use String, Number or Boolean");
            }
        }
        List<Object> row = new ArrayList<>(cells.length);
        Collections.addAll(row, cells);
        rows.add(Collections.unmodifiableList(row));
        return this;
    }

    public String title() {
        return title;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<List<Object>> rows() {
        return Collections.unmodifiableList(rows);
    }

    public int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("table '" + title + "' has no column '" + name + "'");
    }

    /** GitHub-flavoured Markdown: header, separator (numbers right-aligned), one line per row. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        if (!title.isEmpty()) sb.append("### ").append(title).append("\n\n");
        sb.append('|');
        for (Column c : columns) sb.append(' ').append(escapeMarkdown(c.name())).append(" |");
        sb.append("\n|");
        for (int i = 0; i < columns.size(); i++) sb.append(isNumeric(i) ? " ---: |" : " --- |");
        sb.append('\n');
        for (List<Object> row : rows) {
            sb.append('|');
            for (int i = 0; i < row.size(); i++) {
                sb.append(' ').append(escapeMarkdown(Fmt.human(row.get(i), columns.get(i).format()))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** RFC 4180 CSV: header line, then one line per row, full-precision numbers, CRLF-free ("\n"). */
    public String toCsv() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(csvField(columns.get(i).name()));
        }
        sb.append('\n');
        for (List<Object> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(csvField(Fmt.exact(row.get(i))));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private boolean isNumeric(int column) {
        boolean any = false;
        for (List<Object> row : rows) {
            Object c = row.get(column);
            if (c == null) continue;
            if (!(c instanceof Number)) return false;
            any = true;
        }
        return any;
    }

    static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String escapeMarkdown(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
