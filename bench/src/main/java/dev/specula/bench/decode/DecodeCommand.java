package dev.specula.bench.decode;

import dev.specula.bench.MachineInfo;
import dev.specula.bench.OutputOptions;
import dev.specula.bench.Progress;
import dev.specula.bench.ThreadCounts;
import dev.specula.bench.bandwidth.BandwidthProbe;
import dev.specula.bench.report.BenchReport;
import dev.specula.bench.report.ChartSpec;
import dev.specula.bench.report.Column;
import dev.specula.bench.report.ResultTable;
import dev.specula.bench.stats.Summary;
import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.KvCacheType;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.model.ModelSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code specula bench decode}: prefill and decode tokens/s per thread count (warm-up, repetitions,
 * median and spread), the share of the memory-bandwidth roofline reached, and the k-row forward cost
 * curve that decides what speculative verification costs.
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Prefill/decode tokens/s per thread count, %% of the DRAM roofline, and the k-row forward cost curve.")
public final class DecodeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "GGUF", description = "Model file.")
    Path model;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N", description = "Thread counts (default: 1 up to the number of cores).")
    List<Integer> threads;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "Prompt length for prefill (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--gen", defaultValue = "128", description = "Tokens decoded per repetition (default: ${DEFAULT-VALUE}).")
    int gen;

    @Option(names = "--reps", defaultValue = "5", description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up repetitions (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--k", split = ",", defaultValue = "1,2,4,8,16", paramLabel = "K",
            description = "Row counts of the k-row forward cost curve, starting at 1; empty to skip (default: ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(names = "--k-samples", defaultValue = "10", description = "Timed forwards per k (default: ${DEFAULT-VALUE}).")
    int kSamples;

    @Option(names = "--cache-type", defaultValue = "f32", paramLabel = "TYPE", converter = CacheTypeConverter.class,
            description = "KV cache storage, f32 or f16 (default: ${DEFAULT-VALUE}).")
    KvCacheType cacheType;

    /** Rejects a bad {@code --cache-type} as picocli's usage error, before anything is measured. */
    static final class CacheTypeConverter implements CommandLine.ITypeConverter<KvCacheType> {
        @Override
        public KvCacheType convert(String value) {
            try {
                return KvCacheType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--bandwidth-mb", defaultValue = "2048", paramLabel = "MIB",
            description = "Working set of the DRAM bandwidth probe for the roofline; 0 skips it (default: ${DEFAULT-VALUE}).")
    long bandwidthMb;

    @Mixin
    OutputOptions output;

    /** Everything measured at one thread count. */
    record ThreadResult(int threads, Summary prefillTps, Summary decodeTps, Map<Integer, Summary> kMillis, double readGBs) {}

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(model)) throw new IllegalArgumentException("model file not found: " + model);
        if (promptTokens < 1 || gen < 1 || reps < 1 || warmup < 0 || kSamples < 1) {
            throw new IllegalArgumentException("--prompt-tokens, --gen, --reps and --k-samples must be >= 1 and --warmup >= 0");
        }
        List<Integer> counts = ThreadCounts.orDefault(threads);
        int maxK = 1;
        for (int i = 0; i < ks.size(); i++) {
            if (ks.get(i) < 1 || (i > 0 && ks.get(i) <= ks.get(i - 1)) || (i == 0 && ks.get(0) != 1)) {
                throw new IllegalArgumentException("--k must be increasing and start at 1, got " + ks);
            }
            maxK = ks.get(i);
        }

        Map<Integer, Double> bandwidth = new HashMap<>();
        Progress progress = new Progress(System.err, counts.size() * (bandwidthMb > 0 ? 2 : 1));
        if (bandwidthMb > 0) {
            try (BandwidthProbe probe = new BandwidthProbe(bandwidthMb << 20)) {
                for (int t : counts) {
                    progress.step("DRAM bandwidth, " + t + " thread(s)");
                    bandwidth.put(t, probe.measure(t, 5).readGBs().median());
                }
            }
        }

        List<ThreadResult> results = new ArrayList<>();
        long weightBytes = 0;
        String description = "";
        for (int t : counts) {
            progress.step("decode " + model.getFileName() + ", " + t + " thread(s): " + warmup + " warm-up + " + reps + " reps of "
                    + promptTokens + " prompt + " + gen + " generated tokens, then k = " + ks);
            try (Parallel pool = new Parallel(t); LlamaModel m = LlamaModel.load(model, pool)) {
                weightBytes = WeightBytes.perToken(m.file());
                description = m.toString();
                int capacity = promptTokens + gen + maxK + 1;
                if (capacity > m.config().contextLength()) {
                    throw new IllegalArgumentException("--prompt-tokens + --gen + max k = " + capacity + " exceeds the model's context length "
                            + m.config().contextLength());
                }
                ModelSession session = m.newSession(capacity, cacheType);
                int[] prompt = ForwardTimer.syntheticPrompt(m.config().vocabSize(), promptTokens, 1234);
                double[] prefill = new double[reps], decode = new double[reps];
                for (int r = -warmup; r < reps; r++) {
                    double p = ForwardTimer.prefill(session, prompt);
                    double d = ForwardTimer.decode(session, prompt[prompt.length - 1], gen);
                    if (r >= 0) {
                        prefill[r] = p;
                        decode[r] = d;
                    }
                }
                Map<Integer, Summary> kMillis = new java.util.LinkedHashMap<>();
                if (!ks.isEmpty()) {
                    ForwardTimer.prefill(session, prompt);
                    for (int k : ks) {
                        double[] s = ForwardTimer.kRowForward(session, k, kSamples, k);
                        for (int i = 0; i < s.length; i++) s[i] *= 1000;
                        kMillis.put(k, Summary.of(s));
                    }
                }
                results.add(new ThreadResult(t, Summary.of(Summary.rates(promptTokens, prefill)), Summary.of(Summary.rates(gen, decode)),
                        kMillis, bandwidth.getOrDefault(t, Double.NaN)));
            }
        }
        progress.done();
        output.emit(report(model.getFileName().toString(), description, weightBytes, results), System.out, System.err);
        return 0;
    }

    BenchReport report(String modelName, String description, long weightBytes, List<ThreadResult> results) {
        BenchReport report = new BenchReport("Decode speed: " + modelName);
        MachineInfo.notes().forEach(report::note);
        report.note("model: " + description + "; KV cache " + cacheType);
        report.note(String.format(Locale.ROOT, "weights read per token: %.1f MiB (GGUF bytes; a separate token_embd counts one row)",
                weightBytes / 1048576.0));
        report.note("prefill: one " + promptTokens + "-token causal batch from an empty cache; decode: " + gen
                + " greedy tokens (forward + argmax) after it; " + warmup + " warm-up + " + reps + " timed repetitions; "
                + "cells are medians, min/max beside; % roofline = weight bytes x tok/s / DRAM read GB/s at the same thread count");
        ResultTable speed = new ResultTable("Prefill and decode",
                Column.of("model"), Column.of("threads"), Column.of("prefill tok/s", "%.0f"), Column.of("prefill min", "%.0f"),
                Column.of("prefill max", "%.0f"), Column.of("decode tok/s", "%.1f"), Column.of("decode min", "%.1f"),
                Column.of("decode max", "%.1f"), Column.of("ms/token", "%.2f"), Column.of("weights GB/s", "%.1f"),
                Column.of("DRAM GB/s", "%.1f"), Column.of("% roofline", "%.0f"));
        ResultTable curve = new ResultTable("k-row forward cost (ModelSession.forward of k causal rows, all logits)",
                Column.of("threads"), Column.of("k"), Column.of("ms/forward", "%.2f"), Column.of("min ms", "%.2f"), Column.of("max ms", "%.2f"),
                Column.of("cost vs k=1", "%.2f"), Column.of("ms per row", "%.2f"));
        List<String> categories = new ArrayList<>();
        double[] tps = new double[results.size()], roof = new double[results.size()];
        for (int i = 0; i < results.size(); i++) {
            ThreadResult r = results.get(i);
            double d = r.decodeTps().median();
            double gbs = weightBytes * d / 1e9;
            speed.addRow(modelName, r.threads(), r.prefillTps().median(), r.prefillTps().min(), r.prefillTps().max(), d,
                    r.decodeTps().min(), r.decodeTps().max(), 1000 / d, gbs, r.readGBs(), 100 * gbs / r.readGBs());
            Summary one = r.kMillis().get(1);
            for (Map.Entry<Integer, Summary> e : r.kMillis().entrySet()) {
                Summary s = e.getValue();
                curve.addRow(r.threads(), e.getKey(), s.median(), s.min(), s.max(), s.median() / one.median(), s.median() / e.getKey());
            }
            categories.add(Integer.toString(r.threads()));
            tps[i] = d;
            roof[i] = r.readGBs() * 1e9 / weightBytes;
        }
        report.table(speed);
        if (!curve.rows().isEmpty()) report.table(curve);
        boolean hasRoof = false;
        for (double v : roof) hasRoof |= Double.isFinite(v);
        report.chart(new ChartSpec(ChartSpec.Kind.BAR, "Decode tokens/s: " + modelName, "threads", "tokens/s", categories,
                List.of(new ChartSpec.Series("decode tok/s", tps)), hasRoof ? new ChartSpec.Series("DRAM roofline", roof) : null));
        return report;
    }
}
