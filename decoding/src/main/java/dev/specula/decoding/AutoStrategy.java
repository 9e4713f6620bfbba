package dev.specula.decoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AUTO: chooses, every step, the drafter whose step is worth most (see {@link AutoPolicy}). AR, prompt lookup and
 * speculative decoding are modelled: lookup plans its draft (longest context match, verified length by its
 * per-match-length acceptance and the measured cost curve) and reports E(d) / c(d + 1); speculative decoding reports
 * E(gamma) / (c(gamma + 1) + draft time / T(1)) from its measured acceptance and draft forward times, including the
 * catch-up of rows other drafters committed; AR is worth {@link DraftLengthModel#MIN_GAIN} (drafting must promise a
 * margin). So repetitive stretches go to lookup, the rest to the draft model, step by step. Other drafters (ADED,
 * lookahead, Jacobi) are measured arms, probed now and then and played when they beat the modelled arms in the
 * contexts they were measured in. Prompt lookup learns its acceptance from every step,
 * whichever arm made it. Every arm keeps the shared invariant (x_last without KV), so steps of different arms
 * interleave freely; the output is the same as any single arm's (greedy) or identically distributed (sampling),
 * since the choice depends only on tokens already committed and on past timings.
 */
final class AutoStrategy implements Strategy {
    private static final double T1_DECAY = 0.8;
    private final List<Strategy> arms;
    private final AutoPolicy policy;
    private final double[] values;
    private final long[] plays;
    private final long[] tokens;
    private final LookupStrategy lookup;
    private final SpeculativeStrategy speculative;
    /** Estimated wall time of a single-row target forward (0: none measured yet). */
    private double t1Nanos;

    AutoStrategy(List<Strategy> arms) {
        if (arms.isEmpty()) throw new IllegalArgumentException("AUTO needs at least one arm");
        this.arms = List.copyOf(arms);
        boolean[] measured = new boolean[arms.size()];
        LookupStrategy l = null;
        SpeculativeStrategy s = null;
        for (int a = 0; a < arms.size(); a++) {
            Strategy arm = arms.get(a);
            if (arm instanceof LookupStrategy ls && l == null) l = ls;
            else if (arm instanceof SpeculativeStrategy ss && s == null) s = ss;
            else measured[a] = arm.kind() != StrategyKind.AR;
        }
        this.lookup = l;
        this.speculative = s;
        this.policy = new AutoPolicy(measured);
        this.values = new double[arms.size()];
        this.plays = new long[arms.size()];
        this.tokens = new long[arms.size()];
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.AUTO;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        for (Strategy s : arms) s.begin(st, reusableRows);
    }

    @Override
    public void step(DecodeState st) {
        for (int a = 0; a < arms.size(); a++) {
            Strategy arm = arms.get(a);
            values[a] = arm == lookup ? lookup.plan(st)
                    : arm == speculative ? speculative.plan(st, t1Nanos)
                    : arm.kind() == StrategyKind.AR ? DraftLengthModel.MIN_GAIN : Double.NaN;
        }
        int arm = policy.choose(values);
        int start = st.count;
        long forwardsBefore = st.targetForwards;
        Strategy chosen = arms.get(arm);
        if (chosen == lookup) lookup.execute(st);
        else if (chosen == speculative) speculative.stepPlanned(st);
        else chosen.step(st);
        if (lookup != null && chosen != lookup) lookup.learn(st, start);
        int committed = st.count - start;
        plays[arm]++;
        tokens[arm] += committed;
        boolean oneForward = st.targetForwards == forwardsBefore + 1;
        if (oneForward && st.lastForwardRows == 1) {
            // clipped like ForwardCost's T(1): one stall of the shared machine must not double the estimate
            double sample = t1Nanos == 0 ? st.lastForwardNanos : Math.min(st.lastForwardNanos, 2 * t1Nanos);
            t1Nanos = t1Nanos == 0 ? sample : T1_DECAY * t1Nanos + (1 - T1_DECAY) * sample;
        } else if (oneForward && t1Nanos == 0) {
            t1Nanos = st.lastForwardNanos / st.cost.ratio(st.lastForwardRows); // until a single-row forward is seen
        }
        // measured arms are judged like the modelled ones: tokens per unit of forward cost, c(rows) from the cost
        // model (their steps' time outside the forward is negligible, see DecodeProfile), not by noisy wall time
        double value = oneForward ? committed / st.cost.ratio(st.lastForwardRows) : Double.NaN;
        policy.record(arm, value, policy.bestModelled(values));
    }

    /** Steps played by the arms of this kind so far (over every generation). */
    long plays(StrategyKind kind) {
        long n = 0;
        for (int a = 0; a < arms.size(); a++) if (arms.get(a).kind() == kind) n += plays[a];
        return n;
    }

    @Override
    public void end(DecodeState st) {
        for (Strategy s : arms) s.end(st);
    }

    @Override
    public String detail() {
        List<String> parts = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++) {
            String v = policy.measured(a) ? String.format(Locale.ROOT, ", advantage %.2f", policy.advantage(a)) : "";
            parts.add(String.format(Locale.ROOT, "%s x%d (%d tokens%s)", arms.get(a).kind(), plays[a], tokens[a], v));
        }
        String s = speculative == null ? "" : String.format(Locale.ROOT, "; draft alpha %.2f", speculative.alpha());
        return String.join(", ", parts) + s + String.format(Locale.ROOT, "; T(1) %.1f ms", t1Nanos / 1e6);
    }
}
