package dev.specula.bench;

import dev.specula.bench.bandwidth.BandwidthCommand;
import dev.specula.bench.decode.DecodeCommand;
import dev.specula.bench.kernels.KernelsCommand;
import dev.specula.bench.strategies.StrategiesCommand;
import dev.specula.bench.synthetic.MakeSyntheticCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code specula bench}: kernel micro-benchmarks, the memory-bandwidth roofline, end-to-end decode
 * speed and the decoding-strategy comparison, each printing a Markdown table and optionally CSV, JSON
 * and an SVG chart. The CLI registers this command under {@code specula}; {@link #main} runs it alone.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: kernels (JMH), memory bandwidth, decode speed, decoding strategies, synthetic models.",
        subcommands = {MakeSyntheticCommand.class, KernelsCommand.class, BandwidthCommand.class, DecodeCommand.class, StrategiesCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }
}
