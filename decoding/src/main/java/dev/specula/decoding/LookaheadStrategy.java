package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.sampling.Sampler;
import java.util.SplittableRandom;

/**
 * Lookahead decoding (Fu et al. 2024; doc §4). One forward holds three parts:
 * <ol>
 *   <li>the verification tree: x_last plus the pool n-grams keyed by x_last, merged into a trie;</li>
 *   <li>the lookahead window of N-1 levels: level 0 holds W-1 tokens at positions P+1..P+W-1, level l >= 1
 *       holds W tokens at P+l..P+l+W-1. Column i is one causal sequence: x_last, the level-0 tokens at
 *       P+1..P+i, then the column's token of each level;</li>
 *   <li>no row of the window sees the tree and vice versa.</li>
 * </ol>
 * Both parts are trees rooted at x_last, so the batch uses a tree attention mask.
 * The tree is walked by sample-and-match (exact for greedy and sampling). The last level's argmaxes close one
 * n-gram per column ([column token at P+i, levels 1..N-2, new token]), which goes into the pool, and the window
 * slides one step (LADE's rule). CPU-sized defaults (W=4, N=3, G=4: 16 rows at most).
 *
 * <p>Cost model ({@link DraftGate}): a lookahead forward of r rows costs c(r) AR forwards ({@link ForwardCost});
 * while the measured tokens per lookahead step do not exceed it, plain AR steps run (the pool keeps learning
 * from the committed text), probing a lookahead step after a doubling gap.
 */
final class LookaheadStrategy implements Strategy {
    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final int w;
    private final int n;
    private final int g;
    private final NgramPool pool;
    private final SplittableRandom random;
    private final DraftGate gate = new DraftGate();
    private String lastCost = "";
    private final boolean fallback;
    /** level0[k] for k = 1..W-1 at index k (index 0 unused). */
    private final int[] level0;
    /** levels[l][i] for l = 1..N-2, column i. */
    private final int[][] levels;
    private final int[] gram;
    private final int[] newTokens;
    private final ScratchInts batchTokens = new ScratchInts();
    private final ScratchInts batchPositions = new ScratchInts();
    private final ScratchInts batchParents = new ScratchInts();
    private final ScratchInts batchRows = new ScratchInts();
    private boolean initialised;
    private long lookaheadSteps;
    private long arSteps;

    LookaheadStrategy(DecodingModel target, DecodingOptions options, TreeVerifier verifier) {
        this.verifier = verifier;
        this.w = options.window();
        this.n = options.ngram();
        this.g = options.candidates();
        this.fallback = options.fallbackToAr();
        this.pool = new NgramPool(target.vocabSize(), g, n - 1);
        this.random = new SplittableRandom(options.seed());
        this.tree = new DraftTree(g * (n - 1) + 2);
        this.level0 = new int[w];
        this.levels = new int[n - 1][w];
        this.gram = new int[n];
        this.newTokens = new int[w];
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.LOOKAHEAD;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        lookaheadSteps = 0;
        arSteps = 0;
        // seed the pool with the prompt's n-grams and the window with random prompt tokens (LADE)
        for (int i = 0; i + n <= st.count; i++) pool.add(st.tokens, i);
        for (int k = 1; k < w; k++) level0[k] = st.tokens[random.nextInt(st.count)];
        for (int l = 1; l <= n - 2; l++)
            for (int i = 0; i < w; i++) levels[l][i] = st.tokens[random.nextInt(st.count)];
        initialised = true;
    }

    /** Rows of one lookahead forward for a tree of {@code treeSize} nodes. */
    private int rows(int treeSize) {
        return treeSize + (w - 1) + w * (n - 2);
    }

