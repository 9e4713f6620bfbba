package dev.specula.decoding;

import java.util.Arrays;

/**
 * AUTO's per-step choice among its arms. Two kinds of arm:
 * <ul>
 *   <li><b>modelled</b> arms (AR, prompt lookup, speculative decoding) report, every step, the value of the step they
 *       would make: expected tokens per unit of cost, the unit being one single-row target forward (AR = 1). Their
 *       estimates come from priors and from every step's outcome, so they need no exploration and follow the
 *       context step by step (a long prompt-lookup match, a draft model that lags behind).</li>
 *   <li><b>measured</b> arms (ADED, lookahead, Jacobi), whose payoff has no cheap model: each of their steps is
 *       measured (tokens committed per unit of forward cost) and scored <em>relative to the best modelled value of
 *       that same step</em>; the arm keeps a decayed average of that advantage and is worth advantage x (best
 *       modelled value now). Relative, because the context decides what any drafter can do: a measured arm
 *       probed during a long prompt-lookup match scores high in absolute terms but below lookup, and must not
 *       then be played where lookup finds nothing (where it would also draft from nothing). So a measured arm is
 *       played when its advantage is above 1, and otherwise only probed: first at step {@value #FIRST_PROBE};
 *       after a probe that leaves its advantage at or below 1 the gap to the next probe doubles ({@value #MIN_GAP}
 *       up to {@value #MAX_GAP} steps), after one that lifts it above 1 it returns to {@value #MIN_GAP}.</li>
 * </ul>
 * The arm with the highest value is played (ties: the earlier arm). Steps are counted over the policy's lifetime,
 * so a generator that runs several prompts (chat turns, a benchmark) does not explore again for each of them.
 * Deterministic; the choice never depends on the step it is about to make, so AUTO stays lossless.
 */
final class AutoPolicy {
    static final int FIRST_PROBE = 16;
    static final int MIN_GAP = 32;
    static final int MAX_GAP = 1024;
    private static final double DECAY = 0.7;
    private final boolean[] measured;
    /** Per measured arm: decayed mean of (its step's value / the best modelled value of that step); NaN until probed. */
    private final double[] advantage;
    private final long[] nextProbe;
    private final int[] gap;
    private long step;
    private int probing = -1;

    /** @param measured which arms are measured (true) rather than modelled (false) */
    AutoPolicy(boolean... measured) {
        if (measured.length == 0) throw new IllegalArgumentException("AUTO needs at least one arm");
        this.measured = measured.clone();
        this.advantage = new double[measured.length];
        this.nextProbe = new long[measured.length];
        this.gap = new int[measured.length];
        Arrays.fill(advantage, Double.NaN);
        Arrays.fill(nextProbe, FIRST_PROBE);
        Arrays.fill(gap, MIN_GAP);
    }

    /**
     * The arm to play this step. {@code values[a]}: the modelled arm's expected value for this step (NaN: it cannot
     * step now); ignored for measured arms.
     */
    int choose(double[] values) {
        step++;
        probing = -1;
        for (int a = 0; a < measured.length; a++) {
            if (measured[a] && step >= nextProbe[a]) {
                probing = a;
                return a;
            }
        }
        int best = -1;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < measured.length; a++) {
            double v = value(a, values);
            if (v > bestValue) {
                bestValue = v;
                best = a;
            }
        }
        if (best >= 0) return best;
        for (int a = 0; a < measured.length; a++) if (!measured[a]) return a; // nothing known: the first modelled arm
        return 0;
    }

    /** The value arm {@code a} is judged by (NaN when unknown): a measured arm's advantage times the best modelled value. */
    double value(int a, double[] values) {
        return measured[a] ? advantage[a] * reference(bestModelled(values)) : values[a];
    }

    /** What a measured value is compared with: the best modelled value, or AR's 1 token per unit when none is known. */
    private static double reference(double bestModelled) {
        return bestModelled > 0 ? bestModelled : 1;
    }

    /** The best modelled value among {@code values} (NaN when none is known). */
    double bestModelled(double[] values) {
        double best = Double.NaN;
        for (int a = 0; a < measured.length; a++)
            if (!measured[a] && !Double.isNaN(values[a]) && (Double.isNaN(best) || values[a] > best)) best = values[a];
        return best;
    }

    /**
     * Records the measured value of the step just played by {@code arm} (tokens per unit of cost; NaN when it could
     * not be measured, which still advances the probe schedule) against {@code bestModelled}, the best modelled
     * value of that step. Modelled arms learn inside their own models.
     */
    void record(int arm, double value, double bestModelled) {
        if (!measured[arm]) return;
        if (value >= 0) {
            double a = value / reference(bestModelled);
            advantage[arm] = Double.isNaN(advantage[arm]) ? a : DECAY * advantage[arm] + (1 - DECAY) * a;
        }
        if (arm == probing) {
            gap[arm] = advantage[arm] > 1 ? MIN_GAP : Math.min(MAX_GAP, 2 * gap[arm]);
            nextProbe[arm] = step + gap[arm];
        }
    }

    long steps() {
        return step;
    }

    boolean measured(int arm) {
        return measured[arm];
    }

    /** A measured arm's advantage over the best modelled arm (its value / theirs, decayed mean; NaN until probed). */
    double advantage(int arm) {
        return advantage[arm];
    }

    /** Steps between the latest and the next probe of a measured arm. */
    int gap(int arm) {
        return gap[arm];
    }
}
