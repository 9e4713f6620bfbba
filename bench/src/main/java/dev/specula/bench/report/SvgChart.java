package dev.specula.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link ChartSpec} as a small standalone SVG (no scripts, no external fonts): axes with
 * "nice" ticks, grouped bars or polylines with markers, value labels, a legend, and the roofline as a
 * dashed red line labelled with its name. Elements carry classes ({@code bar}, {@code series-line},
 * {@code roofline}) so tests and stylesheets can find them.
 */
public final class SvgChart {
    private static final String[] PALETTE = {"#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2",
            "#EECA3B", "#9D755D", "#BAB0AC"};
    private static final int WIDTH = 760, HEIGHT = 420;
    private static final int LEFT = 70, RIGHT = 170, TOP = 48, BOTTOM = 64;

    private SvgChart() {}

    public static String render(ChartSpec spec) {
        double maxValue = 0;
        for (ChartSpec.Series s : spec.series()) maxValue = Math.max(maxValue, finiteMax(s));
        if (spec.roofline() != null) maxValue = Math.max(maxValue, finiteMax(spec.roofline()));
        double[] ticks = niceTicks(maxValue);
        double yMax = ticks[ticks.length - 1];

        int plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        int n = spec.categories().size();
        double slot = (double) plotW / n;

        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        sb.append("  <rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"white\"/>\n");
        text(sb, "title", WIDTH / 2.0, 26, "middle", 16, "bold", spec.title());

        // grid and y ticks
        for (double t : ticks) {
            double y = TOP + plotH - t / yMax * plotH;
            sb.append("  <line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(num(y)).append("\" x2=\"")
                    .append(LEFT + plotW).append("\" y2=\"").append(num(y)).append("\" stroke=\"#e3e3e3\"/>\n");
            text(sb, "tick", LEFT - 6, y + 4, "end", 11, null, Fmt.auto(t));
        }
        // axes
        sb.append("  <line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"")
                .append(LEFT + plotW).append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#333\"/>\n");
        sb.append("  <line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#333\"/>\n");
        for (int i = 0; i < n; i++) {
            text(sb, "category", LEFT + slot * (i + 0.5), TOP + plotH + 18, "middle", 11, null, spec.categories().get(i));
        }
        text(sb, "x-label", LEFT + plotW / 2.0, HEIGHT - 18, "middle", 12, null, spec.xLabel());
        sb.append("  <text class=\"y-label\" transform=\"translate(18,").append(num(TOP + plotH / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(escape(spec.yLabel())).append("</text>\n");

        List<ChartSpec.Series> series = spec.series();
        if (spec.kind() == ChartSpec.Kind.BAR) {
            double groupW = slot * 0.8, barW = groupW / series.size();
            for (int s = 0; s < series.size(); s++) {
                for (int i = 0; i < n; i++) {
                    double v = series.get(s).value(i);
                    if (!Double.isFinite(v)) continue;
                    double h = Math.max(0, v) / yMax * plotH;
                    double x = LEFT + slot * i + (slot - groupW) / 2 + s * barW;
                    double y = TOP + plotH - h;
                    sb.append("  <rect class=\"bar\" data-series=\"").append(escape(series.get(s).name())).append("\" x=\"")
                            .append(num(x + 1)).append("\" y=\"").append(num(y)).append("\" width=\"").append(num(Math.max(1, barW - 2)))
                            .append("\" height=\"").append(num(h)).append("\" fill=\"").append(color(s)).append("\"><title>")
                            .append(escape(series.get(s).name() + " / " + spec.categories().get(i) + ": " + Fmt.auto(v)))
                            .append("</title></rect>\n");
                    text(sb, "value", x + barW / 2, y - 4, "middle", 10, null, Fmt.auto(v));
                }
            }
        } else {
            for (int s = 0; s < series.size(); s++) {
                StringBuilder pts = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    double v = series.get(s).value(i);
                    if (!Double.isFinite(v)) continue;
                    double x = LEFT + slot * (i + 0.5), y = TOP + plotH - Math.max(0, v) / yMax * plotH;
                    if (!pts.isEmpty()) pts.append(' ');
                    pts.append(num(x)).append(',').append(num(y));
                    sb.append("  <circle class=\"point\" cx=\"").append(num(x)).append("\" cy=\"").append(num(y))
                            .append("\" r=\"3.5\" fill=\"").append(color(s)).append("\"><title>")
                            .append(escape(series.get(s).name() + " / " + spec.categories().get(i) + ": " + Fmt.auto(v)))
                            .append("</title></circle>\n");
                    text(sb, "value", x, y - 8, "middle", 10, null, Fmt.auto(v));
                }
                sb.append("  <polyline class=\"series-line\" data-series=\"").append(escape(series.get(s).name()))
                        .append("\" fill=\"none\" stroke=\"").append(color(s)).append("\" stroke-width=\"2\" points=\"")
                        .append(pts).append("\"/>\n");
            }
        }

        if (spec.roofline() != null) drawRoofline(sb, spec, slot, plotH, yMax);

        // legend
        double ly = TOP + 6;
        for (int s = 0; s < series.size(); s++, ly += 18) {
            sb.append("  <rect class=\"legend-swatch\" x=\"").append(LEFT + plotW + 16).append("\" y=\"").append(num(ly))
                    .append("\" width=\"12\" height=\"12\" fill=\"").append(color(s)).append("\"/>\n");
            text(sb, "legend", LEFT + plotW + 34, ly + 10, "start", 11, null, series.get(s).name());
        }
        if (spec.roofline() != null) {
            sb.append("  <line class=\"legend-roofline\" x1=\"").append(LEFT + plotW + 16).append("\" y1=\"").append(num(ly + 6))
                    .append("\" x2=\"").append(LEFT + plotW + 28).append("\" y2=\"").append(num(ly + 6))
                    .append("\" stroke=\"#D62728\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n");
            text(sb, "legend", LEFT + plotW + 34, ly + 10, "start", 11, null, spec.roofline().name());
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void drawRoofline(StringBuilder sb, ChartSpec spec, double slot, int plotH, double yMax) {
        ChartSpec.Series r = spec.roofline();
        StringBuilder pts = new StringBuilder();
        int n = spec.categories().size();
        double lastX = 0, lastY = 0;
        for (int i = 0; i < n; i++) {
            double v = r.value(i);
            if (!Double.isFinite(v)) continue;
            double y = TOP + plotH - Math.max(0, v) / yMax * plotH;
            // each category's ceiling spans its whole slot, so a constant roofline is one straight line
            double x0 = LEFT + slot * i, x1 = LEFT + slot * (i + 1);
            if (!pts.isEmpty()) pts.append(' ');
            pts.append(num(x0)).append(',').append(num(y)).append(' ').append(num(x1)).append(',').append(num(y));
            lastX = x1;
            lastY = y;
        }
        if (pts.isEmpty()) return;
        sb.append("  <polyline class=\"roofline\" fill=\"none\" stroke=\"#D62728\" stroke-width=\"2\" stroke-dasharray=\"6,4\" points=\"")
                .append(pts).append("\"><title>").append(escape(r.name())).append("</title></polyline>\n");
        text(sb, "roofline-label", lastX - 4, lastY - 6, "end", 11, null, r.name());
    }

    /** Ticks 0, step, 2*step, ... with step 1, 2 or 5 times a power of ten, covering {@code max} in about 5 steps. */
    static double[] niceTicks(double max) {
        if (!(max > 0)) return new double[] {0, 1};
        double rough = max / 5;
        double pow = Math.pow(10, Math.floor(Math.log10(rough)));
        double step = rough / pow <= 1 ? pow : rough / pow <= 2 ? 2 * pow : rough / pow <= 5 ? 5 * pow : 10 * pow;
        int count = (int) Math.ceil(max / step - 1e-9);
        double[] ticks = new double[count + 1];
        for (int i = 0; i <= count; i++) ticks[i] = i * step;
        return ticks;
    }

    private static double finiteMax(ChartSpec.Series s) {
        double m = 0;
        for (double v : s.values()) if (Double.isFinite(v)) m = Math.max(m, v);
        return m;
    }

    private static String color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    private static void text(StringBuilder sb, String cls, double x, double y, String anchor, int size, String weight, String s) {
        sb.append("  <text class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\" text-anchor=\"").append(anchor).append("\" font-size=\"").append(size).append('"');
        if (weight != null) sb.append(" font-weight=\"").append(weight).append('"');
        sb.append('>').append(escape(s)).append("</text>\n");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    // XML 1.0 forbids most control characters even when escaped
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') out.append(' ');
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }
}
