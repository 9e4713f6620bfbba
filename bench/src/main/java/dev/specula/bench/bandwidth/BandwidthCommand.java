package dev.specula.bench.bandwidth;

import dev.specula.bench.MachineInfo;
import dev.specula.bench.OutputOptions;
import dev.specula.bench.Progress;
import dev.specula.bench.ThreadCounts;
import dev.specula.bench.report.BenchReport;
import dev.specula.bench.report.ChartSpec;
import dev.specula.bench.report.Column;
import dev.specula.bench.report.ResultTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code specula bench bandwidth}: the memory-bandwidth roofline of this machine. */
@Command(name = "bandwidth", mixinStandardHelpOptions = true,
        description = "Measure DRAM bandwidth (STREAM-like read and triad, Java Vector API) for 1..N threads: the roofline for decode.")
public final class BandwidthCommand implements Callable<Integer> {
    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N",
            description = "Thread counts to measure (default: 1 up to the number of cores).")
    List<Integer> threads;

    @Option(names = "--mb", defaultValue = "2048", paramLabel = "MIB",
            description = "Working set in MiB per test, far above the last-level cache (default: ${DEFAULT-VALUE}).")
    long mebibytes;

    @Option(names = "--reps", defaultValue = "7", description = "Timed repetitions per test (default: ${DEFAULT-VALUE}).")
    int reps;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<Integer> counts = ThreadCounts.orDefault(threads);
        List<BandwidthProbe.Result> results = new ArrayList<>();
        Progress progress = new Progress(System.err, counts.size());
        try (BandwidthProbe probe = new BandwidthProbe(mebibytes << 20)) {
            for (int t : counts) {
                progress.step("bandwidth, " + t + " thread(s), " + reps + " reps over " + (probe.workingSetBytes() >> 20) + " MiB");
                results.add(probe.measure(t, reps));
            }
        }
        progress.done();
        output.emit(report(results), System.out, System.err);
        return 0;
    }

    /** The report for a set of probe results (one per thread count). */
    public static BenchReport report(List<BandwidthProbe.Result> results) {
        BenchReport report = new BenchReport("Memory bandwidth (STREAM-like, Java)");
        MachineInfo.notes().forEach(report::note);
        if (!results.isEmpty()) {
            report.note("working set " + (results.getFirst().workingSetBytes() >> 20) + " MiB per test; GB/s = 1e9 bytes/s; "
                    + "cells are median (min-max) over the repetitions; triad counts 3 x 4 bytes per element");
        }
        ResultTable table = new ResultTable("Bandwidth by thread count",
                Column.of("threads"), Column.of("read GB/s", "%.1f"), Column.of("read min", "%.1f"), Column.of("read max", "%.1f"),
                Column.of("triad GB/s", "%.1f"), Column.of("triad min", "%.1f"), Column.of("triad max", "%.1f"));
        List<String> categories = new ArrayList<>();
        double[] read = new double[results.size()], triad = new double[results.size()];
        for (int i = 0; i < results.size(); i++) {
            BandwidthProbe.Result r = results.get(i);
            table.addRow(r.threads(), r.readGBs().median(), r.readGBs().min(), r.readGBs().max(),
                    r.triadGBs().median(), r.triadGBs().min(), r.triadGBs().max());
            categories.add(Integer.toString(r.threads()));
            read[i] = r.readGBs().median();
            triad[i] = r.triadGBs().median();
        }
        report.table(table);
        if (!results.isEmpty()) {
            report.chart(new ChartSpec(ChartSpec.Kind.BAR, "Memory bandwidth", "threads", "GB/s", categories,
                    List.of(new ChartSpec.Series("read", read), new ChartSpec.Series("triad", triad)), null));
        }
        return report;
    }
}
