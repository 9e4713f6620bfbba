package dev.specula.decoding;

/**
 * Cost-model fallback for drafters whose drafts only improve while they run (lookahead): drafts while
 * the measured tokens per drafting step exceed the measured cost ratio c(rows) = T(rows) / T(1) of its forward
 * ({@link ForwardCost}) — a plain AR step commits exactly 1 token for cost 1, so drafting pays iff
 * E[tokens | draft step] > c(rows) (with the margin {@link DraftLengthModel#MIN_GAIN}). Otherwise plain AR steps run, and a drafting step is probed after a gap that
 * doubles after every probe that does not pay ({@value #MIN_GAP}..{@value #MAX_GAP} steps), so a drafter that
 * never pays costs at most about (c - E) / gap of an AR step per token.
 */
final class DraftGate {
    static final int MIN_GAP = 32;
    static final int MAX_GAP = 1024;
    private static final int WARMUP = 1;
    private static final double DECAY = 0.75;
    private double tokensPerStep;
    private int samples;
    private int gap = MIN_GAP;
    private int sinceDraft;
    private long probes;
    private boolean probing;

    /** Whether the next step should draft with a forward of {@code rows} rows. */
    boolean shouldDraft(ForwardCost cost, int rows) {
        if (samples < WARMUP || pays(cost, rows)) return true;
        if (++sinceDraft >= gap) {
            probes++;
            probing = true;
            return true;
        }
        return false;
    }

    boolean pays(ForwardCost cost, int rows) {
        return tokensPerStep > DraftLengthModel.MIN_GAIN * cost.ratio(rows);
    }

    /** Records a drafting step of {@code rows} rows that committed {@code tokens} tokens. */
    void recordDraft(ForwardCost cost, int rows, int tokens) {
        tokensPerStep = samples == 0 ? tokens : DECAY * tokensPerStep + (1 - DECAY) * tokens;
        samples++;
        sinceDraft = 0;
        if (pays(cost, rows)) gap = MIN_GAP;
        else if (probing) gap = Math.min(MAX_GAP, gap * 2);
        probing = false;
    }

    double tokensPerStep() {
        return tokensPerStep;
    }

    long probes() {
        return probes;
    }
}
