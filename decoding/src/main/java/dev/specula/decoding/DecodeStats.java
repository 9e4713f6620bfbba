package dev.specula.decoding;

/**
 * Counters and timings of one generation.
 *
 * @param strategy          the strategy that was requested
 * @param promptTokens      number of prompt tokens
 * @param generatedTokens   tokens committed after the prompt (including a terminating end-of-generation token)
 * @param steps             decoding steps (one verification each)
 * @param targetForwards    target-model forward calls during decoding (prefill excluded)
 * @param draftForwards     forward calls of draft/extra models during decoding
 * @param proposedDrafts    draft tokens offered for verification
 * @param acceptedDrafts    draft tokens accepted by verification
 * @param acceptedPerForward generated tokens per target forward during decoding
 * @param acceptanceRate    acceptedDrafts / proposedDrafts (0 when nothing was proposed)
 * @param prefillMs         wall time of the prompt prefill
 * @param decodeMs          wall time of the decoding loop
 * @param decodeTokensPerSecond generatedTokens / decode seconds
 * @param detail            strategy-specific notes (e.g. AUTO's arm choices, lookahead fallbacks); never null
 */
public record DecodeStats(
        StrategyKind strategy,
        int promptTokens,
        int generatedTokens,
        int steps,
        long targetForwards,
        long draftForwards,
        long proposedDrafts,
        long acceptedDrafts,
        double acceptedPerForward,
        double acceptanceRate,
        double prefillMs,
        double decodeMs,
        double decodeTokensPerSecond,
        String detail) {

    /** One human-readable line. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "%s: %d tokens, %.2f tok/s, %d target forwards (%.2f tok/forward), %d draft forwards, acceptance %.1f%% (%d/%d), prefill %.1f ms, decode %.1f ms%s",
                strategy, generatedTokens, decodeTokensPerSecond, targetForwards, acceptedPerForward, draftForwards,
                100 * acceptanceRate, acceptedDrafts, proposedDrafts, prefillMs, decodeMs,
                detail.isEmpty() ? "" : " [" + detail + "]");
    }
}
