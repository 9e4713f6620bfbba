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
 * @param profile           where the decode time went: rows per target forward (histogram), time in target and draft
 *                          forwards, and the rest; never null
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
        String detail,
        DecodeProfile profile) {

    public DecodeStats {
        if (detail == null) detail = "";
        if (profile == null) profile = DecodeProfile.EMPTY;
    }

    /** Stats without a profile (e.g. assembled by hand in tests); {@link #profile()} is {@link DecodeProfile#EMPTY}. */
    public DecodeStats(StrategyKind strategy, int promptTokens, int generatedTokens, int steps, long targetForwards, long draftForwards,
                       long proposedDrafts, long acceptedDrafts, double acceptedPerForward, double acceptanceRate, double prefillMs,
                       double decodeMs, double decodeTokensPerSecond, String detail) {
        this(strategy, promptTokens, generatedTokens, steps, targetForwards, draftForwards, proposedDrafts, acceptedDrafts,
                acceptedPerForward, acceptanceRate, prefillMs, decodeMs, decodeTokensPerSecond, detail, DecodeProfile.EMPTY);
    }

    /** Rows (query positions) of all target forwards together. */
    public long verifiedRows() {
        return profile.verifiedRows();
    }

    /** Mean rows per target forward (NaN when none ran). */
    public double rowsPerForward() {
        return profile.rowsPerForward();
    }

    /** One human-readable line. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "%s: %d tokens, %.2f tok/s, %d target forwards (%.2f tok/forward, %.2f rows/forward), %d draft forwards, acceptance %.1f%% (%d/%d), prefill %.1f ms, decode %.1f ms (target forwards %.1f, draft forwards %.1f, other %.1f)%s",
                strategy, generatedTokens, decodeTokensPerSecond, targetForwards, acceptedPerForward, profile.rowsPerForward(),
                draftForwards, 100 * acceptanceRate, acceptedDrafts, proposedDrafts, prefillMs, decodeMs, profile.targetForwardMs(),
                profile.draftForwardMs(), profile.otherMs(),
                detail.isEmpty() ? "" : " [" + detail + "]");
    }
}
