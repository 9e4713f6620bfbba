package dev.specula.decoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prompt lookup / n-gram decoding (doc §6). Drafts a chain from the earliest earlier occurrence of the current
 * suffix (2..maxNgram tokens); when the context has none, falls back to an optional persistent tri-gram cache (llama.cpp's
 * "dynamic" cache: strict thresholds, at least 2 observations and >= 66% of them for the chosen successor).
 * and last to a single-token context match. The chain is verified by sample-and-match, which is exact for greedy and sampling. After each generation the
 * cache file, when configured, is updated with the tri-grams of the prompt and output.
 */
final class LookupStrategy implements Strategy {
    private static final float CACHE_MIN_TOTAL = 2f;
    private static final float CACHE_MIN_SHARE = 0.66f;

    private final TreeVerifier verifier;
    private final DraftTree tree;
    private final int[] draft;
    private final int maxDraft;
    private final int maxNgram;
    private final Path cacheFile;
    private TrigramTable cache;
    private int cacheDrafts;

    LookupStrategy(DecodingModel target, DecodingOptions options, TreeVerifier verifier) {
        this.verifier = verifier;
        this.maxDraft = options.draftMax();
        this.maxNgram = options.lookupMaxNgram();
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
    public void step(DecodeState st) {
        int budget = Math.min(maxDraft, st.draftBudget());
        // a context match of >= 2 tokens, else the cache (when confident), else a single-token context match
        int n = PromptLookup.draft(st.tokens, st.count, maxNgram, Math.min(2, maxNgram), budget, draft);
        if (n == 0 && cache != null) {
            n = draftFromCache(st.tokens, st.count, budget);
            if (n > 0) cacheDrafts++;
        }
        if (n == 0) n = PromptLookup.draft(st.tokens, st.count, 1, 1, budget, draft);
        tree.reset(st.last());
        int node = 0;
        for (int i = 0; i < n; i++) node = tree.addChild(node, draft[i]);
        verifier.verify(st, tree);
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
        return cache == null ? "" : "cache keys " + cache.size() + ", cache-drafted steps " + cacheDrafts;
    }
}
