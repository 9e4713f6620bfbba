package dev.specula.decoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * AUTO: an online bandit ({@link ThroughputBandit}) over lossless drafters, choosing each step the one with the
 * best measured tokens/s. Every arm keeps the shared invariant (x_last without KV), so steps of different arms
 * interleave freely; the output is the same as any single arm's (greedy) or identically distributed (sampling).
 */
final class AutoStrategy implements Strategy {
    private final List<Strategy> arms;
    private final ThroughputBandit bandit;

    AutoStrategy(List<Strategy> arms) {
        if (arms.isEmpty()) throw new IllegalArgumentException("AUTO needs at least one arm");
        this.arms = List.copyOf(arms);
        this.bandit = new ThroughputBandit(arms.size(), 1, 8);
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
        int arm = bandit.choose();
        int before = st.count;
        long t0 = System.nanoTime();
        arms.get(arm).step(st);
        bandit.record(arm, st.count - before, System.nanoTime() - t0);
    }

    @Override
    public void end(DecodeState st) {
        for (Strategy s : arms) s.end(st);
    }

    @Override
    public String detail() {
        List<String> parts = new ArrayList<>();
        for (int a = 0; a < arms.size(); a++)
            parts.add(String.format(Locale.ROOT, "%s x%d ~%.1f tok/s", arms.get(a).kind(), bandit.plays(a), bandit.tokensPerSecond(a)));
        return "best " + arms.get(bandit.best()).kind() + "; " + String.join(", ", parts);
    }
}
