package dev.specula.engine.sampling;

import dev.specula.engine.kernel.VectorMath;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns one row of logits into a token with llama.cpp's sampler chain order:
 * logit bias, repetition/presence/frequency penalties, top-k, top-p, min-p, temperature, then a draw
 * from the softmax. Top-p and min-p look at the temperature-1 distribution, as in llama.cpp's default
 * chain (temperature comes last). Greedy ({@code temperature <= 0}) is the argmax of the biased and
 * penalised logits (exact ties: lowest id) and consumes no random numbers.
 *
 * <p>One instance per sequence: not thread-safe; all work buffers are allocated once (vocab sized).
 */
public final class Sampler {
    private final SamplerConfig config;
    private final int vocabSize;
    private final int[] biasIds;
    private final float[] biasValues;
    private final SplittableRandom random;
    // work buffers, reused for every call
    private final float[] work;
    private final int[] heap;
    private final int[] kept;
    /** exp((l - max) / T) of each kept token, reused by the normalisation (the same doubles as computing it twice). */
    private final double[] expScratch;
    private final int[] counts;
    private final float[] probs;

    public Sampler(SamplerConfig config, int vocabSize) {
        if (config == null) throw new IllegalArgumentException("sampler config is null");
        if (vocabSize < 1) throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocabSize);
        this.config = config;
        this.vocabSize = vocabSize;
        this.biasIds = new int[config.logitBias().size()];
        this.biasValues = new float[biasIds.length];
        int i = 0;
        for (Map.Entry<Integer, Float> e : config.logitBias().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            if (e.getKey() >= vocabSize)
                throw new IllegalArgumentException("logit bias names token " + e.getKey() + " but the vocabulary has " + vocabSize + " tokens");
            biasIds[i] = e.getKey();
            biasValues[i++] = e.getValue();
        }
        this.random = new SplittableRandom(config.seed());
        this.work = new float[vocabSize];
        this.heap = new int[vocabSize];
        this.kept = new int[vocabSize];
        this.expScratch = new double[vocabSize];
        this.counts = new int[vocabSize];
        this.probs = new float[vocabSize];
    }

    public SamplerConfig config() {
        return config;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** Index of the largest of {@code logits[offset .. offset+n)} relative to offset; exact ties give the lowest index. */
    public static int argmax(float[] logits, int offset, int n) {
        if (n < 1) throw new IllegalArgumentException("argmax over an empty range");
        if (offset < 0 || offset + n > logits.length)
            throw new IllegalArgumentException("range " + offset + "+" + n + " exceeds an array of " + logits.length);
        // SIMD: the largest value, then its first occurrence (IEEE equality ties -0.0 with 0.0, as '>' below does)
        float max = VectorMath.max(logits, offset, n);
        int i = max == max ? VectorMath.indexOf(logits, offset, n, max) : -1;
        return i >= 0 ? i : argmaxSkippingNaN(logits, offset, n);
    }

    /** The scalar definition, which skips NaN after the first element (used only when a NaN is present). */
    private static int argmaxSkippingNaN(float[] logits, int offset, int n) {
        int best = 0;
        float bestValue = logits[offset];
        for (int i = 1; i < n; i++) {
            float v = logits[offset + i];
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /**
     * The most probable token of the processed distribution, without computing it: the argmax of the logits after
     * bias and penalties (what {@link #distribution} would put the largest probability on, up to ties of rounding).
     */
    public int mostLikely(float[] logits, int offset, int[] history, int historyLength) {
        processLogits(logits, offset, history, historyLength);
        return argmax(work, 0, vocabSize);
    }

    /** Picks the next token from {@code logits[offset .. offset+vocab)} given the generated history. */
    public int sample(float[] logits, int offset, int[] history, int historyLength) {
        processLogits(logits, offset, history, historyLength);
        if (config.isGreedy()) return argmax(work, 0, vocabSize);
        fillDistribution(probs);
        return sampleFrom(probs);
    }

    /**
     * Writes the full processed distribution into {@code probsOut[0 .. vocab)}: the probability each
     * token would be drawn with by {@link #sample}, zeros outside the kept set (greedy: one-hot).
     */
    public void distribution(float[] logits, int offset, int[] history, int historyLength, float[] probsOut) {
        if (probsOut.length < vocabSize)
            throw new IllegalArgumentException("probability buffer holds " + probsOut.length + " floats, need " + vocabSize);
        processLogits(logits, offset, history, historyLength);
        if (config.isGreedy()) {
            Arrays.fill(probsOut, 0, vocabSize, 0f);
            probsOut[argmax(work, 0, vocabSize)] = 1f;
            return;
        }
        fillDistribution(probsOut);
    }

    /**
     * Draws an index from a (not necessarily normalised) non-negative weight vector with this sampler's
     * seeded generator: the first index whose cumulative weight exceeds {@code u * total}.
     */
    public int sampleFrom(float[] weights) {
        double total = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            float w = weights[i];
            if (w > 0) {
                total += w;
                last = i;
            }
        }
        if (last < 0) throw new IllegalArgumentException("cannot sample from a distribution with no positive weight");
        double target = nextUniform() * total;
        double cumulative = 0;
        for (int i = 0; i <= last; i++) {
            float w = weights[i];
            if (w > 0) {
                cumulative += w;
                if (cumulative > target) return i;
            }
        }
        return last; // rounding: target fell on the very top
    }

    /** A uniform double in [0, 1) from the seeded generator (speculative acceptance tests use it). */
    public double nextUniform() {
        return random.nextDouble();
    }

    // ---- the chain ----

    /** work = logits + bias, then llama.cpp's penalties over the last repeatLastN history tokens. */
    private void processLogits(float[] logits, int offset, int[] history, int historyLength) {
        if (offset < 0 || offset + vocabSize > logits.length)
            throw new IllegalArgumentException("logits row at offset " + offset + " of length " + vocabSize
                    + " does not fit in an array of " + logits.length);
        System.arraycopy(logits, offset, work, 0, vocabSize);
        for (int i = 0; i < biasIds.length; i++) work[biasIds[i]] += biasValues[i];
        if (!config.hasPenalties() || historyLength <= 0) return;
        if (history == null || historyLength > history.length)
            throw new IllegalArgumentException("history length " + historyLength + " exceeds the history array");
        int window = config.repeatLastN() < 0 ? historyLength : Math.min(historyLength, config.repeatLastN());
        int from = historyLength - window;
        for (int i = from; i < historyLength; i++) {
            int t = history[i];
            if (t < 0 || t >= vocabSize)
                throw new IllegalArgumentException("history token " + t + " at index " + i + " is outside the vocabulary of " + vocabSize);
            counts[t]++;
        }
        float repeat = config.repeatPenalty();
        for (int i = from; i < historyLength; i++) {
            int t = history[i];
            int c = counts[t];
            if (c == 0) continue; // already penalised
            float l = work[t];
            // llama_sampler_penalties: logit <= 0 ? logit * repeat : logit / repeat; minus count * freq + presence
            l = l <= 0 ? l * repeat : l / repeat;
            l -= c * config.frequencyPenalty() + config.presencePenalty();
            work[t] = l;
            counts[t] = 0;
        }
    }

    /** top-k, top-p, min-p on work, then softmax(l / T) over the kept tokens into out. */
    private void fillDistribution(float[] out) {
        int n = vocabSize;
        int topK = config.topK() > 0 ? Math.min(config.topK(), n) : n;
        boolean usesTopP = config.topP() < 1f;
        int nKept;
        float maxLogit;
        boolean selects = topK < n || usesTopP; // else every token is kept and kept[] is not written
        if (selects) {
            if (topK < n) {
                nKept = selectTopK(topK);
                maxLogit = work[kept[0]];
                if (usesTopP) {
                    double z = 0;
                    for (int i = 0; i < nKept; i++) z += Math.exp(work[kept[i]] - maxLogit);
                    double cumulative = 0;
                    int cut = nKept;
                    for (int i = 0; i < nKept; i++) {
                        cumulative += Math.exp(work[kept[i]] - maxLogit) / z;
                        if (cumulative >= config.topP()) {
                            cut = i + 1;
                            break;
                        }
                    }
                    nKept = cut;
                }
            } else {
                buildHeap();
                int heapSize = n;
                maxLogit = work[heap[0]];
                double z = 0;
                for (int i = 0; i < n; i++) z += Math.exp(work[i] - maxLogit);
                double cumulative = 0;
                nKept = 0;
                while (heapSize > 0) {
                    int t = heap[0];
                    kept[nKept++] = t;
                    heapSize = popHeap(heapSize);
                    cumulative += Math.exp(work[t] - maxLogit) / z;
                    if (cumulative >= config.topP()) break;
                }
            }
        } else {
            maxLogit = VectorMath.max(work, 0, n);
            nKept = n;
        }
        if (config.minP() > 0f) {
            if (!selects) for (int i = 0; i < n; i++) kept[i] = i; // listed only now that min-p needs it
            // llama_sampler_min_p on logits: keep l >= max + ln(minP), i.e. p >= minP * pmax at temperature 1
            double threshold = maxLogit + Math.log(config.minP());
            int w = 0;
            for (int i = 0; i < nKept; i++) if (work[kept[i]] >= threshold) kept[w++] = kept[i];
            nKept = Math.max(w, 1);
        }
        double invT = 1.0 / config.temperature();
        if (nKept == n) { // the whole vocabulary (no top-k, top-p or min-p cut): a SIMD softmax in float
            if (!Float.isFinite(maxLogit)) {
                throw new IllegalArgumentException("logits give no finite distribution (max logit " + maxLogit + ")");
            }
            float invTf = (float) invT;
            for (int i = 0; i < n; i++) out[i] = (work[i] - maxLogit) * invTf;
            VectorMath.softmaxInPlace(out, 0, n);
            return;
        }
        double z = 0;
        for (int i = 0; i < nKept; i++) z += expScratch[i] = Math.exp((work[kept[i]] - maxLogit) * invT); // one exp per token
        Arrays.fill(out, 0, n, 0f);
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("logits give no finite distribution (max logit " + maxLogit + ")");
        }
        for (int i = 0; i < nKept; i++) out[kept[i]] = (float) (expScratch[i] / z);
    }

    // Max-heap of token ids ordered by (work desc, id asc): the order of a stable sort by logit.
    private boolean before(int a, int b) {
        float la = work[a], lb = work[b];
        return la > lb || (la == lb && a < b);
    }

    /**
     * The k tokens that come first in {@link #before} order, in that order, into {@code kept[0 .. k)}: the same
     * tokens and order as popping the full max-heap k times, in one pass over the vocabulary with a k-entry heap
     * whose root is its worst token (a token enters only if it beats that root), then emptied worst first.
     */
    private int selectTopK(int k) {
        int size = 0;
        for (int t = 0; t < vocabSize; t++) {
            if (size < k) {
                int i = size++;
                while (i > 0) { // sift up: a worse token moves towards the root
                    int parent = (i - 1) >>> 1;
                    if (!before(heap[parent], t)) break;
                    heap[i] = heap[parent];
                    i = parent;
                }
                heap[i] = t;
            } else if (before(t, heap[0])) {
                siftDownWorst(0, size, t);
            }
        }
        for (int i = size - 1; i >= 0; i--) {
            kept[i] = heap[0];
            if (i > 0) siftDownWorst(0, i, heap[i]);
        }
        return k;
    }

    /** Places {@code item} at {@code i} of the worst-first heap of {@code size} and sifts it down. */
    private void siftDownWorst(int i, int size, int item) {
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && before(heap[child], heap[child + 1])) child++; // the worse child
            if (!before(item, heap[child])) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = item;
    }

    private void buildHeap() {
        int n = vocabSize;
        for (int i = 0; i < n; i++) heap[i] = i;
        for (int i = n / 2 - 1; i >= 0; i--) siftDown(i, n);
    }

    /** Removes the top; returns the new size. */
    private int popHeap(int size) {
        size--;
        heap[0] = heap[size];
        siftDown(0, size);
        return size;
    }

    private void siftDown(int i, int size) {
        int item = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) break;
            if (child + 1 < size && before(heap[child + 1], heap[child])) child++;
            if (!before(heap[child], item)) break;
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = item;
    }
}
