package dev.specula.decoding;

/**
 * Adaptive draft length for chain drafters (prompt lookup): per confidence bucket (e.g. how long the context
 * match behind a draft is) it keeps a decayed estimate of the per-token acceptance rate alpha, and picks the
 * number of draft tokens d maximising expected tokens per unit of forward cost,
 * E(d) / c(d+1) with E(d) = (1 - alpha^(d+1)) / (1 - alpha) (the accepted prefix plus the bonus token;
 * Leviathan et al. 2023) and c from {@link ForwardCost}. d = 0 is a plain AR step (E = 1, c = 1).
 *
 * <p>Acceptance is observed on every step, also the ones that verified fewer tokens than were drafted (or none):
 * draft token i is compared with the committed token at its position, successes until the first mismatch,
 * which is one failed trial. Every committed token was chosen by the target given exactly the tokens before it,
 * so these trials are what a verification would have accepted (exactly for greedy, in distribution for sampling).
 */
final class DraftLengthModel {
    private static final double DECAY = 0.9;
    private static final double PRIOR_TRIALS = 2;
    /** After this many drafts in a row judged not to pay, one is verified anyway to re-measure the cost. */
    static final int EXPLORE_AFTER = 16;
    /**
     * A draft must promise this many times the tokens per cost of an AR step: the estimates are noisy, and a
     * drafting step has costs outside the forward (one pick per row, the tree walk).
     */
    static final double MIN_GAIN = 1.05;
    private final double[] priors;
    private final double[] successes;
    private final double[] trials;
    private int declined;

    /** @param priors the acceptance rate assumed per bucket before observations (worth {@value #PRIOR_TRIALS} trials) */
    DraftLengthModel(double... priors) {
        if (priors.length == 0) throw new IllegalArgumentException("a draft length model needs at least one bucket");
        for (double p : priors)
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("prior acceptance rates must be in [0, 1], got " + p);
        this.priors = priors.clone();
        successes = new double[priors.length];
        trials = new double[priors.length];
    }

    double alpha(int bucket) {
        return (successes[bucket] + priors[bucket] * PRIOR_TRIALS) / (trials[bucket] + PRIOR_TRIALS);
    }

    /** The draft length in [0, available] with the best expected tokens per cost. */
    int choose(ForwardCost cost, int bucket, int available) {
        int d = best(cost, bucket, available, false);
        if (d > 0 || available == 0) {
            declined = 0;
            return d;
        }
        if (++declined < EXPLORE_AFTER) return 0;
        // the cost of multi-row forwards is only re-measured when one runs: a stalled measurement must not lock
        // drafting out for good, so judge this one by the prior cost curve
        declined = 0;
        return best(cost, bucket, available, true);
    }

    private int best(ForwardCost cost, int bucket, int available, boolean prior) {
        double a = Math.min(alpha(bucket), 0.995);
        int best = 0;
        double bestValue = MIN_GAIN; // d = 0: one token for one single-row forward, plus the margin
        double expected = 1; // E(d) = 1 + a + ... + a^d
        double power = 1;
        for (int d = 1; d <= available; d++) {
            power *= a;
            expected += power;
            double value = expected / (prior ? ForwardCost.prior(d + 1) : cost.ratio(d + 1));
            if (value > bestValue) {
                bestValue = value;
                best = d;
            }
        }
        return best;
    }

    /**
     * Observes a draft {@code draft[0..length)} made for the positions starting at {@code start} against the
     * committed tokens {@code tokens[start..end)}.
     */
    void observe(int bucket, int[] draft, int length, int[] tokens, int start, int end) {
        int comparable = Math.min(length, end - start);
        if (comparable <= 0) return;
        int s = 0;
        while (s < comparable && draft[s] == tokens[start + s]) s++;
        int t = s + (s < comparable ? 1 : 0);
        successes[bucket] = DECAY * successes[bucket] + s;
        trials[bucket] = DECAY * trials[bucket] + t;
    }
}
