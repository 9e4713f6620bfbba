package dev.specula.decoding;

import java.util.SplittableRandom;

/**
 * Jacobi decoding with a KV cache (doc §3.1). Greedy only: the fixed point of the iteration is the greedy AR
 * output, and there is no lossless sampling variant, so the constructor refuses a sampling configuration.
 *
 * <p>Each step scores the block [x_last, g_1..g_k] causally, takes the argmax of every row, accepts the guesses
 * that equal the argmax of the row before them (they were predicted from an all-correct prefix) plus the first
 * argmax after them, and keeps the remaining argmaxes (computed from partly wrong contexts) as the next step's
 * guesses: the Jacobi update. Missing guesses are filled with tokens drawn from the text so far.
 */
final class JacobiStrategy implements Strategy {
    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final int block;
    private final SplittableRandom random;
    private final int[] guesses;
    private final int[] predictions;
    private final ScratchInts batchTokens = new ScratchInts();
    private final ScratchInts batchPositions = new ScratchInts();
    private final ScratchInts batchRows = new ScratchInts();
    private int carried;

    JacobiStrategy(boolean greedy, DecodingOptions options, TreeVerifier verifier) {
        if (!greedy)
            throw new IllegalArgumentException("JACOBI decoding is greedy-only (its fixed point is the greedy output; there is no "
                    + "lossless sampling variant): use temperature 0, or LOOKAHEAD / LOOKUP / SPECULATIVE for sampling");
        this.verifier = verifier;
        this.block = options.jacobiBlock();
        this.random = new SplittableRandom(options.seed());
        this.guesses = new int[block];
        this.predictions = new int[block + 1];
        this.tree = new DraftTree(2);
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.JACOBI;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        carried = 0;
    }

    @Override
    public void step(DecodeState st) {
        int k = Math.min(block - 1, st.draftBudget());
        if (k <= 0) {
            tree.reset(st.last());
            verifier.verify(st, tree);
            carried = 0;
            return;
        }
        int c = st.count;
        int base = st.base();
        for (int i = Math.min(carried, k); i < k; i++) guesses[i] = st.tokens[random.nextInt(c)];
        int n = k + 1;
        int[] batch = batchTokens.get(n);
        int[] positions = batchPositions.get(n);
        batch[0] = st.last();
        System.arraycopy(guesses, 0, batch, 1, k);
        System.arraycopy(guesses, 0, st.tokens, c, k); // history of each row for penalties
        for (int i = 0; i < n; i++) positions[i] = base + i;
        float[] logits = st.forward(batch, positions, dev.specula.engine.model.AttentionMask.causal(n), batchRows.iota(n));
        for (int i = 0; i < n; i++) predictions[i] = st.pick(logits, i * st.vocab, c + i);
        int m = 0;
        while (m < k && predictions[m] == guesses[m]) m++;
        st.target.truncate(base + 1 + m);
        st.proposed += k;
        st.accepted += m;
        // Jacobi update: the predictions after the first wrong guess become the next guesses
        carried = k - m;
        System.arraycopy(predictions, m + 1, guesses, 0, carried);
        TreeVerifier.commitPath(st, m, predictions[m]);
    }
}
