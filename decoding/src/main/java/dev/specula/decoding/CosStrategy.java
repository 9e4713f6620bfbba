package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * CoS, collaborative decoding via speculation (Fu et al. 2025; doc §2). The output follows the combined
 * distribution r of {@link Ensemble} exactly, like {@link CollaborativeStrategy}, but with fewer model calls.
 *
 * <p>Naive CoS (any number of models): the proposer (the first draft) drafts gamma tokens d_i ~ q_i, every other
 * model scores [x_last, d_1..d_{gamma-1}] in one forward, and each d_i is accepted with min(1, r_i(d_i)/q_i(d_i))
 * (greedy: d_i == argmax r_i); the first rejection draws from norm(max(0, r_i - q_i)). No bonus token: r one past
 * the end needs the proposer too.
 *
 * <p>Alternate proposal (two models, {@code alternate = true}, doc §2.3 with gamma_p = 1): when all drafts are
 * accepted, the target also scores d_gamma and draws a bonus token b from its own distribution p. b is not
 * emitted yet; it is a proposal of the target, verified at the next step against r with q = p, using the
 * proposer's forward over d_gamma that the next draft needs anyway. That verification costs no target forward.
 */
final class CosStrategy implements Strategy {
    private static final int PROPOSER = 1;

    private final Ensemble ensemble;
    private final DraftModelRunner[] runners;
    private final boolean alternate;
    private final int draftMax;
    private final Sampler draftRng;
    private final float[][] proposerLogits;
    private final float[][] q;
    private final float[][] rows;
    private final int[] offsets;
    private final float[] r;
    private final float[] pendingLogits;
    private final float[] pendingProb;
    private final ScratchInts batchTokens = new ScratchInts();
    private final ScratchInts batchPositions = new ScratchInts();
    private final ScratchInts batchRows = new ScratchInts();
    private boolean hasPending;
    private int pendingToken;
    private long bonusProposed;
    private long bonusAccepted;

    CosStrategy(DecodingModel target, List<DecodingModel> extras, SamplerConfig config, DecodingOptions options) {
        List<DecodingModel> all = new ArrayList<>();
        all.add(target);
        all.addAll(extras);
        this.ensemble = new Ensemble(all, config, options);
        this.runners = new DraftModelRunner[all.size()];
        for (int i = 1; i < all.size(); i++) runners[i] = new DraftModelRunner(all.get(i));
        this.alternate = options.alternate() && all.size() == 2;
        this.draftMax = options.draftMax();
        this.draftRng = new Sampler(config.withSeed(config.seed() ^ 0x2545F4914F6CDD1DL), ensemble.vocab);
        int v = ensemble.vocab;
        this.proposerLogits = new float[draftMax][v];
        this.q = new float[draftMax][v];
        this.rows = new float[all.size()][];
        this.offsets = new int[all.size()];
        this.r = new float[v];
        this.pendingLogits = new float[v];
        this.pendingProb = new float[v];
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.COS;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        hasPending = false;
        for (int i = 1; i < runners.length; i++) runners[i].begin(st, reusableRows);
    }

