package dev.specula.bench.strategies;

import dev.specula.bench.MachineInfo;
import dev.specula.bench.OutputOptions;
import dev.specula.bench.Progress;
import dev.specula.bench.bandwidth.BandwidthProbe;
import dev.specula.bench.decode.WeightBytes;
import dev.specula.bench.prediction.CostCurve;
import dev.specula.bench.prediction.CurveMeasurement;
import dev.specula.bench.report.BenchReport;
import dev.specula.bench.report.ChartSpec;
import dev.specula.bench.report.Column;
import dev.specula.bench.report.ResultTable;
import dev.specula.bench.stats.Summary;
import dev.specula.decoding.DecodeStats;
import dev.specula.decoding.DecodingOptions;
import dev.specula.decoding.GenerationResult;
import dev.specula.decoding.Generator;
import dev.specula.decoding.LlamaDecodingModel;
import dev.specula.decoding.StrategyKind;
import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.sampling.SamplerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code specula bench strategies}: every decoding strategy on the same prompts, interleaved
 * (A B C A B C ... per prompt, so machine noise hits all of them alike), greedy. Reports tokens/s,
 * speedup over AR, tokens per target forward, acceptance, and the speedup predicted from the measured
 * acceptance and the measured k-row cost curve. Greedy output of every target-lossless strategy must
 * equal AR's token for token (CoS must equal the standard collaborative baseline): a difference aborts.
 */
@Command(name = "strategies", mixinStandardHelpOptions = true,
        description = "Compare decoding strategies on a prompt set (interleaved, greedy, outputs checked against AR).")
public final class StrategiesCommand implements Callable<Integer> {
    /** Strategies whose greedy output must equal AR's. */
    static final Set<StrategyKind> TARGET_LOSSLESS = EnumSet.of(StrategyKind.SPECULATIVE, StrategyKind.JACOBI,
            StrategyKind.LOOKAHEAD, StrategyKind.ADED, StrategyKind.LOOKUP, StrategyKind.AUTO);

