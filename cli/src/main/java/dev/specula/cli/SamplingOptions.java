package dev.specula.cli;

import dev.specula.engine.sampling.SamplerConfig;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** Sampling flags shared by generate and chat (llama.cpp names and meanings); greedy by default. */
public final class SamplingOptions {
    @Option(names = "--temp", defaultValue = "0", paramLabel = "T",
            description = "Temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "Keep the K most likely tokens; 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", paramLabel = "P", description = "Nucleus sampling; 1 = off (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", paramLabel = "P", description = "Drop tokens below P x the best probability; 0 = off (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", paramLabel = "X", description = "Penalty for the last 64 tokens; 1 = off (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--seed", defaultValue = "-1", paramLabel = "N", description = "Sampling seed; -1 = random (default: ${DEFAULT-VALUE}).")
    long seed;

    /** The sampler configuration; invalid values are reported as a {@link CliError} naming the flag. */
    public SamplerConfig toConfig() {
        long s = seed >= 0 ? seed : ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        if (temperature < 0) throw new CliError("--temp must be >= 0 (0 = greedy), got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new CliError("--top-p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP <= 1)) throw new CliError("--min-p must be in [0, 1], got " + minP);
        if (!(repeatPenalty > 0)) throw new CliError("--repeat-penalty must be > 0 (1 = off), got " + repeatPenalty);
        if (topK < 0) throw new CliError("--top-k must be >= 0 (0 = off), got " + topK);
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, 0f, 0f, 64, Map.of(), s);
    }
}
