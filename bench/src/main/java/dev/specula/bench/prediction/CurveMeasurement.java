package dev.specula.bench.prediction;

import dev.specula.bench.decode.ForwardTimer;
import dev.specula.bench.stats.Summary;
import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.model.ModelSession;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Measures a model's k-row {@link CostCurve} at a given context length: after a prefill of {@code context}
 * synthetic tokens, forwards of k causal rows (every row's logits requested, as verification does) are timed
 * and rolled back. The row counts are measured round-robin (k1 k2 k3 k1 k2 k3 ...) so that a stall of a shared
 * machine hits every k alike instead of bending the curve, and more rounds can be taken later, e.g. between the runs
 * a benchmark predicts, so that the curve sees the same machine load as the runs; each point is the median of all
 * its samples.
 */
public final class CurveMeasurement {
    /** Untimed rounds before the first timed one (scratch buffers, JIT profile of every batch size). */
    public static final int WARMUP = 3;
    private final ModelSession session;
    private final int context;
    private final int[] ks;
    private final int[][] tokens;
    private final int[][] positions;
    private final int[][] rows;
    private final List<List<Double>> times = new ArrayList<>();
    private boolean warm;

    /**
     * @param session an empty session with room for {@code context + max(ks)} rows (it is prefilled here)
     * @param ks      strictly increasing row counts starting at 1
     * @param context cache rows before the measured forwards (the mean context of the decoding being predicted)
     */
    public CurveMeasurement(ModelSession session, List<Integer> ks, int context) {
        if (ks.isEmpty() || ks.getFirst() != 1) throw new IllegalArgumentException("row counts must start at 1: " + ks);
        if (context < 1 || context + ks.getLast() > session.capacity())
            throw new IllegalArgumentException("context " + context + " plus " + ks.getLast() + " rows does not fit in " + session.capacity());
        this.session = session;
        this.context = context;
        int vocab = session.model().config().vocabSize();
        ForwardTimer.prefill(session, ForwardTimer.syntheticPrompt(vocab, context, 99));
        int n = ks.size();
        this.ks = new int[n];
        tokens = new int[n][];
        positions = new int[n][];
        rows = new int[n][];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            int k = ks.get(i);
            if (i > 0 && k <= this.ks[i - 1]) throw new IllegalArgumentException("row counts must increase: " + ks);
            this.ks[i] = k;
            tokens[i] = new int[k];
            positions[i] = new int[k];
            rows[i] = new int[k];
            for (int j = 0; j < k; j++) {
                tokens[i][j] = random.nextInt(vocab);
                positions[i][j] = context + j;
                rows[i][j] = j;
            }
            times.add(new ArrayList<>());
        }
    }

    /** Times {@code rounds} more forwards of every k, round-robin (after the warm-up rounds the first time). */
    public void sample(int rounds) {
        if (!warm) {
            for (int r = 0; r < WARMUP; r++) round(false);
            warm = true;
        }
        for (int r = 0; r < rounds; r++) round(true);
    }

    private void round(boolean timed) {
        for (int i = 0; i < ks.length; i++) {
            long t0 = System.nanoTime();
            session.forward(tokens[i], positions[i], AttentionMask.causal(ks[i]), rows[i]);
            long elapsed = System.nanoTime() - t0;
            session.truncate(context);
            if (timed) times.get(i).add(elapsed / 1e6);
        }
    }

    /** Samples per k so far. */
    public int samples() {
        return times.getFirst().size();
    }

    /** The curve: per k the median of every sample so far. */
    public CostCurve curve() {
        if (samples() == 0) throw new IllegalStateException("no samples yet: call sample() first");
        double[] ms = new double[ks.length];
        for (int i = 0; i < ks.length; i++) ms[i] = Summary.of(times.get(i).stream().mapToDouble(Double::doubleValue).toArray()).median();
        return new CostCurve(ks, ms);
    }

    public int context() {
        return context;
    }
}
