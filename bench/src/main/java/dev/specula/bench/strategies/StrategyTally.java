package dev.specula.bench.strategies;

import dev.specula.bench.prediction.CostCurve;
import dev.specula.bench.prediction.SpeedupModel;
import dev.specula.bench.stats.Summary;
import dev.specula.decoding.DecodeProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of one strategy over the prompt set: totals (tokens, forwards, drafts) and per-run speed,
 * and from those the aggregate rates, the speedup over AR and the model-predicted speedup.
 */
public final class StrategyTally {
    /** One generation: prompt index, repetition, and what {@code DecodeStats} counted and profiled. */
    public record RunRecord(int prompt, int rep, int generated, double decodeMs, long targetForwards, long draftForwards,
                            long proposed, long accepted, DecodeProfile profile) {
        public RunRecord {
            if (profile == null) throw new IllegalArgumentException("a run needs its decode profile");
            if (profile.target().totalForwards() != targetForwards)
                throw new IllegalArgumentException("the profile holds " + profile.target().totalForwards() + " target forwards, the run "
                        + targetForwards);
        }

        public double tokensPerSecond() {
            return decodeMs <= 0 ? Double.NaN : generated / (decodeMs / 1000);
        }
    }

    private final String name;
    private final List<RunRecord> runs = new ArrayList<>();

    public StrategyTally(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public void add(RunRecord r) {
        runs.add(r);
    }

    public List<RunRecord> runs() {
        return List.copyOf(runs);
    }

    public long generated() {
        return runs.stream().mapToLong(RunRecord::generated).sum();
    }

    private long targetForwards() {
        return runs.stream().mapToLong(RunRecord::targetForwards).sum();
    }

    /** All generated tokens over all decode time. */
    public double tokensPerSecond() {
        double ms = runs.stream().mapToDouble(RunRecord::decodeMs).sum();
        return ms <= 0 ? Double.NaN : generated() / (ms / 1000);
    }

    /** Median and spread of the per-run tokens/s. */
    public Summary perRunTokensPerSecond() {
        return Summary.of(runs.stream().mapToDouble(RunRecord::tokensPerSecond).toArray());
    }

    /** Committed tokens per target forward. */
    public double tokensPerForward() {
        long f = targetForwards();
        return f == 0 ? Double.NaN : (double) generated() / f;
    }

    /** Accepted / proposed draft tokens (NaN when nothing was drafted). */
    public double acceptanceRate() {
        long p = runs.stream().mapToLong(RunRecord::proposed).sum();
        return p == 0 ? Double.NaN : (double) runs.stream().mapToLong(RunRecord::accepted).sum() / p;
    }

    /** Rows per target forward, as counted by the runs' profiles. */
    public double rowsPerForward() {
        return profile().rowsPerForward();
    }

    /** The runs' decode profiles summed. */
    public DecodeProfile profile() {
        DecodeProfile p = DecodeProfile.EMPTY;
        for (RunRecord r : runs) p = p.plus(r.profile());
        return p;
    }

    /** All decode time of the runs. */
    public double decodeMs() {
        return runs.stream().mapToDouble(RunRecord::decodeMs).sum();
    }

    public double draftForwardsPerTargetForward() {
        long f = targetForwards();
        return f == 0 ? Double.NaN : (double) runs.stream().mapToLong(RunRecord::draftForwards).sum() / f;
    }

    /**
     * Mean over (prompt, rep) pairs of this strategy's tokens/s divided by the reference's on the same pair, weighted
     * by the tokens generated (a prompt answered with one token says nothing about speed; each ratio compares two
     * adjacent runs, so load that drifts between prompts cancels).
     */
    public double speedupOver(StrategyTally reference) {
        Map<Long, Double> ref = new HashMap<>();
        for (RunRecord r : reference.runs) ref.put(key(r), r.tokensPerSecond());
        double sum = 0;
        long weight = 0;
        for (RunRecord r : runs) {
            Double base = ref.get(key(r));
            if (base == null || !(base > 0) || r.generated() == 0) continue;
            sum += r.generated() * (r.tokensPerSecond() / base);
            weight += r.generated();
        }
        return weight == 0 ? Double.NaN : sum / weight;
    }

    /**
     * The speedup predicted for each run from the row counts of its forwards and the cost curves, against the
     * baseline's measured time per token on the same (prompt, rep) pair: {@code tokens * baseline ms per token /
     * (sum of C(rows) + sum of D(rows))} ({@link SpeedupModel}); averaged with the same token weights as
     * {@link #speedupOver}. So real / predicted is the share of this strategy's measured time that its forwards' curve
     * costs explain, whatever the curve says of the baseline. Without a baseline run for a pair the curve's C(1)
     * stands in for it. NaN when nothing was generated, or draft forwards ran without a draft curve.
     */
    public double predictedSpeedup(CostCurve target, CostCurve draft, StrategyTally baseline) {
        Map<Long, RunRecord> base = new HashMap<>();
        if (baseline != null) for (RunRecord r : baseline.runs) base.put(key(r), r);
        double sum = 0;
        long weight = 0;
        for (RunRecord r : runs) {
            DecodeProfile p = r.profile();
            if (r.generated() == 0 || p.target().totalForwards() == 0) continue;
            if (p.draft().totalForwards() > 0 && draft == null) return Double.NaN;
            RunRecord b = base.get(key(r));
            double baseMsPerToken = b != null && b.generated() > 0 && b.decodeMs() > 0 ? b.decodeMs() / b.generated() : target.millis(1);
            sum += r.generated() * SpeedupModel.predictedSpeedup(baseMsPerToken, r.generated(), p.target(), target, p.draft(), draft);
            weight += r.generated();
        }
        return weight == 0 ? Double.NaN : sum / weight;
    }

    private static long key(RunRecord r) {
        return ((long) r.prompt << 32) | r.rep;
    }
}
