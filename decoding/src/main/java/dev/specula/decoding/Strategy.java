package dev.specula.decoding;

/**
 * One decoding method as a plug-in. A step starts with the target cache holding {@code count - 1} rows
 * (x_last has no KV), commits at least one token, and restores that invariant. Steps of different
 * strategies may be interleaved on one state (AUTO does), so per-strategy state must tolerate it.
 */
interface Strategy {
    StrategyKind kind();

    /**
     * Called once per generation after the target prefill. {@code reusableRows}: rows of this strategy's own
     * caches (draft models) that still match the new token sequence from the previous generation.
     */
    default void begin(DecodeState st, int reusableRows) {}

    /** Commits at least one token (unless generation already stopped). */
    void step(DecodeState st);

    /** Called once when the generation ends. */
    default void end(DecodeState st) {}

    /** Strategy-specific notes for the stats. */
    default String detail() {
        return "";
    }
}