    @Override
    public void step(DecodeState st) {
        if (!initialised) begin(st, 0);
        int before = st.count;
        buildTree(st);
        int rows = rows(tree.size());
        boolean fits = st.base() + rows <= st.target.capacity();
        if (fits && (!fallback || gate.shouldDraft(st.cost, rows))) {
            lookaheadStep(st);
            lookaheadSteps++;
            gate.recordDraft(st.cost, rows, st.count - before);
        } else {
            tree.reset(st.last());
            verifier.verify(st, tree);
            arSteps++;
        }
        // n-grams of the newly committed text feed the pool too
        for (int i = Math.max(0, before - n + 1); i + n <= st.count; i++) pool.add(st.tokens, i);
    }

    private void buildTree(DecodeState st) {
        tree.reset(st.last());
        int depth = Math.min(n - 1, st.draftBudget());
        int key = st.last();
        for (int s = 0; s < pool.count(key) && depth > 0; s++) {
            for (int i = 0; i < depth; i++) gram[i] = pool.token(key, s, i);
            tree.addPath(gram, 0, depth, Integer.MAX_VALUE);
        }
    }

    private void lookaheadStep(DecodeState st) {
        int base = st.base();
        int t = tree.size();
        int total = rows(t);
        int[] tokens = batchTokens.get(total);
        int[] positions = batchPositions.get(total);
        int[] parents = batchParents.get(total);
        tree.tokensInto(tokens);
        tree.parentsInto(parents);
        for (int i = 0; i < t; i++) positions[i] = base + tree.depth(i);
        // The window is itself a tree hanging off x_last (row 0): level 0 is a chain x_last -> level0[1] -> ...
        // -> level0[W-1]; column i continues from level0[i] (x_last for i = 0) down its levels 1..N-2. Each
        // row therefore sees exactly x_last, the level-0 tokens left of its column and its column above it.
        int level0Row = t - 1; // row of level0[k] is level0Row + k
        for (int k = 1; k < w; k++) {
            int row = level0Row + k;
            tokens[row] = level0[k];
            positions[row] = base + k;
            parents[row] = k == 1 ? 0 : row - 1;
        }
        int firstLevelRow = t + (w - 1);
        for (int l = 1; l <= n - 2; l++) {
            for (int i = 0; i < w; i++) {
                int row = firstLevelRow + (l - 1) * w + i;
                tokens[row] = levels[l][i];
                positions[row] = base + l + i;
                parents[row] = l > 1 ? row - w : (i == 0 ? 0 : level0Row + i);
            }
        }
        int lastLevelRow = firstLevelRow + (n - 3) * w;
        int[] logitRows = batchRows.get(t + w);
        for (int i = 0; i < t; i++) logitRows[i] = i;
        for (int i = 0; i < w; i++) logitRows[t + i] = lastLevelRow + i;
        float[] logits = st.forward(tokens, positions, AttentionMask.tree(parents), logitRows);
        // the window's new tokens (argmax: they are only drafts) and the n-grams they close
        for (int i = 0; i < w; i++) {
            newTokens[i] = Sampler.argmax(logits, (t + i) * st.vocab, st.vocab);
            gram[0] = i == 0 ? st.last() : level0[i];
            for (int l = 1; l <= n - 2; l++) gram[l] = levels[l][i];
            gram[n - 1] = newTokens[i];
            pool.add(gram, 0);
        }
        // slide the window one step: level0 <- level1 without its first token, level l <- level l+1, last <- new
        for (int k = 1; k < w; k++) level0[k] = levels[1][k];
        for (int l = 1; l < n - 2; l++) System.arraycopy(levels[l + 1], 0, levels[l], 0, w);
        System.arraycopy(newTokens, 0, levels[n - 2], 0, w);
        verifier.walkAndCommit(st, tree, logits, base);
    }

    @Override
    public void end(DecodeState st) {
        lastCost = st.cost.describe();
    }

    @Override
    public String detail() {
        return String.format(java.util.Locale.ROOT, "lookahead steps %d (%.2f tok/step), AR fallback steps %d, probes %d, pool %d n-grams",
                lookaheadSteps, gate.tokensPerStep(), arSteps, gate.probes(), pool.size()) + "; " + lastCost;
    }
}
