package dev.specula.bench.decode;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.model.ModelSession;
import dev.specula.engine.sampling.Sampler;
import java.util.SplittableRandom;

/**
 * Times the engine's forward passes directly on a {@link ModelSession}: prefill of a prompt in one
 * batch, greedy decode one token at a time (forward + argmax, what plain decoding costs), and forwards
 * over k rows (the verification cost curve), each rolled back with {@code truncate}.
 */
public final class ForwardTimer {
    /** Untimed forwards before timing a batch size. */
    static final int WARMUP_FORWARDS = 3;

    private ForwardTimer() {}

    /** {@code n} token ids drawn uniformly from the vocabulary (fixed seed; content does not matter for speed). */
    public static int[] syntheticPrompt(int vocabSize, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = random.nextInt(vocabSize);
        return ids;
    }

    /** Feeds {@code prompt} as one causal batch into an empty session; returns seconds. */
    public static double prefill(ModelSession session, int[] prompt) {
        session.truncate(0);
        long t0 = System.nanoTime();
        session.forwardChain(prompt);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * After a prefill, decodes {@code tokens} greedy tokens one forward each starting from {@code first};
     * returns seconds. The session grows by {@code tokens} rows.
     */
    public static double decode(ModelSession session, int first, int tokens) {
        int vocab = session.model().config().vocabSize();
        int[] one = {first};
        long t0 = System.nanoTime();
        for (int i = 0; i < tokens; i++) {
            float[] logits = session.forwardChain(one);
            one[0] = Sampler.argmax(logits, 0, vocab);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Median-ready samples of one forward over {@code k} new rows (causal, all k rows' logits requested,
     * as verification does) appended at the session's current length, rolled back after each call.
     *
     * @return seconds per forward, {@code samples} values
     */
    public static double[] kRowForward(ModelSession session, int k, int samples, long seed) {
        LlamaModel model = session.model();
        int base = session.length();
        int[] tokens = syntheticPrompt(model.config().vocabSize(), k, seed);
        int[] positions = new int[k], rows = new int[k];
        for (int i = 0; i < k; i++) {
            positions[i] = base + i;
            rows[i] = i;
        }
        AttentionMask mask = AttentionMask.causal(k);
        for (int w = 0; w < WARMUP_FORWARDS; w++) { // this batch size's scratch buffers and JIT profile
            session.forward(tokens, positions, mask, rows);
            session.truncate(base);
        }
        double[] s = new double[samples];
        for (int r = 0; r < samples; r++) {
            long t0 = System.nanoTime();
            session.forward(tokens, positions, mask, rows);
            s[r] = (System.nanoTime() - t0) / 1e9;
            session.truncate(base);
        }
        return s;
    }
}
