package dev.specula.decoding;

/**
 * Chooses among K ways to make the next step by measured throughput (tokens per nanosecond, exponentially
 * averaged). Deterministic: every arm is tried {@code warmup} times round-robin, then the best arm is played,
 * except that every {@code probeEvery}-th step re-measures the arm measured longest ago (conditions change
 * along a generation: repetitive text favours n-gram drafters).
 */
final class ThroughputBandit {
    private static final double DECAY = 0.7;
    private final int arms;
    private final int warmup;
    private final int probeEvery;
    private final double[] rate;
    private final int[] plays;
    private final long[] lastPlayed;
    private long step;

    ThroughputBandit(int arms, int warmup, int probeEvery) {
        if (arms < 1) throw new IllegalArgumentException("bandit needs at least one arm");
        this.arms = arms;
        this.warmup = warmup;
        this.probeEvery = probeEvery;
        this.rate = new double[arms];
        this.plays = new int[arms];
        this.lastPlayed = new long[arms];
    }

    int choose() {
        step++;
        for (int a = 0; a < arms; a++) if (plays[a] < warmup) return a;
        if (arms > 1 && step % probeEvery == 0) {
            int oldest = 0;
            for (int a = 1; a < arms; a++) if (lastPlayed[a] < lastPlayed[oldest]) oldest = a;
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
