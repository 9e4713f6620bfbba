package dev.specula.decoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prompt lookup / n-gram decoding (doc §6), llama.cpp-style. Each step finds the earlier occurrence in the text so
 * far (prompt and generated tokens) that shares the longest suffix with it (up to {@code lookupMaxNgram} tokens,
 * default 16: every n-gram size from long to 1 at once) and drafts the tokens that followed it; when the context has no
 * match of at least 2 tokens, an optional persistent tri-gram cache (llama.cpp's "dynamic" cache: at least 2
 * observations and >= 66% of them for the chosen successor) is tried before a single-token match.
 *
 * <p>Adaptive draft length ({@link DraftLengthModel}): the acceptance rate is tracked per match length (longer
 * matches are more reliable) from every step's outcome, and the verified length d maximises
 * E(d) / c(d+1) against the measured forward cost — up to {@code 3 * draftMax} tokens after long matches, and
 * d = 0 (a plain AR step) when no draft is expected to pay. With {@code fallbackToAr} off it always verifies
 * the whole draft, up to {@code draftMax} tokens (the classic fixed-length prompt lookup). The chain is verified by sample-and-match, exact
 * for greedy and sampling. After each generation the cache file, when configured, is updated with the
 * tri-grams of the prompt and output.
 */
final class LookupStrategy implements Strategy {
    private static final float CACHE_MIN_TOTAL = 2f;
    private static final float CACHE_MIN_SHARE = 0.66f;
    /** Acceptance buckets by match length: 1, 2, 3, 4-5, 6-8, 9-15, 16+, and cache drafts. */
    private static final int CACHE_BUCKET = 7;

    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final int[] draft;
    private final int maxDraft;
    private final int fixedDraft;
    private final boolean adaptive;
    private final int minContextMatch;
    private final int maxMatch;
    private final Path cacheFile;
    /** Prior acceptance per bucket: longer matches are more reliable (close to what the pycode models measure). */
    private final DraftLengthModel lengths = new DraftLengthModel(0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 0.5);
    private TrigramTable cache;
    private int cacheDrafts;
    private long draftedSteps;
    private long arSteps;
    private String lastCost = "";
    /** The planned step: the position it was planned at (-1: none), draft tokens found, their bucket, verified length. */
    private int plannedAt = -1;
    private int plannedDraft;
    private int plannedBucket;
    private int plannedLength;