    /** Timed rounds of the cost curves before the runs, and after each prompt's runs. */
    static final int CURVE_ROUNDS_FIRST = 6;
    static final int CURVE_ROUNDS_BETWEEN = 2;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "GGUF", description = "Target model.")
    Path target;

    @Option(names = "--draft", paramLabel = "GGUF", description = "Draft model (needed by speculative, cos, collaborative).")
    Path draft;

    @Option(names = "--prompts", required = true, paramLabel = "JSONL", description = "Prompt file: one {\"id\", \"prompt\"} object per line.")
    Path prompts;

    @Option(names = "-n", defaultValue = "256", description = "Tokens generated per prompt (default: ${DEFAULT-VALUE}).")
    int maxNew;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--strategies", split = ",", paramLabel = "NAME",
            description = "Strategies to compare (default: ar plus every strategy whose models are given).")
    List<String> strategyNames;

    @Option(names = "--limit", defaultValue = "4", description = "Use the first N prompts (0 = all; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--reps", defaultValue = "1", description = "Rounds over the prompt set (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--draft-max", defaultValue = "5", description = "Most drafted tokens per step (default: ${DEFAULT-VALUE}).")
    int draftMax;

    @Option(names = "--auto-arms", split = ",", paramLabel = "NAME",
            description = "Strategies AUTO chooses from (default: every applicable one).")
    List<String> autoArms;

    @Option(names = "--k", split = ",", defaultValue = "1,2,3,4,5,6,8,10,12,16,20", paramLabel = "K",
            description = "Row counts of the measured cost curves, starting at 1 (default: ${DEFAULT-VALUE}).")
    List<Integer> ks;

    @Option(names = "--curve-context", defaultValue = "0", paramLabel = "N",
            description = "Context length (cache rows) the cost curves are measured at; 0 = the mean context of the decoding "
                    + "(mean prompt tokens + n/2) (default: ${DEFAULT-VALUE}).")
    int curveContext;

    @Option(names = "--bandwidth-mb", defaultValue = "2048", paramLabel = "MIB",
            description = "Working set of the DRAM bandwidth probe for the AR roofline; 0 skips it (default: ${DEFAULT-VALUE}).")
    long bandwidthMb;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(target)) throw new IllegalArgumentException("target model not found: " + target);
        if (draft != null && !Files.isRegularFile(draft)) throw new IllegalArgumentException("draft model not found: " + draft);
        if (maxNew < 1 || reps < 1) throw new IllegalArgumentException("-n and --reps must be >= 1");
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        List<StrategyKind> kinds = chooseStrategies();
        List<PromptSet.Prompt> promptList = PromptSet.read(prompts, limit);

        double bandwidth = Double.NaN;
        if (bandwidthMb > 0) {
            System.err.println("DRAM bandwidth probe, " + t + " thread(s)");
            try (BandwidthProbe probe = new BandwidthProbe(bandwidthMb << 20)) {
                bandwidth = probe.measure(t, 5).readGBs().median();
            }
        }

        try (Parallel pool = new Parallel(t); LlamaModel targetModel = LlamaModel.load(target, pool);
             LlamaModel draftModel = draft == null ? null : LlamaModel.load(draft, pool)) {
            List<int[]> promptIds = new ArrayList<>();
            for (PromptSet.Prompt p : promptList) promptIds.add(targetModel.tokenizer().encode(p.text(), true, false));
            int context = curveContext(targetModel, promptIds);
            CurveMeasurement curveSamples = curve(targetModel, context);
            CurveMeasurement draftSamples = draftModel == null ? null : curve(draftModel, context);

            DecodingOptions options = DecodingOptions.builder().draftMax(draftMax)
                    .autoArms(autoArms == null ? List.of() : autoArms.stream().map(StrategyKind::parse).toList()).build();
            LlamaDecodingModel targetDm = new LlamaDecodingModel(targetModel);
            List<LlamaDecodingModel> drafts = draftModel == null ? List.of() : List.of(new LlamaDecodingModel(draftModel));
            Map<StrategyKind, Generator> generators = new LinkedHashMap<>();
            Map<StrategyKind, StrategyTally> tallies = new LinkedHashMap<>();
            Map<StrategyKind, String> lastDetail = new LinkedHashMap<>();
            for (StrategyKind k : kinds) {
                // AUTO gets the draft too (as in the CLI): speculative decoding is one of its arms
                boolean usesDraft = k.needsDrafts() || k == StrategyKind.AUTO;
                generators.put(k, Generator.builder().target(targetDm).draftModels(usesDraft ? drafts : List.of()).strategy(k)
                        .sampler(SamplerConfig.greedy()).options(options).build());
                tallies.put(k, new StrategyTally(k.name().toLowerCase(Locale.ROOT)));
            }

            // warm-up: every strategy once on the first prompt (JIT, scratch buffers), not counted
            for (StrategyKind k : kinds) {
                System.err.println("warm-up: " + k.name().toLowerCase(Locale.ROOT));
                generators.get(k).generate(promptIds.getFirst(), Math.min(maxNew, 32), null);
            }
            Progress progress = new Progress(System.err, reps * promptList.size() * kinds.size());
            for (int rep = 0; rep < reps; rep++) {
                for (int p = 0; p < promptList.size(); p++) {
                    Map<StrategyKind, int[]> outputs = new LinkedHashMap<>();
                    for (StrategyKind k : kinds) {
                        progress.step(k.name().toLowerCase(Locale.ROOT) + " on prompt '" + promptList.get(p).id() + "' ("
                                + promptIds.get(p).length + " tokens), round " + (rep + 1));
                        GenerationResult r = generators.get(k).generate(promptIds.get(p), maxNew, null);
                        DecodeStats s = r.stats();
                        tallies.get(k).add(new StrategyTally.RunRecord(p, rep, s.generatedTokens(), s.decodeMs(), s.targetForwards(),
                                s.draftForwards(), s.proposedDrafts(), s.acceptedDrafts(), s.profile()));
                        outputs.put(k, r.ids());
                        if (!s.detail().isEmpty()) lastDetail.put(k, s.detail());
                        checkLossless(k, outputs, promptList.get(p).id());
                    }
                    // more curve samples between prompts: the curves see the same machine load as the runs
                    curveSamples.sample(CURVE_ROUNDS_BETWEEN);
                    if (draftSamples != null) draftSamples.sample(CURVE_ROUNDS_BETWEEN);
                }
            }
            progress.done();
            CostCurve curve = curveSamples.curve();
            CostCurve draftCurve = draftSamples == null ? null : draftSamples.curve();
            output.emit(report(targetModel, draftModel, promptList.size(), t, tallies, curve, draftCurve, context, bandwidth,
                    promptList.stream().map(PromptSet.Prompt::id).toList(), lastDetail), System.out, System.err);
        }
        return 0;
    }

    private List<StrategyKind> chooseStrategies() {
        List<StrategyKind> kinds = new ArrayList<>();
        kinds.add(StrategyKind.AR);
        if (strategyNames == null || strategyNames.isEmpty()) {
            for (StrategyKind k : StrategyKind.values()) {
                if (k != StrategyKind.AR && (draft != null || !k.needsDrafts())) kinds.add(k);
            }
        } else {
            for (String n : strategyNames) {
                StrategyKind k = StrategyKind.parse(n);
                if (k.needsDrafts() && draft == null) throw new IllegalArgumentException("strategy " + n + " needs --draft");
                if (!kinds.contains(k)) kinds.add(k);
            }
        }
        return kinds;
    }

    /** Aborts when a lossless strategy's greedy output differs from its reference on this prompt. */
    static void checkLossless(StrategyKind k, Map<StrategyKind, int[]> outputs, String promptId) {
        StrategyKind reference = TARGET_LOSSLESS.contains(k) ? StrategyKind.AR
                : k == StrategyKind.COS ? StrategyKind.COLLABORATIVE : k == StrategyKind.COLLABORATIVE ? StrategyKind.COS : null;
        if (reference == null || !outputs.containsKey(reference)) return;
        int[] expected = outputs.get(reference), actual = outputs.get(k);
        if (!java.util.Arrays.equals(expected, actual)) {
            throw new OutputMismatchException(k.name().toLowerCase(Locale.ROOT), reference.name().toLowerCase(Locale.ROOT), promptId,
                    expected, actual);
        }
    }

    private static String curveNote(String which, CostCurve curve, int context) {
        StringBuilder c = new StringBuilder(which + " k-row cost at context " + context + " (ms per forward):");
        int[] ks = curve.ks();
        for (int k : ks) c.append(String.format(Locale.ROOT, " k=%d %.2f (%.2fx)", k, curve.millis(k), curve.ratio(k)));
        return c.toString();
    }

    /** The context the curves are measured at: the option, or the mean over prompts of prompt tokens + n/2. */
    private int curveContext(LlamaModel model, List<int[]> promptIds) {
        int limit = model.config().contextLength() - ks.getLast() - 1;
        if (curveContext > 0) return Math.min(curveContext, limit);
        double mean = promptIds.stream().mapToInt(p -> p.length).average().orElse(1) + maxNew / 2.0;
        return Math.max(1, Math.min(limit, (int) Math.round(mean)));
    }

    /** Starts the k-row cost curve of a model after {@code context} cache rows ({@value #CURVE_ROUNDS_FIRST} rounds now, more between prompts). */
    private CurveMeasurement curve(LlamaModel model, int context) {
        System.err.println("k-row cost curve of " + model.file().source() + " for k = " + ks + " at context " + context);
        CurveMeasurement m = new CurveMeasurement(model.newSession(context + ks.getLast() + 1), ks, context);
        m.sample(CURVE_ROUNDS_FIRST);
        return m;
    }

    private BenchReport report(LlamaModel targetModel, LlamaModel draftModel, int promptCount, int t,
                               Map<StrategyKind, StrategyTally> tallies, CostCurve curve, CostCurve draftCurve, int context,
                               double bandwidth, List<String> promptNames, Map<StrategyKind, String> lastDetail) {
        BenchReport report = new BenchReport("Decoding strategies: " + target.getFileName()
                + (draftModel == null ? "" : " with draft " + draft.getFileName()));
        MachineInfo.notes().forEach(report::note);
        report.note(promptCount + " prompts from " + prompts.getFileName() + ", " + maxNew + " tokens each, greedy, " + t + " thread(s), "
                + reps + " round(s), strategies interleaved per prompt; draft-max " + draftMax);
        report.note("greedy outputs checked: every target-lossless strategy equal to AR (CoS equal to collaborative) on every prompt");
        report.note("cost curves: medians of " + CURVE_ROUNDS_FIRST + " rounds before the runs and " + CURVE_ROUNDS_BETWEEN
                + " after each prompt's runs (all k round-robin), so they see the machine load the runs saw");
        report.note(curveNote("target", curve, context));
        if (draftCurve != null) report.note(curveNote("draft", draftCurve, context));
        lastDetail.forEach((k, d) -> report.note(k.name().toLowerCase(Locale.ROOT) + " after the last run: " + d));
        report.note("predicted speedup = tokens x (AR's measured ms per token on the same prompt) / (sum over target forwards of C(rows) "
                + "+ sum over draft forwards of D(rows)), with the rows of every forward counted (C, D: the measured target and draft "
                + "curves); real / predicted = the share of a strategy's time its forwards' curve costs explain (AR's row: C(1) against "
                + "AR's measured forwards)");

        StrategyTally ar = tallies.get(StrategyKind.AR);
        ResultTable table = new ResultTable("Strategies",
                Column.of("strategy"), Column.of("tok/s", "%.1f"), Column.of("per-run median", "%.1f"), Column.of("min", "%.1f"),
                Column.of("max", "%.1f"), Column.of("speedup vs AR", "%.2f"), Column.of("tokens/target forward", "%.2f"),
                Column.of("rows/target forward", "%.2f"), Column.of("acceptance", "%.2f"), Column.of("draft fwd/target fwd", "%.2f"),
                Column.of("predicted speedup", "%.2f"), Column.of("real/predicted", "%.2f"));
        List<String> categories = new ArrayList<>();
        double[] tps = new double[tallies.size()];
        int i = 0;
        for (StrategyTally tally : tallies.values()) {
            Summary perRun = tally.perRunTokensPerSecond();
            double speedup = tally.speedupOver(ar), predicted = tally.predictedSpeedup(curve, draftCurve, ar);
            table.addRow(tally.name(), tally.tokensPerSecond(), perRun.median(), perRun.min(), perRun.max(), speedup,
                    tally.tokensPerForward(), tally.rowsPerForward(), tally.acceptanceRate(), tally.draftForwardsPerTargetForward(),
                    predicted, speedup / predicted);
            categories.add(tally.name());
            tps[i++] = tally.tokensPerSecond();
        }
        report.table(table);
        report.table(TimeBreakdown.perToken(tallies.values(), curve, draftCurve));
        report.table(TimeBreakdown.byRows(tallies.values(), curve));
        report.table(TimeBreakdown.perRun(tallies.values(), promptNames));
        ChartSpec.Series roof = null;
        if (Double.isFinite(bandwidth)) {
            double[] v = new double[categories.size()];
            java.util.Arrays.fill(v, bandwidth * 1e9 / WeightBytes.perToken(targetModel.file()));
            roof = new ChartSpec.Series(String.format(Locale.ROOT, "AR DRAM roofline (%.1f GB/s)", bandwidth), v);
        }
        report.chart(new ChartSpec(ChartSpec.Kind.BAR, "Decoding strategies, " + t + " thread(s)", "strategy", "tokens/s", categories,
                List.of(new ChartSpec.Series("tok/s", tps)), roof));
        return report;
    }
}
