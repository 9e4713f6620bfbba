package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;

/**
 * Speculative decoding with a draft model (doc §1). The draft proposes gamma tokens autoregressively; the
 * target scores [x_last, d_1..d_gamma] in one causal forward. Greedy: the chain is walked by argmax match.
 * Sampling: each d_i ~ q_i (the draft's processed distribution, recorded in full) is accepted with
 * min(1, p_i/q_i), the first rejection draws from norm(max(0, p - q)), and when all are accepted a bonus token
 * is drawn from p_{gamma+1}. The draft cache is rolled back to the committed prefix after every step.
 */
final class SpeculativeStrategy implements Strategy {
    private final DraftModelRunner draft;
    private final Sampler draftSampler;
    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final float[][] q;
    private final GammaController controller;
    private final int draftMax;
    private final ScratchInts batchTokens = new ScratchInts();
    private final ScratchInts batchPositions = new ScratchInts();
    private final ScratchInts batchRows = new ScratchInts();
    private static final double PRIOR_ALPHA = 0.7;
    private static final double PRIOR_TRIALS = 2;
    private static final double DECAY = 0.9;
    /** Draft forward cost relative to a target single-row forward before both were measured (7m vs 88m: ~0.07). */
    private static final double PRIOR_DRAFT_COST = 0.1;
    /** Decayed counts of accepted draft tokens and of trials (accepted + the first rejection). */
    private double successes;
    private double trials;
    private int plannedGamma;

    SpeculativeStrategy(DecodingModel draftModel, SamplerConfig samplerConfig, DecodingOptions options, TreeVerifier verifier) {
        this.draft = new DraftModelRunner(draftModel);
        // the draft's own RNG stream, decorrelated from the target's
        this.draftSampler = new Sampler(samplerConfig.withSeed(samplerConfig.seed() ^ 0x9E3779B97F4A7C15L), draftModel.vocabSize());
        this.verifier = verifier;
        this.draftMax = options.draftMax();
        this.tree = new DraftTree(draftMax + 2);
        this.q = new float[draftMax][draftModel.vocabSize()];
        this.controller = options.adaptiveGamma() ? new GammaController(draftMax) : null;
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.SPECULATIVE;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        draft.begin(st, reusableRows);
    }

    @Override
    public void step(DecodeState st) {
        stepWith(st, controller != null ? controller.gamma() : draftMax);
    }

    /** Per-token acceptance rate of the draft's tokens (decayed average, prior {@value #PRIOR_ALPHA}). */
    double alpha() {
        return (successes + PRIOR_ALPHA * PRIOR_TRIALS) / (trials + PRIOR_TRIALS);
    }

    /**
     * Plans a step for AUTO: the draft length gamma in [1, draftMax] with the best expected tokens per unit of cost,
     * E(gamma) / (c(gamma + 1) + draft time / T(1)), where E follows the measured per-token acceptance, c is the
     * target's measured cost curve and the draft time covers catching the draft up with the committed tokens (rows
     * other drafters committed since its last step) plus gamma - 1 single-token feeds, from the draft's measured
     * forward times. Returns that value (1 when no draft fits: an AR step); {@link #stepPlanned} runs it.
     *
     * @param t1Nanos the target's current single-row forward time (<= 0: unknown, a prior draft/target ratio is used)
     */
    double plan(DecodeState st, double t1Nanos) {
        int max = Math.min(draftMax, st.draftBudget());
        plannedGamma = 0;
        if (max <= 0) return 1;
        int catchUpRows = Math.max(1, st.count - draft.length());
        double feed = draft.estimatedNanos(1), catchUp = draft.estimatedNanos(catchUpRows);
        double feedCost, catchUpCost; // in units of one single-row target forward
        if (feed > 0 && t1Nanos > 0) {
            feedCost = feed / t1Nanos;
            catchUpCost = catchUp / t1Nanos;
        } else {
            feedCost = PRIOR_DRAFT_COST;
            catchUpCost = PRIOR_DRAFT_COST * (1 + (catchUpRows - 1) / 2.0);
        }
        double a = alpha(), best = -1;
        for (int g = 1; g <= max; g++) {
            double value = LookupStrategy.expectedTokens(a, g) / (st.cost.ratio(g + 1) + catchUpCost + (g - 1) * feedCost);
            if (value > best) {
                best = value;
                plannedGamma = g;
            }
        }
        return best;
    }

