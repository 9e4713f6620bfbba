package dev.specula.decoding;

import java.util.Locale;

/** The decoding methods a {@link Generator} can run. Every one is lossless with respect to its reference decoder. */
public enum StrategyKind {
    /** Plain autoregressive decoding: one target forward per token (the reference). */
    AR,
    /** Speculative decoding with a smaller draft model (Leviathan et al.; Chen et al.). */
    SPECULATIVE,
    /** Collaborative decoding via speculation (Fu et al. 2025): output follows the combined distribution r. */
    COS,
    /** Jacobi fixed-point iteration (greedy only). */
    JACOBI,
    /** Lookahead decoding: Jacobi window + n-gram pool verified in the same forward. */
    LOOKAHEAD,
    /** ADED: adaptive tri-gram table + MCTS-style tree drafting, tree verification. */
    ADED,
    /** Prompt lookup / n-gram cache drafting. */
    LOOKUP,
    /** Per-step choice among the available drafters by expected tokens per unit of forward cost ({@code AutoPolicy}). */
    AUTO,
    /** Standard collaborative decoding baseline: every model runs each step, one token per step. */
    COLLABORATIVE;

    /** Parses a name case-insensitively, accepting '-' for '_' and a few aliases (spec, sd, cd, we, pld). */
    public static StrategyKind parse(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("strategy name is empty");
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (n) {
            case "SPEC", "SD", "SPECULATIVE_DECODING", "DRAFT" -> { return SPECULATIVE; }
            case "PLD", "PROMPT_LOOKUP", "NGRAM", "N_GRAM" -> { return LOOKUP; }
            case "CD", "WE", "ENSEMBLE", "STANDARD_COLLABORATIVE" -> { return COLLABORATIVE; }
            case "AUTOREGRESSIVE", "GREEDY", "NONE" -> { return AR; }
            default -> { }
        }
        for (StrategyKind k : values()) if (k.name().equals(n)) return k;
        StringBuilder known = new StringBuilder();
        for (StrategyKind k : values()) known.append(known.isEmpty() ? "" : ", ").append(k.name().toLowerCase(Locale.ROOT));
        throw new IllegalArgumentException("unknown decoding strategy '" + name + "' (known: " + known + ")");
    }

    /** True when this strategy needs at least one draft/extra model. */
    public boolean needsDrafts() {
        return this == SPECULATIVE || this == COS || this == COLLABORATIVE;
    }
}
