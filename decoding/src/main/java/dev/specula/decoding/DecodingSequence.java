package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;

/**
 * One sequence's KV cache on one model, with the operations every strategy reduces to
 * (same contract as the engine's {@code ModelSession}).
 */
public interface DecodingSequence {
    /** Committed cache rows. */
    int length();

    /** Most cache rows this sequence can hold. */
    int capacity();

    /**
     * Appends {@code tokens.length} rows at cache rows {@code length()..}; row i at RoPE position
     * {@code positions[i]} sees the committed rows plus the new rows j with {@code mask.allows(i, j)}.
     * Returns the logits of {@code logitRows}, row-major, in a buffer valid until the next call.
     */
    float[] forward(int[] tokens, int[] positions, AttentionMask mask, int[] logitRows);

    /** Drops every cache row at index {@code >= length}. */
    void truncate(int length);

    /** Keeps cache rows {@code base + keep[i]} (strictly increasing), moved to {@code base + i}. */
    void compact(int base, int[] keep);
}
