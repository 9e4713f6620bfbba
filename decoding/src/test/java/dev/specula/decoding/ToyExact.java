package dev.specula.decoding;

import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import java.util.Arrays;
import java.util.function.BiConsumer;

/** Exact sequence distributions of toy models under a sampler configuration (no penalties). */
final class ToyExact {
    private ToyExact() {}

    /** Processed next-token distribution of a distribution source after {@code context}. */
    interface Next {
        void distribution(int[] context, int len, float[] out);
    }

    /** One model: the sampler's processed distribution of its logits. */
    static Next of(ToyModel model, SamplerConfig config) {
        Sampler sampler = new Sampler(config, model.vocabSize());
        return (ctx, len, out) -> sampler.distribution(model.logits(ctx, len), 0, ctx, 0, out);
    }

    /**
     * Probabilities of every continuation of {@code prompt} of length {@code k}, indexed by the base-V number
     * t_1 t_2 ... t_k.
     */
    static double[] joint(Next next, int vocab, int[] prompt, int k) {
        double[] out = new double[(int) Math.pow(vocab, k)];
        int[] ctx = Arrays.copyOf(prompt, prompt.length + k);
        fill(next, vocab, ctx, prompt.length, k, 0, 1.0, 0, out);
        return out;
    }

    private static void fill(Next next, int vocab, int[] ctx, int len, int left, int index, double prob, int depth, double[] out) {
        if (left == 0) {
            out[index] += prob;
            return;
        }
        float[] p = new float[vocab];
        next.distribution(ctx, len, p);
        for (int t = 0; t < vocab; t++) {
            if (p[t] == 0) continue;
            ctx[len] = t;
            fill(next, vocab, ctx, len + 1, left - 1, index * vocab + t, prob * p[t], depth + 1, out);
        }
    }

    /** Index of the first k ids of a generation in the joint table. */
    static int index(int[] ids, int vocab, int k) {
        int index = 0;
        for (int i = 0; i < k; i++) index = index * vocab + ids[i];
        return index;
    }

    static void forEachPrompt(int count, int vocab, long seed, int length, BiConsumer<Integer, int[]> action) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < count; i++) {
            int[] p = new int[length];
            // repetitive prompts (a short motif repeated) so n-gram drafters find matches
            int motif = 2 + r.nextInt(4);
            for (int j = 0; j < length; j++) p[j] = j < motif ? r.nextInt(vocab) : (r.nextInt(5) == 0 ? r.nextInt(vocab) : p[j - motif]);
            action.accept(i, p);
        }
    }
}
