package dev.specula.decoding;

/**
 * The pool candidates lookahead offered at recent positions, kept until the text they guessed is committed, then
 * compared with it ({@link LookaheadCostModel#observe}). Every step commits at least one token, so a candidate set of
 * depth d is resolved at most d steps later: a ring of a few preallocated slots, no allocation per step.
 */
final class PendingCandidates {
    private final int maxCandidates;
    private final int maxDepth;
    private final int[][] tokens;
    private final byte[][] origins;
    private final int[] counts;
    private final int[] depths;
    private final int[] starts;
    private final int[] matches;
    private final int[] order;
    private int head;
    private int size;

    PendingCandidates(int maxCandidates, int maxDepth) {
        this.maxCandidates = maxCandidates;
        this.maxDepth = maxDepth;
        int slots = maxDepth + 2;
        tokens = new int[slots][maxCandidates * maxDepth];
        origins = new byte[slots][maxCandidates];
        counts = new int[slots];
        depths = new int[slots];
        starts = new int[slots];
        matches = new int[maxCandidates];
        order = new int[maxCandidates];
    }

    /** Forgets everything (a new generation: the text changed). */
    void clear() {
        size = 0;
    }

    /**
     * Remembers the first {@code k} continuations (in {@link NgramPool#priorityOrder}, each {@code depth} tokens) the
     * pool holds for {@code key}, offered
     * for the positions from {@code start} on. The oldest pending set is dropped if the ring is full.
     */
    void add(NgramPool pool, int key, int k, int depth, int start) {
        k = Math.min(k, maxCandidates);
        depth = Math.min(depth, maxDepth);
        if (k <= 0 || depth <= 0) return;
        if (size == counts.length) {
            head = (head + 1) % counts.length;
            size--;
        }
        int slot = (head + size) % counts.length;
        size++;
        int[] t = tokens[slot];
        pool.priorityOrder(key, order);
        for (int s = 0; s < k; s++) {
            for (int i = 0; i < depth; i++) t[s * maxDepth + i] = pool.token(key, order[s], i);
            origins[slot][s] = pool.origin(key, order[s]);
        }
        counts[slot] = k;
        depths[slot] = depth;
        starts[slot] = start;
    }

    /**
     * Compares the pending sets, oldest first, with the committed text {@code text[0..count)} and feeds the model,
     * as soon as every candidate's match length is known: it mismatched a committed token, or all its positions are
     * committed (so failures are known after one token, and a failing drafter is noticed at once).
     */
    void resolve(int[] text, int count, LookaheadCostModel model) {
        while (size > 0) {
            int slot = head;
            int start = starts[slot], depth = depths[slot], k = counts[slot];
            int committed = Math.min(depth, count - start);
            int[] t = tokens[slot];
            int textBest = 0, windowBest = 0;
            for (int s = 0; s < k; s++) {
                int m = 0;
                while (m < committed && t[s * maxDepth + m] == text[start + m]) m++;
                if (m == committed && committed < depth) return; // still matching: wait for more text (later sets too)
                matches[s] = m;
                if (origins[slot][s] == NgramPool.TEXT) textBest = Math.max(textBest, m);
                else windowBest = Math.max(windowBest, m);
            }
            model.observe(matches, k, depth, Math.max(0, windowBest - textBest));
            head = (head + 1) % counts.length;
            size--;
        }
    }
}
