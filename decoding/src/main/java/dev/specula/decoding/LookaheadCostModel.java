package dev.specula.decoding;

import java.util.Locale;

/**
 * Chooses the branches of each lookahead step from measured costs and measured acceptance: a plain AR step (1 row),
 * the verification branch alone (x_last plus the first b pool n-grams keyed by it cut to their first d tokens,
 * merged into a trie of {@code rows(b, d)} rows), or the verification branch plus the lookahead window (more rows).
 *
 * <p><b>Verification branch.</b> A tree made of candidates 0..b-1 (priority order) cut to depth d accepts, for a given
 * committed text, the longest prefix any of them shares with it, at most d, so E(b, d) = 1 + A(b, d) tokens per
 * step, where A(b, d) is the mean accepted depth. A(b, d) is learned for every b and d at once from <em>every</em>
 * step, also AR steps and steps that verified fewer or shorter candidates, by comparing the candidates offered at a
 * position with the tokens later committed there ({@link PendingCandidates}); that is exactly what the tree walk
 * would have accepted (greedy: the same tokens; sampling: the committed token at each position is the target's
 * sample given the tokens before it, as in the walk). The step verifies the (b, d) maximising E(b, d) / c(rows(b, d)),
 * b = 0 being an AR step, which the others must beat by {@link DraftLengthModel#MIN_GAIN}. Prior: each further
 * token accepted with probability 0.6 (A = 0.6 + 0.36 + ..., worth one step). Since acceptance is observed for free, no
 * probing is needed; after {@value DraftLengthModel#EXPLORE_AFTER} declined trees in a row one is judged by the
 * prior cost curve, so a stale cost measurement gets re-measured.
 *
 * <p><b>Window.</b> The window adds nothing to this step's tokens (its rows are not walked); it pays only through the
 * n-grams it adds to the pool. Its value V is the number of extra tokens per window step that window-made n-grams
 * verify beyond what the text's own n-grams would (credited per observed step, both sums decayed per step), and the
 * window runs when V exceeds its marginal cost c(rows(b, d) + window) - c(rows(b, d)) by the same margin. Otherwise
 * it only runs as a probe ({@link DraftGate}), the first one after {@value DraftGate#MIN_GAP} steps (a window is
 * some W (N-1) rows, which a CPU pays for in full, so it is not run before it has shown that it helps).
 */
final class LookaheadCostModel {
    private static final double DECAY = 0.9;
    /** Prior per-token acceptance of a candidate (text n-grams on code measure 0.6-0.9), worth one observation. */
    private static final double PRIOR_ALPHA = 0.6;
    private static final double PRIOR_TRIALS = 1;
    /** Per-step decay of the window's credit and step count (~ a 30-step memory: credit arrives steps later). */
    private static final double WINDOW_DECAY = 0.97;
    private final int maxDepth;
    /** depthSum[b][d], trials[b][d]: decayed sums of min(accepted depth of the first b candidates, d). */
    private final double[][] depthSum;
    private final double[][] trials;
    private final DraftGate gate = new DraftGate();
    private double windowCredit;
    private double windowSteps;
    private int declined;
    private int chosenDepth;

    /**
     * @param maxCandidates most candidates a tree holds (G)
     * @param maxDepth      most tokens per candidate (N - 1)
     */
    LookaheadCostModel(int maxCandidates, int maxDepth) {
        this.maxDepth = maxDepth;
        depthSum = new double[maxCandidates + 1][maxDepth + 1];
        trials = new double[maxCandidates + 1][maxDepth + 1];
    }

    /** Expected committed tokens of a step verifying the first {@code b} candidates cut to {@code d} tokens. */
    double expectedTokens(int b, int d) {
        if (b <= 0 || d <= 0) return 1;
        double prior = PRIOR_ALPHA * (1 - Math.pow(PRIOR_ALPHA, d)) / (1 - PRIOR_ALPHA); // alpha + alpha^2 + ... (d terms)
        return 1 + (depthSum[b][d] + prior * PRIOR_TRIALS) / (trials[b][d] + PRIOR_TRIALS);
    }

