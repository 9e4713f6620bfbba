package dev.specula.decoding;

import java.nio.file.Path;
import java.util.List;

/**
 * Tuning knobs of every strategy. Build with {@link #builder()}; {@link #defaults()} gives CPU-sized defaults.
 *
 * @param draftMax          speculative: most tokens drafted per step (gamma); CoS: the proposer's gamma; lookup: the
 *                          draft length with {@code fallbackToAr} off, else up to 3x this after long context matches
 *                          (the verified length is chosen by the cost model)
 * @param adaptiveGamma     speculative: choose gamma each step from the measured acceptance rate and draft cost
 * @param window            lookahead: window size W (future columns)
 * @param ngram             lookahead: n-gram size N (>= 3; the window keeps N-1 levels)
 * @param candidates        lookahead: most pool n-grams verified per step (G)
 * @param fallbackToAr      lookahead / Jacobi / lookup: run plain AR steps (or, for lookup, shorter drafts) while the
 *                          online cost model (measured tokens per step vs measured batch cost, see README) says the
 *                          larger batch cannot pay, re-probing now and then; false = always draft at full size
 * @param cosWeights        CoS / collaborative weighted ensemble: weight of each model, target first then drafts
 *                          (empty = equal weights); normalised to sum 1
 * @param cosTemperatures   CoS / collaborative: temperature of each model, target first (empty = the sampler's)
 * @param contrastiveAlpha  CoS / collaborative: 0 = weighted ensemble of probabilities; > 0 = contrastive decoding
 *                          r = softmax(T(l_target - alpha * l_draft)) (two models only)
 * @param alternate         CoS: alternate-proposal framework (the verifier's bonus token becomes the next proposal);
 *                          false = naive CoS with a fixed proposer
 * @param corpus            ADED / lookup: optional text file (or folder of files) whose tri-grams seed the table
 * @param lookupCache       lookup: optional persistent n-gram cache file, loaded when present and updated after each generation
 * @param lookupMaxNgram    lookup: longest suffix match scored in the context (every length from it down to 1 at once;
 *                          the longest match wins); 1 = single-token matches only
 * @param jacobiBlock       Jacobi: block size n (tokens guessed per forward)
 * @param adedMaxNodes      ADED: most draft-tree nodes per step
 * @param adedIterations    ADED: search iterations per step
 * @param adedDepth         ADED: longest drafted path
 * @param contextLength     context length of the sessions (0 = the model's own)
 * @param stopAtEndOfGeneration stop when the model emits an end-of-generation token
 * @param autoArms          AUTO: the strategies it chooses from (empty = every applicable one)
 * @param seed              seed of the strategies' own randomness (Jacobi guesses, ADED rollouts); not the sampler's
 */
