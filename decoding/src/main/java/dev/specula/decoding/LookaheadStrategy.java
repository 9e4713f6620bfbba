package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.sampling.Sampler;
import java.util.SplittableRandom;

/**
 * Lookahead decoding (Fu et al. 2024; doc §4). One forward holds up to three parts:
 * <ol>
 *   <li>the verification branch: x_last plus the pool n-grams keyed by x_last (the text's first, then the
 *       window's, each most recent first), merged into a trie;</li>
 *   <li>the lookahead window of N-1 levels: level 0 holds W-1 tokens at positions P+1..P+W-1, level l >= 1
 *       holds W tokens at P+l..P+l+W-1. Column i is one causal sequence: x_last, the level-0 tokens at
 *       P+1..P+i, then the column's token of each level;</li>
 *   <li>no row of the window sees the tree and vice versa.</li>
 * </ol>
 * Both parts are trees rooted at x_last, so the batch uses a tree attention mask.
 * The tree is walked by sample-and-match (exact for greedy and sampling). The last level's argmaxes close one
 * n-gram per column ([column token at P+i, levels 1..N-2, new token]), which goes into the pool, and the window
 * slides one step (LADE's rule). The pool is seeded with the prompt's n-grams (LADE POOL_FROM_PROMPT) and gets the
 * n-grams of all committed text. CPU-sized defaults (W=4, N=3, G=4: 16 rows at most).
 *
 * <p>Cost model ({@link LookaheadCostModel}, unless {@code fallbackToAr} is off): each step verifies the number of
 * pool n-grams b (0..G, the text's first) and their length d (1..N-1) that maximise expected tokens per forward cost
 * (b = 0: a plain AR step), learned for free from every step; the window joins that forward only while the extra
 * tokens its n-grams are measured to bring exceed its marginal cost, or as a rare probe. So a step is full window + verification, verification only, or
 * plain AR. With {@code fallbackToAr} off every step is a full window plus every candidate (the classic method).
 */
final class LookaheadStrategy implements Strategy {
    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final int w;
    private final int n;
    private final int g;
    private final NgramPool pool;
    private final SplittableRandom random;
    private final LookaheadCostModel costModel;
    private final PendingCandidates pending;
    private String lastCost = "";
    private final boolean fallback;
    /** level0[k] for k = 1..W-1 at index k (index 0 unused). */
    private final int[] level0;
    /** levels[l][i] for l = 1..N-2, column i. */
    private final int[][] levels;
    private final int[] gram;
    private final int[] newTokens;
    /** This step's candidates in priority order, N-1 tokens each, and the prefix each shares with an earlier one. */
    private final int[] candidates;
    private final int[] lcp;
    private final int[] order;
    private final ScratchInts batchTokens = new ScratchInts();
    private final ScratchInts batchPositions = new ScratchInts();
    private final ScratchInts batchParents = new ScratchInts();
    private final ScratchInts batchRows = new ScratchInts();
    private boolean initialised;
    /** The committed text's n-grams are in the pool up to (excluding) this position. */
    private int poolUpTo;
    private long windowSteps;
    private long verifySteps;
    private long arSteps;
    private long verifiedCandidates;

    LookaheadStrategy(DecodingModel target, DecodingOptions options, TreeVerifier verifier) {
        this.verifier = verifier;
        this.w = options.window();
        this.n = options.ngram();
        this.g = options.candidates();
        this.fallback = options.fallbackToAr();
        this.pool = new NgramPool(target.vocabSize(), g, n - 1);
        this.random = new SplittableRandom(options.seed());
        this.tree = new DraftTree(g * (n - 1) + 2);
        this.costModel = new LookaheadCostModel(g, n - 1);
        this.pending = new PendingCandidates(g, n - 1);
        this.level0 = new int[w];
        this.levels = new int[n - 1][w];
        this.gram = new int[n];
        this.newTokens = new int[w];
        this.candidates = new int[g * (n - 1)];
        this.lcp = new int[g];
        this.order = new int[g];
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.LOOKAHEAD;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        windowSteps = 0;
        verifySteps = 0;
        arSteps = 0;
        verifiedCandidates = 0;
        pending.clear();
        // seed the pool with the prompt's n-grams and the window with random prompt tokens (LADE)
        for (int i = 0; i + n <= st.count; i++) pool.add(st.tokens, i);
        poolUpTo = st.count;
        for (int k = 1; k < w; k++) level0[k] = st.tokens[random.nextInt(st.count)];
        for (int l = 1; l <= n - 2; l++)
            for (int i = 0; i < w; i++) levels[l][i] = st.tokens[random.nextInt(st.count)];
        initialised = true;
    }

