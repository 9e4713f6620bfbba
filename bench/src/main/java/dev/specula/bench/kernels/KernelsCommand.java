package dev.specula.bench.kernels;

import dev.specula.bench.MachineInfo;
import dev.specula.bench.OutputOptions;
import dev.specula.bench.ThreadCounts;
import dev.specula.bench.bandwidth.BandwidthProbe;
import dev.specula.bench.report.BenchReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code specula bench kernels}: the JMH kernel suite, run in-process through JMH's {@link Runner}
 * (each benchmark in a forked JVM). JMH's own progress goes to stderr; the tables to stdout.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = {"Run the JMH kernel suite (mat-vec / k-row mat-mat for every weight type, attention, RMSNorm/softmax, sampling).",
                "The full suite is also runnable as: java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar"})
public final class KernelsCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Small preset (a few minutes on 2 cores) instead of the full suite.")
    boolean quick;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N", description = "Thread counts (default: 1 up to the number of cores).")
    List<Integer> threads;

    @Option(names = "--bandwidth-mb", defaultValue = "2048", paramLabel = "MIB",
            description = "Working set of the DRAM bandwidth probe drawn as the roofline; 0 skips it (default: ${DEFAULT-VALUE}).")
    long bandwidthMb;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        List<Integer> counts = ThreadCounts.orDefault(threads);
        List<KernelSuite.Run> runs = quick ? KernelSuite.quick(counts) : KernelSuite.full(threads == null ? null : counts);
        List<RunResult> all = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            KernelSuite.Run run = runs.get(i);
            System.err.println("[" + (i + 1) + "/" + runs.size() + "] JMH: " + run.label());
            all.addAll(runJmh(run, quick));
        }
        double roofline = Double.NaN;
        int rooflineThreads = counts.getLast();
        if (bandwidthMb > 0) {
            System.err.println("bandwidth probe (" + bandwidthMb + " MiB, " + rooflineThreads + " threads) for the roofline");
            try (BandwidthProbe probe = new BandwidthProbe(bandwidthMb << 20)) {
                roofline = probe.measure(rooflineThreads, 5).readGBs().median();
            }
        }
        BenchReport report = new BenchReport("Kernel micro-benchmarks (JMH" + (quick ? ", quick preset" : ", full suite") + ")");
        MachineInfo.notes().forEach(report::note);
        report.note("times are medians over JMH measurement iterations (min-max beside); GB/s counts the GGUF bytes of the weights "
                + "(the engine repacks quantized types at load time); GFLOP/s = 2 x rows x cols x k / time");
        if (Double.isFinite(roofline)) {
            report.note(String.format(java.util.Locale.ROOT, "DRAM read bandwidth (roofline): %.1f GB/s with %d threads", roofline, rooflineThreads));
        }
        KernelReport.addTo(report, all, roofline, rooflineThreads);
        output.emit(report, System.out, System.err);
        return 0;
    }

    /** Runs one suite entry; JMH writes its human log to stderr. */
    static Collection<RunResult> runJmh(KernelSuite.Run run, boolean quick) throws Exception {
        ChainedOptionsBuilder b = new OptionsBuilder().include(run.include()).shouldFailOnError(true);
        for (Map.Entry<String, List<String>> p : run.params().entrySet()) b.param(p.getKey(), p.getValue().toArray(String[]::new));
        if (quick) {
            b.forks(1).warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        return new Runner(b.build(), OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run();
    }
}
