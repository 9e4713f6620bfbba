package dev.specula.cli;

import dev.specula.decoding.DecodingOptions;
import dev.specula.decoding.StrategyKind;
import dev.specula.engine.model.KvCacheType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Decoding-strategy flags shared by generate and chat. Unset numeric flags keep the library defaults. */
public final class DecodingFlags {
    @Option(names = "--strategy", defaultValue = "ar", paramLabel = "NAME",
            description = "ar, speculative, cos, jacobi, lookahead, aded, lookup, auto or collaborative (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--draft", paramLabel = "MODEL", description = "Draft model (.gguf, same vocabulary); repeatable.")
    List<Path> drafts = new ArrayList<>();

    @Option(names = "--weights", split = ",", paramLabel = "W", description = "cos/collaborative: weight of each model, target first (e.g. 0.5,0.5).")
    List<Double> weights = new ArrayList<>();

    @Option(names = "--draft-max", paramLabel = "N", description = "speculative/lookup: most tokens drafted per step.")
    Integer draftMax;

    @Option(names = "--window", paramLabel = "W", description = "lookahead: window size.")
    Integer window;

    @Option(names = "--ngram", paramLabel = "N", description = "lookahead: n-gram size (>= 3).")
    Integer ngram;

    @Option(names = "--cache-type", defaultValue = "f32", paramLabel = "TYPE",
            description = "KV cache storage: f32 (exact) or f16 (half the memory; keys and values rounded to half precision) "
                    + "(default: ${DEFAULT-VALUE}).")
    String cacheType;

    public KvCacheType cacheType() {
        try {
            return KvCacheType.parse(cacheType);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage() + " — pick one with --cache-type");
        }
    }

    public StrategyKind kind() {
        try {
            return StrategyKind.parse(strategy);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage() + " — pick one with --strategy");
        }
    }

    /** Options for the decoding library; {@code contextLength} 0 means the model's own. */
    public DecodingOptions toOptions(int contextLength, long seed) {
        DecodingOptions.Builder b = DecodingOptions.builder().contextLength(contextLength).seed(seed);
        if (draftMax != null) b.draftMax(draftMax);
        if (window != null) b.window(window);
        if (ngram != null) b.ngram(ngram);
        if (!weights.isEmpty()) b.cosWeights(weights);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliError("invalid decoding option: " + e.getMessage());
        }
    }
}
