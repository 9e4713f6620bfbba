package dev.specula.cli;

import dev.specula.decoding.DecodeStats;
import dev.specula.decoding.GenerationResult;
import dev.specula.decoding.Generator;
import dev.specula.decoding.StopReason;
import dev.specula.decoding.StrategyKind;
import dev.specula.engine.sampling.SamplerConfig;
import dev.specula.engine.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code specula generate}: completes a prompt, streaming text, or prints one JSON object. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Complete a prompt with any decoding strategy (all lossless) and stream the text.",
                "Statistics go to stderr; --json prints ids, text and statistics as one object instead."})
public final class GenerateCommand extends CliCommand {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "GGUF model (default: the bundled one); repeat for cos/collaborative: the first is the target.")
    List<Path> models = new ArrayList<>();

    @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read the prompt from this UTF-8 file.")
    Path promptFile;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "128", paramLabel = "N", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Compute threads (default: all cores).")
    int threads = SystemInfo.defaultThreads();

    @Option(names = {"-c", "--ctx-size"}, defaultValue = "0", paramLabel = "N", description = "Context length; 0 = the model's (default).")
    int contextLength;

    @Option(names = "--json", description = "Print one JSON object (prompt_ids, ids, text, stats) instead of streaming.")
    boolean json;

    @Mixin
    SamplingOptions sampling = new SamplingOptions();

    @Mixin
    DecodingFlags decoding = new DecodingFlags();

    @Override
    protected int run() throws Exception {
        String text = promptText(prompt, promptFile);
        if (maxTokens < 0) throw new CliError("-n must be >= 0, got " + maxTokens);
        StrategyKind kind = decoding.kind();
        SamplerConfig sampler = sampling.toConfig();
        try (LoadedModels loaded = GenerationSetup.load(models, decoding.drafts, kind, threads, contextLength, decoding.cacheType(), err())) {
            Tokenizer tokenizer = loaded.target().tokenizer();
            int[] promptIds = tokenizer.encode(text, true, true);
            checkFits(promptIds.length, maxTokens, loaded.contextLength(), err());
            Generator generator = loaded.generatorBuilder().strategy(kind)
                    .sampler(sampler).options(decoding.toOptions(loaded.contextLength(), sampler.seed())).build();
            TokenStreamer streamer = new TokenStreamer(tokenizer, json ? null : out());
            GenerationResult result = generator.generate(promptIds, maxTokens, streamer);
            String streamed = streamer.finish();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("prompt_ids", promptIds);
                o.put("ids", result.ids());
                o.put("text", tokenizer.decode(result.ids()));
                o.put("stop_reason", result.stopReason().name().toLowerCase(Locale.ROOT));
                o.put("stats", statsJson(result.stats(), loaded.loadMs()));
                out().println(Json.write(o));
            } else {
                if (!streamed.endsWith("\n")) out().println();
                out().flush();
                if (result.stopReason() == StopReason.CONTEXT_FULL) {
                    err().println("specula: stopped at the context limit of " + loaded.contextLength() + " tokens");
                }
                err().println(statsLine(result.stats(), loaded.loadMs()));
            }
        }
        return 0;
    }

    /** The prompt from -p or -f (exactly one of them). */
    static String promptText(String prompt, Path file) throws java.io.IOException {
        if (prompt != null && file != null) throw new CliError("give the prompt with -p or with -f, not both");
        if (prompt != null) return prompt;
        if (file != null) return Files.readString(file, StandardCharsets.UTF_8);
        throw new CliError("no prompt — give one with -p TEXT or -f FILE");
    }

    /** The prompt must leave room for at least one new token; a too-small room for -n is only noted. */
    static void checkFits(int promptTokens, int maxTokens, int context, java.io.PrintWriter err) {
        if (promptTokens >= context) {
            throw new CliError("the prompt has " + promptTokens + " tokens but the context holds " + context
                    + " — use a shorter prompt or a larger -c");
        }
        if (promptTokens + maxTokens > context) {
            err.println("specula: prompt (" + promptTokens + " tokens) + -n " + maxTokens + " exceeds the context of "
                    + context + " tokens; generation stops at the limit");
            err.flush();
        }
    }

    static Map<String, Object> statsJson(DecodeStats s, double loadMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_tokens", s.promptTokens());
        m.put("generated_tokens", s.generatedTokens());
        m.put("prefill_tokens_per_s", s.prefillMs() > 0 ? s.promptTokens() / (s.prefillMs() / 1000) : 0.0);
        m.put("decode_tokens_per_s", s.decodeTokensPerSecond());
        m.put("load_ms", loadMs);
        m.put("prefill_ms", s.prefillMs());
        m.put("decode_ms", s.decodeMs());
        m.put("strategy", s.strategy().name().toLowerCase(Locale.ROOT));
        m.put("target_forwards", s.targetForwards());
        m.put("draft_forwards", s.draftForwards());
        m.put("accepted_per_forward", s.acceptedPerForward());
        m.put("acceptance_rate", s.acceptanceRate());
        if (!s.detail().isEmpty()) m.put("detail", s.detail());
        return m;
    }

    static String statsLine(DecodeStats s, double loadMs) {
        return String.format(Locale.ROOT,
                "[%s] %d tokens, decode %s tok/s, prefill %d tokens in %.0f ms, %.2f tokens/forward, acceptance %.0f%%, load %.0f ms",
                s.strategy().name().toLowerCase(Locale.ROOT), s.generatedTokens(), Format.rate(s.decodeTokensPerSecond()),
                s.promptTokens(), s.prefillMs(), s.acceptedPerForward(), 100 * s.acceptanceRate(), loadMs);
    }
}
