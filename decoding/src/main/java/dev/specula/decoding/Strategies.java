package dev.specula.decoding;

import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;

/** Creates the strategy plug-in for a {@link StrategyKind}, checking its requirements with clear messages. */
final class Strategies {
    private Strategies() {}

    static Strategy create(StrategyKind kind, DecodingModel target, List<DecodingModel> drafts, SamplerConfig sampler,
                           DecodingOptions options, TreeVerifier verifier) {
        switch (kind) {
            case AR -> { return new ArStrategy(verifier); }
            case SPECULATIVE -> {
                requireDrafts(kind, drafts, 1);
                VocabularyCheck.requireCompatible(target, drafts.get(0), "draft");
                return new SpeculativeStrategy(drafts.get(0), sampler, options, verifier);
            }
            case LOOKUP -> { return new LookupStrategy(target, options, verifier); }
            case COLLABORATIVE -> {
                requireDrafts(kind, drafts, 1);
                for (DecodingModel d : drafts) VocabularyCheck.requireCompatible(target, d, "collaborating");
                return new CollaborativeStrategy(target, drafts, sampler, options);
            }
            case COS -> {
                requireDrafts(kind, drafts, 1);
                for (DecodingModel d : drafts) VocabularyCheck.requireCompatible(target, d, "collaborating");
                return new CosStrategy(target, drafts, sampler, options);
            }
            case JACOBI -> { return new JacobiStrategy(sampler.isGreedy(), options, verifier); }
            case LOOKAHEAD -> { return new LookaheadStrategy(target, options, verifier); }
            case ADED -> { return new AdedStrategy(target, options, verifier); }
            case AUTO -> {
                List<StrategyKind> kinds = options.autoArms().isEmpty() ? defaultArms(drafts, sampler) : options.autoArms();
                java.util.ArrayList<Strategy> arms = new java.util.ArrayList<>();
                for (StrategyKind k : kinds) {
                    if (k == StrategyKind.COS || k == StrategyKind.COLLABORATIVE)
                        throw new IllegalArgumentException("AUTO cannot use " + k + ": it samples a different (combined) distribution than the target");
                    arms.add(create(k, target, drafts, sampler, options, verifier));
                }
                return new AutoStrategy(arms);
            }
            default -> throw new IllegalArgumentException("unknown strategy " + kind);
        }
    }

    /** AR, LOOKUP, ADED, LOOKAHEAD, plus SPECULATIVE when a draft model is given. */
    static List<StrategyKind> defaultArms(List<DecodingModel> drafts, SamplerConfig sampler) {
        java.util.ArrayList<StrategyKind> arms = new java.util.ArrayList<>(List.of(StrategyKind.AR, StrategyKind.LOOKUP, StrategyKind.ADED, StrategyKind.LOOKAHEAD));
        if (!drafts.isEmpty()) arms.add(StrategyKind.SPECULATIVE);
        return arms;
    }

    static void requireDrafts(StrategyKind kind, List<DecodingModel> drafts, int min) {
        if (drafts.size() < min)
            throw new IllegalArgumentException(kind + " needs at least " + min + " draft model" + (min == 1 ? "" : "s")
                    + " (got " + drafts.size() + "); pass them with drafts(...)");
    }
}
