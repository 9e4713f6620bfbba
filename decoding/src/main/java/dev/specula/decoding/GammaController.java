package dev.specula.decoding;

/**
 * Adaptive draft length: keeps a running estimate of the per-token acceptance rate alpha and of the cost ratio
 * c = (draft forward time) / (target forward time), and picks the gamma in [1, max] maximising Leviathan's
 * expected speedup (1 - alpha^(gamma+1)) / ((1 - alpha) (gamma c + 1)).
 */
final class GammaController {
    private static final double DECAY = 0.9;
    private final int max;
    private double alpha = 0.6;
    private double cost = 0.1;

    GammaController(int max) {
        this.max = max;
    }

    /** Records one step: accepted of proposed drafts, and the measured mean forward times. */
    void observe(int accepted, int proposed, double draftNanos, double targetNanos) {
        if (proposed > 0) {
            // per-token rate whose truncated-geometric mean matches this step: treat each proposed token as a trial,
            // stopping at the first rejection (accepted successes, at most one failure)
            double trials = accepted + (accepted < proposed ? 1 : 0);
            double stepAlpha = trials == 0 ? 0 : accepted / trials;
            alpha = DECAY * alpha + (1 - DECAY) * stepAlpha;
        }
        if (draftNanos > 0 && targetNanos > 0) cost = DECAY * cost + (1 - DECAY) * (draftNanos / targetNanos);
    }

    int gamma() {
        double a = Math.min(alpha, 0.999);
        int best = 1;
        double bestValue = -1;
        for (int g = 1; g <= max; g++) {
            double value = (1 - Math.pow(a, g + 1)) / ((1 - a) * (g * cost + 1));
            if (value > bestValue) {
                bestValue = value;
                best = g;
            }
        }
        return best;
    }

    double alpha() {
        return alpha;
    }

    double cost() {
        return cost;
    }
}
