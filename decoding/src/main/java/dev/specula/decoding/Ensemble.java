package dev.specula.decoding;

import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;

/**
 * The combined distribution r of collaborative decoding (CoS paper §2, doc §2.1), over models 0..n-1
 * (0 = the target):
 * <ul>
 *   <li>weighted ensemble (WE): r = sum_i w_i p_i, where p_i is model i's processed distribution at its own
 *       temperature (a mean of probabilities, not of logits). Greedy WE is the argmax of the mixture of
 *       temperature-1 distributions (greedy per model would give ties).</li>
 *   <li>contrastive (CD, alpha > 0, two models): r = T(softmax(l_0 - alpha * l_1)) on raw logits, with the
 *       request's transform T (no plausibility mask, as in the paper's code).</li>
 * </ul>
 * Greedy decoding on r takes its argmax (exact ties: lowest id).
 */
final class Ensemble {
    final int models;
    final int vocab;
    final boolean contrastive;
    final boolean greedy;
    private final double alpha;
    private final double[] weights;
    private final Sampler[] componentSamplers;
    private final Sampler combinedSampler;
    private final float[] componentScratch;
    private final float[] logitScratch;

    Ensemble(List<DecodingModel> all, SamplerConfig config, DecodingOptions options) {
        this.models = all.size();
        this.vocab = all.get(0).vocabSize();
        for (DecodingModel m : all)
            if (m.vocabSize() != vocab)
                throw new IncompatibleVocabularyException("collaborative decoding needs identical vocabularies; model '" + m.name()
                        + "' has " + m.vocabSize() + " logits, target '" + all.get(0).name() + "' has " + vocab);
        this.alpha = options.contrastiveAlpha();
        this.contrastive = alpha > 0;
        this.greedy = config.isGreedy();
        if (contrastive && models != 2)
            throw new IllegalArgumentException("contrastive collaborative decoding combines exactly 2 models (expert = target, amateur = draft); got " + models);
        List<Double> w = options.cosWeights();
        if (!w.isEmpty() && w.size() != models)
            throw new IllegalArgumentException("cos weights list has " + w.size() + " values but there are " + models + " models (target first)");
        List<Double> temps = options.cosTemperatures();
        if (!temps.isEmpty() && temps.size() != models)
            throw new IllegalArgumentException("cos temperatures list has " + temps.size() + " values but there are " + models + " models (target first)");
        weights = new double[models];
        double sum = 0;
        for (int i = 0; i < models; i++) sum += weights[i] = w.isEmpty() ? 1.0 : w.get(i);
        for (int i = 0; i < models; i++) weights[i] /= sum;
        componentSamplers = new Sampler[models];
        for (int i = 0; i < models; i++) {
            float t = temps.isEmpty() ? (greedy ? 1f : config.temperature()) : temps.get(i).floatValue();
            if (greedy && !contrastive) t = 1f; // greedy WE: argmax of the untempered mixture
            if (t <= 0) t = 1f;
            componentSamplers[i] = new Sampler(config.withTemperature(t).withSeed(config.seed() + 1 + i), vocab);
        }
        combinedSampler = new Sampler(config.withSeed(config.seed() + 101), vocab);
        componentScratch = new float[vocab];
        logitScratch = new float[vocab];
    }

    /** Model i's own proposal distribution at a position (its component; for CD the model's own transform). */
    void component(int model, float[] logits, int offset, int[] history, int historyLength, float[] out) {
        componentSamplers[model].distribution(logits, offset, history, historyLength, out);
    }

    /** The token model i's component puts the most probability on (what greedy drafting proposes; no distribution computed). */
    int mostLikely(int model, float[] logits, int offset, int[] history, int historyLength) {
        return componentSamplers[model].mostLikely(logits, offset, history, historyLength);
    }

    /**
     * r at one position from every model's raw logits row ({@code logits[i]} at {@code offsets[i]}) into out.
     */
    void combine(float[][] logits, int[] offsets, int[] history, int historyLength, float[] out) {
        if (contrastive) {
            float a = (float) alpha;
            float[] l0 = logits[0], l1 = logits[1];
            int o0 = offsets[0], o1 = offsets[1];
            for (int v = 0; v < vocab; v++) logitScratch[v] = l0[o0 + v] - a * l1[o1 + v];
            combinedSampler.distribution(logitScratch, 0, history, historyLength, out);
            return;
        }
        java.util.Arrays.fill(out, 0, vocab, 0f);
        for (int i = 0; i < models; i++) {
            componentSamplers[i].distribution(logits[i], offsets[i], history, historyLength, componentScratch);
            float w = (float) weights[i];
            for (int v = 0; v < vocab; v++) out[v] += w * componentScratch[v];
        }
    }

    /** The token r yields: its argmax when greedy, else a draw with {@code rng}. */
    int choose(float[] r, Sampler rng) {
        return greedy ? Sampler.argmax(r, 0, vocab) : rng.sampleFrom(r);
    }

    double weight(int model) {
        return weights[model];
    }
}