public record DecodingOptions(
        int draftMax,
        boolean adaptiveGamma,
        int window,
        int ngram,
        int candidates,
        boolean fallbackToAr,
        List<Double> cosWeights,
        List<Double> cosTemperatures,
        double contrastiveAlpha,
        boolean alternate,
        Path corpus,
        Path lookupCache,
        int lookupMaxNgram,
        int jacobiBlock,
        int adedMaxNodes,
        int adedIterations,
        int adedDepth,
        int contextLength,
        boolean stopAtEndOfGeneration,
        List<StrategyKind> autoArms,
        long seed) {

    public DecodingOptions {
        cosWeights = cosWeights == null ? List.of() : List.copyOf(cosWeights);
        cosTemperatures = cosTemperatures == null ? List.of() : List.copyOf(cosTemperatures);
        autoArms = autoArms == null ? List.of() : List.copyOf(autoArms);
        requireRange("draftMax", draftMax, 1, 64);
        requireRange("window", window, 1, 64);
        requireRange("ngram", ngram, 3, 16);
        requireRange("candidates", candidates, 0, 64);
        requireRange("lookupMaxNgram", lookupMaxNgram, 1, 64);
        requireRange("jacobiBlock", jacobiBlock, 1, 64);
        requireRange("adedMaxNodes", adedMaxNodes, 1, 256);
        requireRange("adedIterations", adedIterations, 1, 100_000);
        requireRange("adedDepth", adedDepth, 1, 16);
        if (contextLength < 0) throw new IllegalArgumentException("contextLength must be >= 0 (0 = the model's), got " + contextLength);
        if (!(contrastiveAlpha >= 0) || Double.isInfinite(contrastiveAlpha))
            throw new IllegalArgumentException("contrastiveAlpha must be a finite value >= 0, got " + contrastiveAlpha);
        for (double w : cosWeights)
            if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("cos weights must be finite and >= 0, got " + cosWeights);
        if (!cosWeights.isEmpty() && cosWeights.stream().mapToDouble(Double::doubleValue).sum() <= 0)
            throw new IllegalArgumentException("cos weights must not all be 0: " + cosWeights);
        for (double t : cosTemperatures)
            if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException("cos temperatures must be finite and >= 0, got " + cosTemperatures);
        for (StrategyKind k : autoArms)
            if (k == StrategyKind.AUTO) throw new IllegalArgumentException("AUTO cannot be one of its own arms");
    }

    private static void requireRange(String name, int v, int lo, int hi) {
        if (v < lo || v > hi) throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
    }

    /** CPU-sized defaults. */
    public static DecodingOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this record's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.draftMax = draftMax; b.adaptiveGamma = adaptiveGamma; b.window = window; b.ngram = ngram;
        b.candidates = candidates; b.fallbackToAr = fallbackToAr; b.cosWeights = cosWeights; b.cosTemperatures = cosTemperatures;
        b.contrastiveAlpha = contrastiveAlpha; b.alternate = alternate; b.corpus = corpus; b.lookupCache = lookupCache;
        b.lookupMaxNgram = lookupMaxNgram; b.jacobiBlock = jacobiBlock; b.adedMaxNodes = adedMaxNodes;
        b.adedIterations = adedIterations; b.adedDepth = adedDepth; b.contextLength = contextLength;
        b.stopAtEndOfGeneration = stopAtEndOfGeneration; b.autoArms = autoArms; b.seed = seed;
        return b;
    }

    /** Mutable builder; every setter returns this. */
    public static final class Builder {
        private int draftMax = 5;
        private boolean adaptiveGamma = false;
        private int window = 4;
        private int ngram = 4;
        private int candidates = 4;
        private boolean fallbackToAr = true;
        private List<Double> cosWeights = List.of();
        private List<Double> cosTemperatures = List.of();
        private double contrastiveAlpha = 0;
        private boolean alternate = true;
        private Path corpus;
        private Path lookupCache;
        private int lookupMaxNgram = 16;
        private int jacobiBlock = 8;
        private int adedMaxNodes = 16;
        private int adedIterations = 48;
        private int adedDepth = 4;
        private int contextLength = 0;
        private boolean stopAtEndOfGeneration = true;
        private List<StrategyKind> autoArms = List.of();
        private long seed = 0x5eed;

        private Builder() {}

        public Builder draftMax(int v) { draftMax = v; return this; }
        /** Alias of {@link #draftMax(int)}. */
        public Builder gamma(int v) { draftMax = v; return this; }
        public Builder adaptiveGamma(boolean v) { adaptiveGamma = v; return this; }
        public Builder window(int v) { window = v; return this; }
        public Builder ngram(int v) { ngram = v; return this; }
        public Builder candidates(int v) { candidates = v; return this; }
        public Builder fallbackToAr(boolean v) { fallbackToAr = v; return this; }
        public Builder cosWeights(List<Double> v) { cosWeights = v; return this; }
        public Builder cosTemperatures(List<Double> v) { cosTemperatures = v; return this; }
        public Builder contrastiveAlpha(double v) { contrastiveAlpha = v; return this; }
        public Builder alternate(boolean v) { alternate = v; return this; }
        public Builder corpus(Path v) { corpus = v; return this; }
        public Builder lookupCache(Path v) { lookupCache = v; return this; }
        public Builder lookupMaxNgram(int v) { lookupMaxNgram = v; return this; }
        public Builder jacobiBlock(int v) { jacobiBlock = v; return this; }
        public Builder adedMaxNodes(int v) { adedMaxNodes = v; return this; }
        public Builder adedIterations(int v) { adedIterations = v; return this; }
        public Builder adedDepth(int v) { adedDepth = v; return this; }
        public Builder contextLength(int v) { contextLength = v; return this; }
        public Builder stopAtEndOfGeneration(boolean v) { stopAtEndOfGeneration = v; return this; }
        public Builder autoArms(List<StrategyKind> v) { autoArms = v; return this; }
        public Builder seed(long v) { seed = v; return this; }

        public DecodingOptions build() {
            return new DecodingOptions(draftMax, adaptiveGamma, window, ngram, candidates, fallbackToAr, cosWeights, cosTemperatures,
                    contrastiveAlpha, alternate, corpus, lookupCache, lookupMaxNgram, jacobiBlock, adedMaxNodes,
                    adedIterations, adedDepth, contextLength, stopAtEndOfGeneration, autoArms, seed);
        }
    }
}