    /**
     * Rows of the trie of x_last and the first {@code b} candidates cut to {@code d} tokens, where {@code lcp[s]} is
     * the longest prefix candidate s shares with an earlier one (those tokens are already in the trie).
     */
    static int rows(int[] lcp, int b, int d) {
        int rows = 1;
        for (int s = 0; s < b; s++) rows += d - Math.min(lcp[s], d);
        return rows;
    }

    /**
     * The number of candidates b in [0, k] to verify, cut to {@link #chosenDepth()} tokens (of at most {@code depth}),
     * for a forward of at most {@code maxRows} rows; {@code lcp} as in {@link #rows}.
     */
    int chooseCandidates(ForwardCost cost, int[] lcp, int k, int depth, int maxRows) {
        int b = best(cost, lcp, k, depth, maxRows, false);
        if (b > 0 || k == 0) {
            declined = 0;
            return b;
        }
        if (++declined < DraftLengthModel.EXPLORE_AFTER) return 0;
        declined = 0;
        return best(cost, lcp, k, depth, maxRows, true);
    }

    /** Depth of the candidates chosen by the last {@link #chooseCandidates} (0 with no candidates). */
    int chosenDepth() {
        return chosenDepth;
    }

    private int best(ForwardCost cost, int[] lcp, int k, int depth, int maxRows, boolean prior) {
        int best = 0;
        chosenDepth = 0;
        double bestValue = DraftLengthModel.MIN_GAIN; // b = 0: one token for one single-row forward, plus the margin
        for (int b = 1; b <= k; b++) {
            for (int d = 1; d <= Math.min(depth, maxDepth); d++) {
                int rows = rows(lcp, b, d);
                if (rows > maxRows) break;
                double value = expectedTokens(b, d) / (prior ? ForwardCost.prior(rows) : cost.ratio(rows));
                if (value > bestValue) {
                    bestValue = value;
                    best = b;
                    chosenDepth = d;
                }
            }
        }
        return best;
    }

    /** Extra tokens per window step that window-made n-grams are measured to verify (0 before any window step). */
    double windowValue() {
        return windowSteps <= 0 ? 0 : windowCredit / windowSteps;
    }

    /** Whether this step also runs the window, of {@code windowRows} rows, beside a tree of {@code treeRows} rows. */
    boolean runWindow(ForwardCost cost, int treeRows, int windowRows) {
        double marginal = cost.ratio(treeRows + windowRows) - cost.ratio(treeRows);
        return gate.shouldRun(windowValue() > DraftLengthModel.MIN_GAIN * marginal);
    }

    /** Ends a step (decays the window's sums); {@code windowRan}: whether it ran the window. */
    void stepDone(boolean windowRan) {
        windowCredit *= WINDOW_DECAY;
        windowSteps = WINDOW_DECAY * windowSteps + (windowRan ? 1 : 0);
    }

    /**
     * One observed position: {@code matches[i]} = how many leading tokens of candidate i equal the committed text,
     * for the {@code k} candidates of {@code depth} tokens offered there; {@code windowOnly} = how much deeper the
     * best window-made candidate matched than the best text candidate (0 when none did).
     */
    void observe(int[] matches, int k, int depth, int windowOnly) {
        int accepted = 0;
        for (int b = 1; b <= k; b++) {
            accepted = Math.max(accepted, matches[b - 1]);
            for (int d = 1; d <= Math.min(depth, maxDepth); d++) {
                depthSum[b][d] = DECAY * depthSum[b][d] + Math.min(accepted, d);
                trials[b][d] = DECAY * trials[b][d] + 1;
            }
        }
        windowCredit += windowOnly;
    }

    long probes() {
        return gate.probes();
    }

    /** "E(b) at full depth 1.62/1.80/1.85/1.85, window value 0.04 tok/step" */
    String describe(int k) {
        StringBuilder b = new StringBuilder("E(b) at full depth");
        for (int i = 1; i <= k; i++) b.append(i == 1 ? " " : "/").append(String.format(Locale.ROOT, "%.2f", expectedTokens(i, maxDepth)));
        return b.append(String.format(Locale.ROOT, ", window value %.2f tok/step", windowValue())).toString();
    }
}
