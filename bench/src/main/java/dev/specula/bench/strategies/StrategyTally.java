package dev.specula.bench.strategies;

import dev.specula.bench.prediction.CostCurve;
import dev.specula.bench.prediction.SpeedupModel;
import dev.specula.bench.stats.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of one strategy over the prompt set: totals (tokens, forwards, drafts) and per-run speed,
 * and from those the aggregate rates, the speedup over AR and the model-predicted speedup.
 */
public final class StrategyTally {
    /** One generation: prompt index, repetition, and what {@code DecodeStats} counted. */
    public record RunRecord(int prompt, int rep, int generated, double decodeMs, long targetForwards, long draftForwards,
                            long proposed, long accepted) {
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

    /** Rows per verification forward, estimated as 1 + drafted tokens per target forward. */
    public double rowsPerForward() {
        long f = targetForwards();
        return f == 0 ? Double.NaN : 1 + (double) runs.stream().mapToLong(RunRecord::proposed).sum() / f;
    }

    public double draftForwardsPerTargetForward() {
        long f = targetForwards();
        return f == 0 ? Double.NaN : (double) runs.stream().mapToLong(RunRecord::draftForwards).sum() / f;
    }

    /** Mean over (prompt, rep) pairs of this strategy's tokens/s divided by the reference's on the same pair. */
    public double speedupOver(StrategyTally reference) {
        Map<Long, Double> ref = new HashMap<>();
        for (RunRecord r : reference.runs) ref.put(key(r), r.tokensPerSecond());
        double sum = 0;
        int n = 0;
        for (RunRecord r : runs) {
            Double base = ref.get(key(r));
            if (base == null || !(base > 0)) continue;
            sum += r.tokensPerSecond() / base;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** {@link SpeedupModel#predictedSpeedup} from this tally's measured rates. */
    public double predictedSpeedup(CostCurve target, double draftForwardMs) {
        double tpf = tokensPerForward();
        if (!(tpf > 0)) return Double.NaN;
        double d = draftForwardsPerTargetForward();
        if (d > 0 && !(draftForwardMs > 0)) return Double.NaN;
        return SpeedupModel.predictedSpeedup(tpf, rowsPerForward(), d, draftForwardMs, target);
    }

    private static long key(RunRecord r) {
        return ((long) r.prompt << 32) | r.rep;
    }
}