    /** Runs the step {@link #plan} chose. */
    void stepPlanned(DecodeState st) {
        stepWith(st, plannedGamma);
    }

    /** One step drafting up to {@code maxGamma} tokens (fewer when the budget is smaller; 0 = an AR step). */
    void stepWith(DecodeState st, int maxGamma) {
        int gamma = Math.min(maxGamma, st.draftBudget());
        if (gamma <= 0) {
            tree.reset(st.last());
            verifier.verify(st, tree);
            draft.rollback(st.count - 1);
            return;
        }
        long t0 = System.nanoTime();
        long draftNanos0 = draft.nanos;
        int c = st.count;
        // draft: the draft has processed a prefix of the committed tokens; feed the rest (through x_last)
        float[] logits = draft.catchUp(st, c, true);
        for (int i = 0; i < gamma; i++) {
            int d;
            if (st.greedy) {
                d = draftSampler.sample(logits, 0, st.tokens, c + i);
            } else {
                draftSampler.distribution(logits, 0, st.tokens, c + i, q[i]);
                d = draftSampler.sampleFrom(q[i]);
            }
            if (d >= st.vocab) { // a draft-only id (vocab sizes may differ by up to 128): the target cannot score it
                gamma = i;
                break;
            }
            st.tokens[c + i] = d;
            if (i < gamma - 1) logits = draft.feed(st, d);
        }
        if (gamma == 0) {
            tree.reset(st.last());
            verifier.verify(st, tree);
            draft.rollback(st.count - 1);
            return;
        }
        long acceptedBefore = st.accepted;
        if (st.greedy) {
            tree.reset(st.last());
            int node = 0;
            for (int i = 0; i < gamma; i++) node = tree.addChild(node, st.tokens[c + i]);
            verifier.verify(st, tree);
        } else {
            verifySampled(st, gamma);
        }
        // the draft rows beyond the committed prefix (x_last + accepted drafts) are stale
        draft.rollback(st.count - 1);
        int acceptedNow = (int) (st.accepted - acceptedBefore);
        successes = DECAY * successes + acceptedNow;
        trials = DECAY * trials + acceptedNow + (acceptedNow < gamma ? 1 : 0);
        if (controller != null) {
            long draftNanos = draft.nanos - draftNanos0;
            double targetNanos = System.nanoTime() - t0 - draftNanos;
            controller.observe((int) (st.accepted - acceptedBefore), gamma, draft.meanForwardNanos(), targetNanos);
        }
    }

    /** Leviathan verification of the chain at tokens[count..count+gamma) with recorded q rows. */
    private void verifySampled(DecodeState st, int gamma) {
        int c = st.count;
        int base = st.base();
        int n = gamma + 1;
        int[] batch = batchTokens.get(n);
        int[] positions = batchPositions.get(n);
        batch[0] = st.last();
        System.arraycopy(st.tokens, c, batch, 1, gamma);
        for (int i = 0; i < n; i++) positions[i] = base + i;
        float[] logits = st.forward(batch, positions, AttentionMask.causal(n), batchRows.iota(n));
        int vocab = st.vocab;
        int acceptedCount = 0;
        int correction = -1;
        for (int i = 0; i < gamma; i++) {
            st.distribution(logits, i * vocab, c + i, st.probs);
            correction = RejectionRule.verify(st.probs, vocab, q[i], draft.vocab, st.tokens[c + i], st.sampler, st.residual);
            if (correction >= 0) break;
            acceptedCount++;
        }
        if (correction < 0) {
            // every draft accepted: bonus token from the target's distribution one past the end
            st.distribution(logits, gamma * vocab, c + gamma, st.probs);
            correction = st.sampler.sampleFrom(st.probs);
        }
        st.target.truncate(base + 1 + acceptedCount);
        st.proposed += gamma;
        st.accepted += acceptedCount;
        TreeVerifier.commitPath(st, acceptedCount, correction);
    }

    @Override
    public String detail() {
        return controller == null ? "" : String.format(java.util.Locale.ROOT, "gamma~%d alpha~%.2f c~%.2f",
                controller.gamma(), controller.alpha(), controller.cost());
    }
}
