package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.sampling.Sampler;

/**
 * The state of one generation shared by every strategy: the committed token ids, the target sequence, the
 * sampler and the counters.
 *
 * <p>Invariant between steps: the newest committed token ({@link #last()}) has no KV entry yet, so the target
 * cache holds exactly {@code count - 1} rows. A step feeds it as the first row of its batch (doc §0.1).
 */
final class DecodeState {
    /** Extra room after the committed tokens where strategies write draft paths (history for penalties). */
    static final int SCRATCH = 1024;

    final DecodingModel model;
    final DecodingSequence target;
    final Sampler sampler;
    final boolean greedy;
    final int vocab;
    final DecodingOptions options;
    final TokenListener listener;
    final int promptLength;
    final int maxNew;

    /** Committed ids (prompt + generated), followed by scratch for draft paths. */
    final int[] tokens;
    int count;
    StopReason stopReason;

    /** Vocab-sized scratch rows for processed distributions. */
    final float[] probs;
    final float[] residual;
    /** Measured target forward cost per batch size (shared by the strategies, kept across generations). */
    final ForwardCost cost;

    long targetForwards;
    long draftForwards;
    /** Profile of the decode loop: rows per target forward, time inside target and draft forwards. */
    final DecodeProfile.Recorder profile = new DecodeProfile.Recorder();
    /** Rows and wall time of the latest target forward (AUTO's cost estimates). */
    int lastForwardRows;
    long lastForwardNanos;
    long proposed;
    long accepted;
    int steps;

    private final int[] one = new int[1];
    private final int[] onePos = new int[1];
    private final int[] zero = {0};

    DecodeState(DecodingModel model, DecodingSequence target, Sampler sampler, boolean greedy, DecodingOptions options,
                int[] prompt, int maxNew, TokenListener listener, ForwardCost cost) {
        this.cost = cost;
        this.model = model;
        this.target = target;
        this.sampler = sampler;
        this.greedy = greedy;
        this.vocab = model.vocabSize();
        this.options = options;
        this.listener = listener == null ? TokenListener.NONE : listener;
        this.promptLength = prompt.length;
        this.maxNew = maxNew;
        this.tokens = new int[target.capacity() + SCRATCH];
        System.arraycopy(prompt, 0, tokens, 0, prompt.length);
        this.count = prompt.length;
        this.probs = new float[vocab];
        this.residual = new float[vocab];
    }

    /** Zeroes the decoding counters and the profile (after the strategies' begin, which may prefill draft models). */
    void resetDecodeCounters() {
        targetForwards = 0;
        draftForwards = 0;
        proposed = 0;
        accepted = 0;
        steps = 0;
        profile.reset();
    }

    /** The newest committed token (no KV yet). */
    int last() {
        return tokens[count - 1];
    }

    /** Target cache length at a step start (= count - 1). */
    int base() {
        return count - 1;
    }

    int generated() {
        return count - promptLength;
    }

    /** Tokens still allowed before maxNewTokens. */
    int remaining() {
        return maxNew - generated();
    }

    boolean done() {
        return stopReason != null;
    }

    /**
     * Most draft tokens worth proposing this step: emitting more than {@code remaining()} is useless,
     * and the batch (x_last + drafts) must fit in the cache and the path scratch.
     */
    int draftBudget() {
        int room = target.capacity() - target.length() - 1;
        return Math.max(0, Math.min(Math.min(remaining() - 1, room), SCRATCH - 1));
    }

    /**
     * Appends a token; returns false when generation must stop (end of generation, listener, token limit,
     * or no room for the next step's row).
     */
    boolean commit(int token) {
        if (stopReason != null) return false;
        tokens[count++] = token;
        if (options.stopAtEndOfGeneration() && model.isEndOfGeneration(token)) {
            stopReason = StopReason.END_OF_GENERATION;
            return false;
        }
        if (!listener.onToken(token)) {
            stopReason = StopReason.LISTENER;
            return false;
        }
        if (generated() >= maxNew) {
            stopReason = StopReason.MAX_TOKENS;
            return false;
        }
        if (count - 1 >= target.capacity()) {
            stopReason = StopReason.CONTEXT_FULL;
            return false;
        }
        return true;
    }

    /** The next token for a logits row: greedy argmax or a sample, with history tokens[0..historyLength). */
    int pick(float[] logits, int offset, int historyLength) {
        return sampler.sample(logits, offset, tokens, historyLength);
    }

    /** The processed target distribution of a logits row into {@code out}. */
    void distribution(float[] logits, int offset, int historyLength, float[] out) {
        sampler.distribution(logits, offset, tokens, historyLength, out);
    }

    /** Target forward (counted, and timed into {@link #cost} and {@link #profile}). */
    float[] forward(int[] batch, int[] positions, AttentionMask mask, int[] logitRows) {
        targetForwards++;
        long t0 = System.nanoTime();
        float[] logits = target.forward(batch, positions, mask, logitRows);
        long elapsed = System.nanoTime() - t0;
        cost.record(batch.length, elapsed);
        profile.targetForward(batch.length, elapsed);
        lastForwardRows = batch.length;
        lastForwardNanos = elapsed;
        return logits;
    }

    /** Feeds x_last alone and returns its logits row (offset 0). */
    float[] forwardLast() {
        one[0] = last();
        onePos[0] = base();
        return forward(one, onePos, AttentionMask.causal(1), zero);
    }
}
