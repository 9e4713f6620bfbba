package dev.specula.engine.sampling;

import java.util.Map;

/**
 * Sampling settings with llama.cpp semantics. Disabled values: {@code temperature <= 0} (greedy),
 * {@code topK <= 0}, {@code topP >= 1}, {@code minP <= 0}, {@code repeatPenalty == 1},
 * {@code presencePenalty == 0}, {@code frequencyPenalty == 0}, {@code repeatLastN == 0}
 * ({@code -1} = the whole history). {@code logitBias} maps token ids to values added to their logits
 * (use {@code Float.NEGATIVE_INFINITY} to ban a token).
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP, float repeatPenalty,
                            float presencePenalty, float frequencyPenalty, int repeatLastN,
                            Map<Integer, Float> logitBias, long seed) {

    public SamplerConfig {
        if (Float.isNaN(temperature)) throw new IllegalArgumentException("temperature is NaN");
        if (Float.isNaN(topP) || topP <= 0) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (Float.isNaN(minP) || minP < 0 || minP > 1) throw new IllegalArgumentException("minP must be in [0, 1], got " + minP);
        if (Float.isNaN(repeatPenalty) || repeatPenalty <= 0)
            throw new IllegalArgumentException("repeatPenalty must be > 0 (1 = off), got " + repeatPenalty);
        if (!Float.isFinite(presencePenalty)) throw new IllegalArgumentException("presencePenalty must be finite, got " + presencePenalty);
        if (!Float.isFinite(frequencyPenalty)) throw new IllegalArgumentException("frequencyPenalty must be finite, got " + frequencyPenalty);
        if (repeatLastN < -1) throw new IllegalArgumentException("repeatLastN must be >= -1 (-1 = whole history), got " + repeatLastN);
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
        for (Map.Entry<Integer, Float> e : logitBias.entrySet()) {
            if (e.getKey() < 0) throw new IllegalArgumentException("logit bias for negative token id " + e.getKey());
            if (Float.isNaN(e.getValue())) throw new IllegalArgumentException("logit bias for token " + e.getKey() + " is NaN");
        }
    }

    /** Greedy decoding (argmax of the raw logits), no penalties. */
    public static SamplerConfig greedy() {
        return new SamplerConfig(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(), 0L);
    }

    /** llama.cpp's CLI defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties. */
    public static SamplerConfig defaults(long seed) {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, Map.of(), seed);
    }

    /** Plain sampling from softmax(logits / temperature), every filter off. */
    public static SamplerConfig pure(float temperature, long seed) {
        return new SamplerConfig(temperature, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(), seed);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    /** True when any penalty changes logits given a history. */
    public boolean hasPenalties() {
        return repeatLastN != 0 && (repeatPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f);
    }

    public SamplerConfig withSeed(long newSeed) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty,
                repeatLastN, logitBias, newSeed);
    }

    public SamplerConfig withTemperature(float t) {
        return new SamplerConfig(t, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty,
                repeatLastN, logitBias, seed);
    }
}
