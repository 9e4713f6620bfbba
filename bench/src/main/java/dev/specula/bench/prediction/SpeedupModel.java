package dev.specula.bench.prediction;

import dev.specula.decoding.RowHistogram;

/**
 * Predicts the speedup of a draft-and-verify strategy over plain autoregressive decoding from what was
 * measured: tokens committed per target forward, the rows of every target and draft forward, and the models'
 * k-row cost curves. Comparing the prediction with the measured speedup shows how much is lost outside the
 * model (bookkeeping, tree building, sampling, cache moves) or inside it (forwards slower than the curve says).
 *
 * <p>Per target forward the engine commits {@code tokensPerForward} tokens and spends
 * {@code C(rows) + draftForwardsPerTargetForward * draftForwardMs}; AR spends {@code C(1)} per token, so
 * <pre>speedup = tokensPerForward * C(1) / (C(rows) + d * t_draft)</pre>
 * With per-forward row counts (a histogram) the denominator is the mean of C over the forwards, not C of the mean
 * rows: the curve is convex, so a mix of 1-row and 16-row forwards costs more than 8-row ones.
 */
public final class SpeedupModel {
    private SpeedupModel() {}

    /**
     * @param tokensPerForward committed tokens per target forward (including the bonus/corrected token), >= 1 in practice
     * @param rowsPerForward mean rows (query positions) per target forward, >= 1
     * @param draftForwardsPerTargetForward draft-model forwards per target forward (0 for model-free drafters)
     * @param draftForwardMs milliseconds of one draft-model forward (ignored when there are no draft forwards)
     * @param target the target model's cost curve
     */
    public static double predictedSpeedup(double tokensPerForward, double rowsPerForward, double draftForwardsPerTargetForward,
                                          double draftForwardMs, CostCurve target) {
        if (!(tokensPerForward > 0)) throw new IllegalArgumentException("tokens per forward must be positive, got " + tokensPerForward);
        if (!(draftForwardsPerTargetForward >= 0)) {
            throw new IllegalArgumentException("draft forwards per target forward must be >= 0, got " + draftForwardsPerTargetForward);
        }
        double draftMs = draftForwardsPerTargetForward == 0 ? 0 : draftForwardsPerTargetForward * draftForwardMs;
        if (!(draftMs >= 0)) throw new IllegalArgumentException("draft forward time must be >= 0, got " + draftForwardMs);
        return tokensPerForward * target.millis(1) / (target.millis(rowsPerForward) + draftMs);
    }

    /**
     * Speedup predicted from the exact row counts of every forward: {@code tokens} committed by the target
     * forwards in {@code target} (and the draft forwards in {@code draft}) against {@code tokens} single-row
     * forwards of AR: {@code tokens * C(1) / (sum over target forwards of C(rows) + sum over draft forwards of D(rows))}.
     *
     * @param draftCurve the draft model's cost curve; may be null when {@code draft} holds no forwards
     */
    public static double predictedSpeedup(long tokens, RowHistogram target, CostCurve targetCurve, RowHistogram draft, CostCurve draftCurve) {
        return predictedSpeedup(targetCurve.millis(1), tokens, target, targetCurve, draft, draftCurve);
    }

    /**
     * As {@link #predictedSpeedup(long, RowHistogram, CostCurve, RowHistogram, CostCurve)}, against a baseline that
     * spends {@code baselineMsPerToken} per token (e.g. AR as measured) instead of the curve's C(1):
     * {@code tokens * baselineMsPerToken / (sum of C(rows) + sum of D(rows))}.
     */
    public static double predictedSpeedup(double baselineMsPerToken, long tokens, RowHistogram target, CostCurve targetCurve,
                                          RowHistogram draft, CostCurve draftCurve) {
        if (tokens <= 0) throw new IllegalArgumentException("tokens must be positive, got " + tokens);
        if (!(baselineMsPerToken > 0)) throw new IllegalArgumentException("baseline time per token must be positive, got " + baselineMsPerToken);
        double targetMs = predictedMs(target, targetCurve);
        double draftMs = draft.totalForwards() == 0 ? 0 : predictedMs(draft, draftCurve);
        return tokens * baselineMsPerToken / (targetMs + draftMs);
    }

    /** Sum of the curve's time over every forward of the histogram. */
    public static double predictedMs(RowHistogram forwards, CostCurve curve) {
        if (forwards.totalForwards() > 0 && curve == null) throw new IllegalArgumentException("forwards to predict but no cost curve");
        return forwards.sumOver(curve::millis);
    }

    /**
     * Expected tokens per target forward when each of {@code gamma} drafted tokens is accepted
     * independently with probability {@code alpha} (Leviathan et al. 2023, eq. 1):
     * {@code (1 - alpha^(gamma+1)) / (1 - alpha)}, which is {@code gamma + 1} at alpha = 1.
     */
    public static double expectedTokensPerForward(double alpha, int gamma) {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("acceptance rate must be in [0, 1], got " + alpha);
        if (gamma < 0) throw new IllegalArgumentException("draft length must be >= 0, got " + gamma);
        if (alpha == 1) return gamma + 1;
        return (1 - Math.pow(alpha, gamma + 1)) / (1 - alpha);
    }

    /** Speedup predicted for i.i.d. acceptance {@code alpha}, draft length {@code gamma}, one draft forward per drafted token. */
    public static double predictedSpeedup(double alpha, int gamma, double draftForwardMs, CostCurve target) {
        return predictedSpeedup(expectedTokensPerForward(alpha, gamma), gamma + 1, gamma, draftForwardMs, target);
    }
}
