package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;

/**
 * Keeps a second model's sequence in step with the committed tokens. Its cache holds a prefix of
 * {@code tokens[0..)}; {@link #catchUp} feeds whatever it has not processed yet (1 or 2 tokens after a step,
 * more after other strategies ran) in one causal forward, and {@link #rollback} drops rows that were
 * drafted but not committed (doc §7, "Draft model").
 */
final class DraftModelRunner {
    final DecodingModel model;
    final int vocab;
    private DecodingSequence seq;
    private final ScratchInts chainTokens = new ScratchInts();
    private final ScratchInts chainPositions = new ScratchInts();
    private final ScratchInts lastRowsScratch = new ScratchInts();
    private final int[] noRows = new int[0];
    private final int[] one = new int[1];
    private final int[] onePos = new int[1];
    private final int[] zero = {0};
    long forwards;
    long nanos;
    /** Exponential averages of a single-row forward and of each further row of a multi-row forward (0: not seen). */
    private double rowNanos;
    private double extraRowNanos;
    private boolean extraSeen;
    private static final double DECAY = 0.8;

    DraftModelRunner(DecodingModel model) {
        this.model = model;
        this.vocab = model.vocabSize();
    }

    DecodingSequence sequence() {
        return seq;
    }

    /** Creates (or reuses) the sequence, keeps its still-valid rows and prefills up to the committed prefix. */
    void begin(DecodeState st, int reusableRows) {
        if (seq == null || seq.capacity() < st.target.capacity()) seq = model.newSequence(st.target.capacity());
        rollback(reusableRows);
        if (seq.length() < st.count - 1) catchUp(st, st.count - 1, false);
    }

    int length() {
        return seq.length();
    }

    /**
     * Feeds {@code tokens[length() .. upto)} in one causal forward; returns the logits of the last fed row
     * (offset 0) when {@code wantLogits}, else null. Requires {@code length() < upto}.
     */
    float[] catchUp(DecodeState st, int upto, boolean wantLogits) {
        return catchUpRows(st, upto, wantLogits ? 1 : 0);
    }

    /**
     * Feeds {@code tokens[length() .. upto)} in one causal forward and returns the logits of its last
     * {@code lastRows} rows, row-major (null when 0). Requires {@code upto - length() >= max(1, lastRows)}.
     */
    float[] catchUpRows(DecodeState st, int upto, int lastRows) {
        int from = seq.length();
        int n = upto - from;
        if (n <= 0 || n < lastRows) throw new IllegalStateException("model '" + model.name() + "' has " + from
                + " rows; cannot feed up to " + upto + " and return " + lastRows + " rows");
        int[] batch = chainTokens.get(n);
        int[] positions = chainPositions.get(n);
        System.arraycopy(st.tokens, from, batch, 0, n);
        for (int i = 0; i < n; i++) positions[i] = from + i;
        int[] rows = lastRows == 0 ? noRows : lastRowsScratch.get(lastRows);
        for (int i = 0; i < lastRows; i++) rows[i] = n - lastRows + i;
        long t0 = System.nanoTime();
        float[] logits = seq.forward(batch, positions, AttentionMask.causal(n), rows);
        long elapsed = System.nanoTime() - t0;
        nanos += elapsed;
        forwards++;
        st.draftForwards++;
        st.profile.draftForward(n, elapsed);
        timed(n, elapsed);
        return lastRows == 0 ? null : logits;
    }

    /** Feeds one token at the next position; returns its logits (offset 0). */
    float[] feed(DecodeState st, int token) {
        one[0] = token;
        onePos[0] = seq.length();
        long t0 = System.nanoTime();
        float[] logits = seq.forward(one, onePos, AttentionMask.causal(1), zero);
        long elapsed = System.nanoTime() - t0;
        nanos += elapsed;
        forwards++;
        st.draftForwards++;
        st.profile.draftForward(1, elapsed);
        timed(1, elapsed);
        return logits;
    }

    private void timed(int rows, long elapsed) {
        if (rows == 1) {
            rowNanos = rowNanos == 0 ? elapsed : DECAY * rowNanos + (1 - DECAY) * elapsed;
        } else if (rowNanos > 0) {
            double extra = Math.max(0, (elapsed - rowNanos) / (rows - 1));
            extraRowNanos = extraSeen ? DECAY * extraRowNanos + (1 - DECAY) * extra : extra;
            extraSeen = true;
        }
    }

    /**
     * Estimated nanoseconds of a forward of {@code rows} rows: measured single-row time plus the measured time per
     * further row (half a single row until a multi-row forward was seen); 0 before any forward was timed.
     */
    double estimatedNanos(int rows) {
        if (rows <= 0) return 0;
        return rowNanos + (rows - 1) * (extraSeen ? extraRowNanos : rowNanos / 2);
    }

    /** Drops rows beyond {@code validRows}. */
    void rollback(int validRows) {
        if (seq.length() > validRows) seq.truncate(Math.max(0, validRows));
    }

    /** Mean nanoseconds per forward so far (0 when none). */
    double meanForwardNanos() {
        return forwards == 0 ? 0 : (double) nanos / forwards;
    }
}
