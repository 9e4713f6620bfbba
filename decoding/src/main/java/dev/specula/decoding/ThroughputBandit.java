package dev.specula.decoding;

/**
 * Chooses among K ways to make the next step by measured throughput (tokens per nanosecond, exponentially
 * averaged). Deterministic: every arm is tried {@code warmup} times round-robin, then the best arm is played,
 * except for probes that re-measure the arm measured longest ago (conditions change along a generation:
 * repetitive text favours n-gram drafters). Probes come every {@code probeEvery} steps at first; the gap doubles
 * after every probe that leaves the best arm unchanged (up to {@value #MAX_GAP_FACTOR}x) and returns to
 * {@code probeEvery} when the best arm changes, so a settled choice spends little time on losing arms.
 */
final class ThroughputBandit {
    static final int MAX_GAP_FACTOR = 8;
    private static final double DECAY = 0.7;
    private final int arms;
    private final int warmup;
    private final int probeEvery;
    private final double[] rate;
    private final int[] plays;
    private final long[] lastPlayed;
    private long step;
    private int gap;
    private long nextProbe;
    private int bestBeforeProbe = -1;

    ThroughputBandit(int arms, int warmup, int probeEvery) {
        if (arms < 1) throw new IllegalArgumentException("bandit needs at least one arm");
        if (probeEvery < 1) throw new IllegalArgumentException("probeEvery must be >= 1, got " + probeEvery);
        this.arms = arms;
        this.warmup = warmup;
        this.probeEvery = probeEvery;
        this.rate = new double[arms];
        this.plays = new int[arms];
        this.lastPlayed = new long[arms];
        this.gap = probeEvery;
    }

    int choose() {
        step++;
        for (int a = 0; a < arms; a++) if (plays[a] < warmup) return a;
        if (nextProbe == 0) nextProbe = step + gap;
        if (arms > 1 && step >= nextProbe) {
            int current = best();
            // after the previous probe: widen the gap while the best arm stays the same
            gap = current == bestBeforeProbe ? Math.min(gap * 2, probeEvery * MAX_GAP_FACTOR) : probeEvery;
            bestBeforeProbe = current;
            nextProbe = step + gap;
            int oldest = current == 0 ? 1 : 0;
            for (int a = 0; a < arms; a++) if (a != current && lastPlayed[a] < lastPlayed[oldest]) oldest = a;
            return oldest;
        }
        return best();
    }

    int best() {
        int best = 0;
        for (int a = 1; a < arms; a++) if (rate[a] > rate[best]) best = a;
        return best;
    }

    void record(int arm, int tokens, long nanos) {
        double r = tokens / (double) Math.max(1, nanos);
        rate[arm] = plays[arm] == 0 ? r : DECAY * rate[arm] + (1 - DECAY) * r;
        plays[arm]++;
        lastPlayed[arm] = step;
    }

    int plays(int arm) {
        return plays[arm];
    }

    /** Estimated tokens per second of an arm. */
    double tokensPerSecond(int arm) {
        return rate[arm] * 1e9;
    }
}
