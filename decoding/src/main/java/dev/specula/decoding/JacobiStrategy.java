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
 *
 * <p>Cost model ({@link DraftLengthModel}, unless {@code fallbackToAr} is off): the per-position acceptance alpha of
 * the guesses is learned on every step, AR steps included, by comparing the guesses with the tokens then committed at
 * their positions (a free probe); the step verifies the k guesses maximising E(k) / c(k+1), and k = 0 is a plain AR
 * step (the carried guesses shift along). c comes from {@link ForwardCost}, measured per row count, so on a CPU where
 * c(2) ~ 1.1 a guess must be accepted more than ~15 % of the time before a Jacobi step runs; a model whose
 * iteration does not converge therefore runs AR steps, with the same single-row forward as AR and O(block) work.
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
    /**
     * Prior guess acceptance 0.1 (worth 2 trials): vanilla Jacobi on a model not trained for it accepts a few
     * percent of its guesses (~1.05x at best, doc §3.1), so a Jacobi step runs only once the free probes measure more.
     */
    private final DraftLengthModel lengths = new DraftLengthModel(0.1);
    private final int[] shadow;
    private String lastCost = "";
    private final boolean fallback;
    private int carried;
    private long jacobiSteps;
    private long arSteps;

    JacobiStrategy(boolean greedy, DecodingOptions options, TreeVerifier verifier) {
        if (!greedy)
            throw new IllegalArgumentException("JACOBI decoding is greedy-only (its fixed point is the greedy output; there is no "
                    + "lossless sampling variant): use temperature 0, or LOOKAHEAD / LOOKUP / SPECULATIVE for sampling");
        this.verifier = verifier;
        this.block = options.jacobiBlock();
        this.random = new SplittableRandom(options.seed());
        this.guesses = new int[block];
        this.predictions = new int[block + 1];
        this.shadow = new int[block];
        this.tree = new DraftTree(2);
        this.fallback = options.fallbackToAr();
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.JACOBI;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        carried = 0;
        jacobiSteps = 0;
        arSteps = 0;
    }

    @Override
    public void step(DecodeState st) {
        int kMax = Math.min(block - 1, st.draftBudget());
        int c = st.count;
        for (int i = Math.min(carried, kMax); i < kMax; i++) guesses[i] = st.tokens[random.nextInt(c)];
        carried = Math.max(carried, kMax);
        int k = kMax <= 0 ? 0 : fallback ? lengths.choose(st.cost, 0, kMax) : kMax;
        System.arraycopy(guesses, 0, shadow, 0, kMax);
        if (k == 0) arStep(st);
        else jacobiStep(st, k);
        // the guesses were made for the positions from c on: learn their acceptance from what was committed there
        // (free on AR steps too, so a Jacobi step is only paid for when it is expected to pay)
        lengths.observe(0, shadow, kMax, st.tokens, c, st.count);
    }

    private void jacobiStep(DecodeState st, int k) {
        int c = st.count;
        int base = st.base();
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
        jacobiSteps++;
    }

    /** One plain AR step; the carried guesses move one position on (the first one is now committed). */
    private void arStep(DecodeState st) {
        tree.reset(st.last());
        verifier.verify(st, tree);
        arSteps++;
        if (carried > 0) {
            System.arraycopy(guesses, 1, guesses, 0, carried - 1);
            carried--;
        }
    }

    @Override
    public void end(DecodeState st) {
        lastCost = st.cost.describe();
    }

    @Override
    public String detail() {
        return String.format(java.util.Locale.ROOT, "Jacobi steps %d, AR fallback steps %d, guess acceptance %.3f",
                jacobiSteps, arSteps, lengths.alpha(0)) + "; " + lastCost;
    }
}