    @Override
    public void step(DecodeState st) {
        if (hasPending) {
            verifyPendingBonus(st);
            return;
        }
        int v = ensemble.vocab;
        int c = st.count;
        int base = st.base();
        int room = st.target.capacity() - base;
        int gamma = Math.max(1, Math.min(draftMax, Math.min(st.remaining(), room)));
        boolean bonus = alternate && gamma < st.remaining() && gamma + 1 <= room;
        // draft with the proposer
        float[] logits = runners[PROPOSER].catchUp(st, c, true);
        for (int i = 0; i < gamma; i++) {
            System.arraycopy(logits, 0, proposerLogits[i], 0, v);
            int d;
            if (st.greedy) { // q is needed only by the sampling acceptance rule
                d = ensemble.mostLikely(PROPOSER, logits, 0, st.tokens, c + i);
            } else {
                ensemble.component(PROPOSER, logits, 0, st.tokens, c + i, q[i]);
                d = draftRng.sampleFrom(q[i]);
            }
            st.tokens[c + i] = d;
            if (i < gamma - 1) logits = runners[PROPOSER].feed(st, d);
        }
        // every other model scores x_last and the drafts in one forward
        int verifyRows = bonus ? gamma + 1 : gamma;
        int[] batch = batchTokens.get(verifyRows);
        int[] positions = batchPositions.get(verifyRows);
        System.arraycopy(st.tokens, c - 1, batch, 0, verifyRows);
        for (int i = 0; i < verifyRows; i++) positions[i] = base + i;
        float[] targetLogits = st.forward(batch, positions, AttentionMask.causal(verifyRows), batchRows.iota(verifyRows));
        for (int m = 2; m < runners.length; m++) rows[m] = runners[m].catchUpRows(st, c - 1 + verifyRows, verifyRows);
        rows[0] = targetLogits;
        int accepted = 0;
        int correction = -1;
        for (int i = 0; i < gamma; i++) {
            offsets[0] = i * v;
            rows[PROPOSER] = proposerLogits[i];
            offsets[PROPOSER] = 0;
            for (int m = 2; m < runners.length; m++) offsets[m] = i * v;
            ensemble.combine(rows, offsets, st.tokens, c + i, r);
            int d = st.tokens[c + i];
            if (st.greedy) {
                int t = Sampler.argmax(r, 0, v);
                if (t != d) correction = t;
            } else {
                correction = RejectionRule.verify(r, v, q[i], v, d, st.sampler, st.residual);
            }
            if (correction >= 0) break;
            accepted++;
        }
        st.proposed += gamma;
        st.accepted += accepted;
        if (correction >= 0) {
            rollbackAll(st, c + accepted);
            TreeVerifier.commitPath(st, accepted, correction);
        } else if (bonus) {
            // the target's own draw one past the end becomes the next proposal (not emitted yet)
            System.arraycopy(targetLogits, gamma * v, pendingLogits, 0, v);
            if (st.greedy) {
                pendingToken = ensemble.mostLikely(0, pendingLogits, 0, st.tokens, c + gamma);
            } else {
                ensemble.component(0, pendingLogits, 0, st.tokens, c + gamma, pendingProb);
                pendingToken = st.sampler.sampleFrom(pendingProb);
            }
            // keep the target row of d_gamma: the pending token's verification will not need a target forward
            rollbackOthers(st, c + gamma - 1);
            TreeVerifier.commitWritten(st, gamma);
            hasPending = !st.done();
        } else {
            rollbackAll(st, c + gamma - 1);
            TreeVerifier.commitWritten(st, gamma);
        }
    }

    /** Verifies the target's pending bonus token against r, using only the proposer's forward over x_last. */
    private void verifyPendingBonus(DecodeState st) {
        hasPending = false;
        int v = ensemble.vocab;
        int c = st.count;
        rows[0] = pendingLogits;
        offsets[0] = 0;
        rows[PROPOSER] = runners[PROPOSER].catchUp(st, c, true);
        offsets[PROPOSER] = 0;
        ensemble.combine(rows, offsets, st.tokens, c, r);
        int t;
        if (st.greedy) {
            t = Sampler.argmax(r, 0, v);
        } else {
            ensemble.component(0, pendingLogits, 0, st.tokens, c, pendingProb);
            int correction = RejectionRule.verify(r, v, pendingProb, v, pendingToken, st.sampler, st.residual);
            t = correction < 0 ? pendingToken : correction;
        }
        bonusProposed++;
        st.proposed++;
        if (t == pendingToken) {
            bonusAccepted++;
            st.accepted++;
        }
        // the target already holds the row of x_last (kept when the bonus was drawn): the invariant is restored
        st.commit(t);
    }

    private void rollbackAll(DecodeState st, int rows) {
        st.target.truncate(rows);
        rollbackOthers(st, rows);
    }

    private void rollbackOthers(DecodeState st, int rows) {
        for (int m = 1; m < runners.length; m++) runners[m].rollback(rows);
    }

    @Override
    public String detail() {
        return alternate ? "alternate proposals: " + bonusAccepted + "/" + bonusProposed + " target bonus tokens accepted" : "naive CoS";
    }
}
