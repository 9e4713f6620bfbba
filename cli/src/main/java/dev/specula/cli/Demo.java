package dev.specula.cli;

import dev.specula.decoding.GenerationResult;
import dev.specula.decoding.Generator;
import dev.specula.decoding.StrategyKind;
import dev.specula.engine.model.KvCacheType;
import dev.specula.engine.sampling.SamplerConfig;
import dev.specula.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code specula} without arguments: completes a built-in Python prompt on the bundled target with
 * plain autoregressive decoding, then with speculative decoding (bundled 7m draft) and prompt lookup,
 * streaming each, and ends with a table of speed, speedup and tokens per target forward. Greedy, so
 * every strategy must print exactly the same text (lossless).
 */
final class Demo {
    static final String PROMPT = "class Stack:\n    \"\"\"A simple LIFO stack.\"\"\"\n\n    def __init__(self):";
    static final int NEW_TOKENS = 128;
    static final int WARM_UP_TOKENS = 32;
    static final List<StrategyKind> STRATEGIES = List.of(StrategyKind.AR, StrategyKind.SPECULATIVE, StrategyKind.LOOKUP);

    private Demo() {}

    record Row(StrategyKind strategy, GenerationResult result) {}

    /** What a demo run produced: one row per strategy run, in order. */
    record Outcome(List<Row> rows, boolean identical) {
        int exitCode() {
            return identical ? 0 : 1;
        }
    }

    static int run(PrintWriter out, PrintWriter err) throws IOException {
        return run(out, err, NEW_TOKENS).exitCode();
    }

    /** The demo with {@code newTokens} tokens per strategy (tests use a small count). */
    static Outcome run(PrintWriter out, PrintWriter err, int newTokens) throws IOException {
        Path target = BundledModels.require(BundledModels.TARGET);
        Path draft = target.resolveSibling(BundledModels.DRAFT);
        boolean haveDraft = Files.isRegularFile(draft);
        if (!haveDraft) err.println("specula: the bundled draft " + draft + " is missing; the demo skips speculative decoding");
        int threads = SystemInfo.defaultThreads();
        try (LoadedModels models = LoadedModels.load(target, haveDraft ? List.of(draft) : List.of(), threads, 0, KvCacheType.F32)) {
            Tokenizer tokenizer = models.target().tokenizer();
            int[] prompt = tokenizer.encode(PROMPT, true, true);
            out.printf(Locale.ROOT, "Specula demo: %s (target)%s, %d threads, greedy, %d new tokens%n",
                    target.getFileName(), haveDraft ? " and " + draft.getFileName() + " (draft)" : "", threads, newTokens);
            out.flush();
            warmUp(models, prompt, haveDraft);
            List<Row> rows = new ArrayList<>();
            for (StrategyKind kind : STRATEGIES) {
                if (kind.needsDrafts() && !haveDraft) continue;
                out.printf(Locale.ROOT, "%n--- %s ---%n%s", Format.strategy(kind), PROMPT);
                out.flush();
                Generator g = models.generatorBuilder().strategy(kind).sampler(SamplerConfig.greedy())
                        .options(new DecodingFlags().toOptions(models.contextLength(), 0)).build();
                TokenStreamer streamer = new TokenStreamer(tokenizer, out);
                GenerationResult r = g.generate(prompt, newTokens, streamer);
                if (!streamer.finish().endsWith("\n")) out.println();
                rows.add(new Row(kind, r));
            }
            out.println();
            out.print(table(rows));
            boolean identical = rows.stream().allMatch(r -> Arrays.equals(r.result().ids(), rows.get(0).result().ids()));
            out.println(identical ? "All strategies produced exactly the same tokens (lossless)."
                    : "WARNING: the strategies produced different tokens — please report this as a bug.");
            out.println("Try: ./specula generate -p 'def add(a, b):' -n 64 --strategy speculative   (./specula --help)");
            out.flush();
            return new Outcome(List.copyOf(rows), identical);
        }
    }

    /**
     * A short untimed run of every strategy first, so the JIT has compiled the single-row and the k-row
     * kernels and the drafting code before anything is timed (otherwise the first drafting strategy
     * pays for compilation and looks slower than it is).
     */
    private static void warmUp(LoadedModels models, int[] prompt, boolean haveDraft) {
        for (StrategyKind kind : STRATEGIES) {
            if (kind.needsDrafts() && !haveDraft) continue;
            Generator g = models.generatorBuilder().strategy(kind).sampler(SamplerConfig.greedy())
                    .options(new DecodingFlags().toOptions(models.contextLength(), 0)).build();
            g.generate(prompt, WARM_UP_TOKENS, null);
        }
    }

    static String table(List<Row> rows) {
        double base = rows.get(0).result().stats().decodeTokensPerSecond();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-12s %7s %9s %8s %15s %11s%n",
                "strategy", "tokens", "tok/s", "speedup", "tokens/forward", "acceptance"));
        for (Row row : rows) {
            var s = row.result().stats();
            sb.append(String.format(Locale.ROOT, "%-12s %7d %9s %7.2fx %15.2f %10.0f%%%n",
                    Format.strategy(row.strategy()), s.generatedTokens(), Format.rate(s.decodeTokensPerSecond()),
                    base > 0 ? s.decodeTokensPerSecond() / base : 0.0, s.acceptedPerForward(), 100 * s.acceptanceRate()));
        }
        return sb.toString();
    }
}