    LookupStrategy(DecodingModel target, DecodingOptions options, TreeVerifier verifier) {
        this.verifier = verifier;
        this.adaptive = options.fallbackToAr();
        this.fixedDraft = options.draftMax();
        this.maxDraft = adaptive ? Math.min(3 * options.draftMax(), DecodeState.SCRATCH - 1) : options.draftMax();
        this.minContextMatch = Math.min(2, options.lookupMaxNgram());
        this.maxMatch = options.lookupMaxNgram();
        this.tree = new DraftTree(maxDraft + 2);
        this.draft = new int[maxDraft];
        this.cacheFile = options.lookupCache();
        if (cacheFile != null) {
            try {
                cache = Files.exists(cacheFile) ? TrigramTable.load(cacheFile, target.vocabSize()) : new TrigramTable();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the n-gram cache " + cacheFile + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.LOOKUP;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        draftedSteps = 0;
        arSteps = 0;
    }

    @Override
    public void step(DecodeState st) {
        plan(st);
        execute(st);
    }

    /**
     * Plans this step's draft without running it: finds the match, and the verified length d by the cost model.
     * Returns the expected tokens per unit of forward cost of the planned step, E(d) / c(d + 1) (1 for an AR step,
     * d = 0), which AUTO compares with its other drafters.
     */
    double plan(DecodeState st) {
        int budget = Math.min(maxDraft, st.draftBudget());
        int n = 0;
        int bucket = 0;
        long match = PromptLookup.longestMatch(st.tokens, st.count, maxMatch, maxDraft);
        int matchLength = match < 0 ? 0 : (int) (match >>> 32);
        if (matchLength >= minContextMatch || (matchLength > 0 && cache == null)) {
            int from = (int) match;
            n = Math.min(maxDraft, st.count - from);
            System.arraycopy(st.tokens, from, draft, 0, n);
            bucket = bucket(matchLength);
        } else if (cache != null) {
            n = draftFromCache(st.tokens, st.count, maxDraft);
            if (n > 0) {
                bucket = CACHE_BUCKET;
            } else if (matchLength > 0) {
                int from = (int) match;
                n = Math.min(maxDraft, st.count - from);
                System.arraycopy(st.tokens, from, draft, 0, n);
            }
        }
        int d = n == 0 ? 0 : adaptive ? lengths.choose(st.cost, bucket, Math.min(n, budget)) : Math.min(Math.min(n, budget), fixedDraft);
        plannedAt = st.count;
        plannedDraft = n;
        plannedBucket = bucket;
        plannedLength = d;
        return d == 0 ? 1 : expectedTokens(lengths.alpha(bucket), d) / st.cost.ratio(d + 1);
    }

    /** E(d) = 1 + a + ... + a^d: the accepted prefix of d drafts of per-token acceptance a, plus the bonus token. */
    static double expectedTokens(double alpha, int d) {
        double a = Math.min(alpha, 0.995), e = 1, p = 1;
        for (int i = 0; i < d; i++) {
            p *= a;
            e += p;
        }
        return e;
    }

    /** Runs the step {@link #plan} planned at the current position. */
    void execute(DecodeState st) {
        if (plannedAt != st.count) throw new IllegalStateException("lookup step planned at " + plannedAt + ", run at " + st.count);
        int d = plannedLength;
        tree.reset(st.last());
        int node = 0;
        for (int i = 0; i < d; i++) node = tree.addChild(node, draft[i]);
        int start = st.count;
        verifier.verify(st, tree);
        if (d > 0) draftedSteps++; else arSteps++;
        if (d > 0 && plannedBucket == CACHE_BUCKET) cacheDrafts++;
        learn(st, start);
    }

    /**
     * Learns from a step that started at {@code start} (this one's or another drafter's): the planned draft was
     * made for the positions from there, so its acceptance is measured against what was committed.
     */
    void learn(DecodeState st, int start) {
        if (plannedAt == start && plannedDraft > 0) lengths.observe(plannedBucket, draft, plannedDraft, st.tokens, start, st.count);
        plannedAt = -1;
    }

    /** Current acceptance estimate of a match-length bucket (0: 1 token ... 6: 16+, 7: cache drafts). */
    double alpha(int bucket) {
        return lengths.alpha(bucket);
    }

    static int bucket(int matchLength) {
        if (matchLength <= 3) return matchLength - 1;
        if (matchLength <= 5) return 3;
        if (matchLength <= 8) return 4;
        if (matchLength <= 15) return 5;
        return 6;
    }

    /** Greedy chain from the cache: follow the dominant successor of the last two tokens while it is confident. */
    private int draftFromCache(int[] tokens, int count, int budget) {
        if (count < 2) return 0;
        int a = tokens[count - 2], b = tokens[count - 1];
        int n = 0;
        while (n < budget) {
            int slot = cache.find(a, b);
            if (slot < 0) break;
            int best = cache.bestSuccessor(slot);
            float total = cache.totalWeight(slot);
            float w = cache.successorWeight(slot, best);
            if (total < CACHE_MIN_TOTAL || w < CACHE_MIN_SHARE * total) break;
            int c = cache.successorToken(slot, best);
            draft[n++] = c;
            a = b;
            b = c;
        }
        return n;
    }

    @Override
    public void end(DecodeState st) {
        lastCost = st.cost.describe();
        if (cache == null) return;
        cache.addAll(st.tokens, 0, st.count, 1f);
        try {
            cache.save(cacheFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the n-gram cache " + cacheFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String detail() {
        String steps = String.format(java.util.Locale.ROOT, "drafted steps %d, AR steps %d, alpha by match length 1/2/3/4+/6+/9+/16+ "
                + "%.2f/%.2f/%.2f/%.2f/%.2f/%.2f/%.2f", draftedSteps, arSteps, lengths.alpha(0), lengths.alpha(1),
                lengths.alpha(2), lengths.alpha(3), lengths.alpha(4), lengths.alpha(5), lengths.alpha(6));
        steps += "; " + lastCost;
        return cache == null ? steps : steps + ", cache keys " + cache.size() + ", cache-drafted steps " + cacheDrafts;
    }
}