    /** Rows of the window part of a forward. */
    private int windowRows() {
        return (w - 1) + w * (n - 2);
    }

    @Override
    public void step(DecodeState st) {
        if (!initialised) begin(st, 0);
        int key = st.last();
        int depth = Math.min(n - 1, st.draftBudget());
        int k = depth <= 0 ? 0 : pool.count(key);
        pending.add(pool, key, k, depth, st.count);
        int room = st.target.capacity() - st.base(); // most rows this forward may have
        gatherCandidates(key, k, depth);
        int b, d;
        boolean window;
        if (fallback) {
            b = costModel.chooseCandidates(st.cost, lcp, k, depth, room);
            d = costModel.chosenDepth();
            int treeRows = LookaheadCostModel.rows(lcp, b, d);
            window = depth > 0 && treeRows + windowRows() <= room && costModel.runWindow(st.cost, treeRows, windowRows());
        } else { // the classic method: every candidate and the window, as far as the context allows
            b = k;
            d = depth;
            while (b > 0 && LookaheadCostModel.rows(lcp, b, d) > room) b--;
            window = LookaheadCostModel.rows(lcp, b, d) + windowRows() <= room;
        }
        buildTree(key, b, d);
        if (window) {
            lookaheadStep(st);
            windowSteps++;
        } else {
            verifier.verify(st, tree);
            if (b > 0) verifySteps++; else arSteps++;
        }
        verifiedCandidates += b;
        costModel.stepDone(window);
        pending.resolve(st.tokens, st.count, costModel);
        // n-grams of the newly committed text (also text other strategies committed, under AUTO) feed the pool
        for (int i = Math.max(0, poolUpTo - n + 1); i + n <= st.count; i++) pool.add(st.tokens, i);
        poolUpTo = Math.max(poolUpTo, st.count);
    }

    /**
     * Copies the first {@code k} pool continuations of {@code key} in priority order (text n-grams first, most recent
     * first), {@code depth} tokens each, and the longest prefix each shares with an earlier one.
     */
    private void gatherCandidates(int key, int k, int depth) {
        if (k > 0) pool.priorityOrder(key, order);
        int stride = n - 1;
        for (int s = 0; s < k; s++) {
            for (int i = 0; i < depth; i++) candidates[s * stride + i] = pool.token(key, order[s], i);
            int shared = 0;
            for (int t = 0; t < s; t++) {
                int m = 0;
                while (m < depth && candidates[t * stride + m] == candidates[s * stride + m]) m++;
                shared = Math.max(shared, m);
            }
            lcp[s] = shared;
        }
    }

    /** Trie of x_last and the first {@code b} gathered candidates cut to {@code d} tokens. */
    private void buildTree(int key, int b, int d) {
        tree.reset(key);
        for (int s = 0; s < b; s++) tree.addPath(candidates, s * (n - 1), d, Integer.MAX_VALUE);
    }

    private void lookaheadStep(DecodeState st) {
        int base = st.base();
        int t = tree.size();
        int total = t + windowRows();
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
            pool.add(gram, 0, NgramPool.WINDOW);
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
        return String.format(java.util.Locale.ROOT,
                "window steps %d (probes %d), verification-only steps %d, AR steps %d, %.2f n-grams verified per step, %s, pool %d n-grams",
                windowSteps, costModel.probes(), verifySteps, arSteps,
                (double) verifiedCandidates / Math.max(1, windowSteps + verifySteps + arSteps), costModel.describe(g), pool.size())
                + "; " + lastCost;
    }
}
