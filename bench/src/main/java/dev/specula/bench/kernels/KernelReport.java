package dev.specula.bench.kernels;

import dev.specula.bench.report.BenchReport;
import dev.specula.bench.report.ChartSpec;
import dev.specula.bench.report.Column;
import dev.specula.bench.report.ResultTable;
import dev.specula.gguf.GgmlType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Turns JMH results into tables: times are the median over measurement iterations (min-max beside),
 * converted to GB/s of weights (GGUF bytes) and GFLOP/s for matrix products; "best GB/s" uses the
 * fastest iteration, the better estimate of what a kernel can do on a machine shared with other work.
 */
public final class KernelReport {
    private KernelReport() {}

    /** Median time of one call in seconds, from a JMH result in any time unit. */
    static double seconds(RunResult r, double percentile) {
        Statistics s = r.getPrimaryResult().getStatistics();
        double v = percentile < 0 ? s.getMin() : percentile > 100 ? s.getMax() : s.getPercentile(percentile);
        return v * unitSeconds(r.getPrimaryResult().getScoreUnit());
    }

    static double unitSeconds(String unit) {
        String u = unit.endsWith("/op") ? unit.substring(0, unit.length() - 3) : unit;
        return switch (u) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1.0;
            default -> throw new IllegalArgumentException("unexpected JMH score unit '" + unit + "' (expected time per op)");
        };
    }

    /**
     * @param results every JMH result of the run
     * @param rooflineGBs measured DRAM read bandwidth at the largest thread count (NaN when not measured)
     * @param rooflineThreads the thread count it was measured with
     */
    public static void addTo(BenchReport report, Collection<RunResult> results, double rooflineGBs, int rooflineThreads) {
        ResultTable mat = new ResultTable("Mat-vec and k-row mat-mat (WeightMatrix.multiply)",
                Column.of("type"), Column.of("rows x cols"), Column.of("k"), Column.of("threads"),
                Column.of("us/call", "%.1f"), Column.of("min us", "%.1f"), Column.of("max us", "%.1f"),
                Column.of("GB/s", "%.1f"), Column.of("GFLOP/s", "%.1f"), Column.of("best GB/s", "%.1f"), Column.of("cost vs k=1", "%.2f"));
        ResultTable att = new ResultTable("Attention decode step (32 q heads, 8 kv heads, head dim 64, f32 KV)",
                Column.of("positions"), Column.of("threads"), Column.of("us/step", "%.1f"), Column.of("min us", "%.1f"),
                Column.of("max us", "%.1f"), Column.of("KV GB/s", "%.1f"));
        ResultTable vm = new ResultTable("VectorMath primitives (1 thread)",
                Column.of("op"), Column.of("n"), Column.of("ns/call", "%.0f"), Column.of("min ns", "%.0f"), Column.of("max ns", "%.0f"),
                Column.of("elements/ns", "%.2f"));
        ResultTable smp = new ResultTable("Sampling one token",
                Column.of("method"), Column.of("vocab"), Column.of("us/token", "%.1f"), Column.of("min us", "%.1f"), Column.of("max us", "%.1f"));

        // k = 1 time per (type, shape, threads) for the cost ratios
        Map<String, Double> kOne = new LinkedHashMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            if (p.getBenchmark().endsWith("MatMulBenchmark.multiply") && p.getParam("k").equals("1")) {
                kOne.put(p.getParam("type") + "|" + p.getParam("shape") + "|" + p.getParam("threads"), seconds(r, 50));
            }
        }
        // chart: k = 1 GB/s by type, one series per thread count, on the first (smallest) shape measured for all
        Map<String, Map<String, Double>> chartData = new LinkedHashMap<>(); // threads -> type -> GB/s
        TreeSet<String> chartTypes = new TreeSet<>();
        String chartShape = null;

        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String bench = p.getBenchmark();
            double med = seconds(r, 50), min = seconds(r, -1), max = seconds(r, 101);
            if (bench.endsWith("MatMulBenchmark.multiply")) {
                GgmlType type = GgmlType.valueOf(p.getParam("type"));
                int[] rc = KernelShapes.parse(p.getParam("shape"));
                int k = Integer.parseInt(p.getParam("k")), threads = Integer.parseInt(p.getParam("threads"));
                long bytes = type.bytesFor((long) rc[0] * rc[1]);
                double flops = 2.0 * rc[0] * rc[1] * k;
                Double base = kOne.get(p.getParam("type") + "|" + p.getParam("shape") + "|" + p.getParam("threads"));
                mat.addRow(type.name(), rc[0] + "x" + rc[1], k, threads, med * 1e6, min * 1e6, max * 1e6, bytes / med / 1e9,
                        flops / med / 1e9, bytes / min / 1e9, base == null ? Double.NaN : med / base);
                if (k == 1) {
                    if (chartShape == null) chartShape = p.getParam("shape");
                    if (chartShape.equals(p.getParam("shape"))) {
                        chartData.computeIfAbsent(p.getParam("threads"), x -> new LinkedHashMap<>()).put(type.name(), bytes / med / 1e9);
                        chartTypes.add(type.name());
                    }
                }
            } else if (bench.endsWith("AttentionBenchmark.decodeStep")) {
                int positions = Integer.parseInt(p.getParam("positions"));
                att.addRow(positions, Integer.parseInt(p.getParam("threads")), med * 1e6, min * 1e6, max * 1e6,
                        AttentionBenchmark.kvBytes(positions) / med / 1e9);
            } else if (bench.contains("VectorMathBenchmark.")) {
                int n = Integer.parseInt(p.getParam("n"));
                vm.addRow(bench.substring(bench.lastIndexOf('.') + 1), n, med * 1e9, min * 1e9, max * 1e9, n / (med * 1e9));
            } else if (bench.contains("SamplingBenchmark.")) {
                smp.addRow(bench.substring(bench.lastIndexOf('.') + 1), Integer.parseInt(p.getParam("vocab")), med * 1e6, min * 1e6, max * 1e6);
            }
        }
        for (ResultTable t : List.of(mat, att, vm, smp)) if (!t.rows().isEmpty()) report.table(t);

        if (!chartData.isEmpty()) {
            List<String> categories = new ArrayList<>(chartTypes);
            List<ChartSpec.Series> series = new ArrayList<>();
            for (Map.Entry<String, Map<String, Double>> e : chartData.entrySet()) {
                double[] v = new double[categories.size()];
                for (int i = 0; i < v.length; i++) v[i] = e.getValue().getOrDefault(categories.get(i), Double.NaN);
                series.add(new ChartSpec.Series(e.getKey() + (e.getKey().equals("1") ? " thread" : " threads"), v));
            }
            ChartSpec.Series roof = null;
            if (Double.isFinite(rooflineGBs)) {
                double[] v = new double[categories.size()];
                java.util.Arrays.fill(v, rooflineGBs);
                roof = new ChartSpec.Series(String.format(java.util.Locale.ROOT, "DRAM read %.1f GB/s (%d threads)", rooflineGBs, rooflineThreads), v);
            }
            report.chart(new ChartSpec(ChartSpec.Kind.BAR, "Mat-vec weight streaming, " + chartShape + " (k = 1)", "weight type",
                    "GB/s of GGUF weight bytes", categories, series, roof));
        }
    }
}
