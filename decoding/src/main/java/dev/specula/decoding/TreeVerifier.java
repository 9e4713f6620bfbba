package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;

/**
 * Scores a {@link DraftTree} in one batched target forward (tree attention mask, each node at position
 * base + depth) and walks it with sample-and-match (doc §7): at each node the target picks a token from that
 * node's row (greedy argmax, or one sample from the processed distribution); if a child carries it the walk
 * descends, otherwise that pick is the correction / bonus token. Exact for greedy and for sampling, because
 * each emitted token is drawn from the target's distribution given exactly the tokens before it.
 * The accepted path is compacted into contiguous cache rows; the final pick gets no KV (it is the next x_last).
 */
final class TreeVerifier {
    private final ScratchInts batchTokens = new ScratchInts();
    private final ScratchInts batchPositions = new ScratchInts();
    private final ScratchInts batchParents = new ScratchInts();
    private final ScratchInts batchRows = new ScratchInts();
    private final ScratchInts keepRows = new ScratchInts();
    private int[] path = new int[64];

    /** Scores the tree and commits the accepted path plus one token. Returns the number of committed tokens. */
    int verify(DecodeState st, DraftTree tree) {
        int n = tree.size();
        int base = st.base();
        int[] batch = batchTokens.get(n);
        int[] positions = batchPositions.get(n);
        int[] parents = batchParents.get(n);
        tree.tokensInto(batch);
        tree.parentsInto(parents);
        for (int i = 0; i < n; i++) positions[i] = base + tree.depth(i);
        AttentionMask mask = isChain(parents, n) ? AttentionMask.causal(n) : AttentionMask.tree(parents);
        float[] logits = st.forward(batch, positions, mask, batchRows.iota(n));
        return walkAndCommit(st, tree, logits, base);
    }

    /**
     * Walks a tree whose node i was scored as batch row i with logits at {@code i * vocab} and cache row
     * {@code base + i}; compacts the cache to the accepted path and commits it plus the final pick.
     */
    int walkAndCommit(DecodeState st, DraftTree tree, float[] logits, int base) {
        int vocab = st.vocab;
        int node = 0;
        int depth = 0;
        if (path.length < tree.maxDepth() + 1) path = new int[tree.maxDepth() + 1];
        path[0] = 0;
        int finalToken;
        while (true) {
            // history = committed tokens + the accepted path so far (written into the scratch after count)
            int t = st.pick(logits, node * vocab, st.count + depth);
            int c = tree.child(node, t);
            if (c < 0) {
                finalToken = t;
                break;
            }
            st.tokens[st.count + depth] = t;
            depth++;
            path[depth] = c;
            node = c;
        }
        keepPath(st, base, depth);
        st.proposed += tree.maxDepth();
        st.accepted += depth;
        return commitPath(st, depth, finalToken);
    }

    /** Leaves the cache holding the committed rows plus the accepted path rows {@code path[0..depth]}. */
    private void keepPath(DecodeState st, int base, int depth) {
        boolean prefix = true;
        for (int i = 0; i <= depth; i++) if (path[i] != i) { prefix = false; break; }
        if (prefix) {
            st.target.truncate(base + depth + 1);
        } else {
            int[] keep = keepRows.get(depth + 1);
            System.arraycopy(path, 0, keep, 0, depth + 1);
            st.target.compact(base, keep);
        }
    }

    /** Commits the {@code accepted} path tokens already written at tokens[count..] and then {@code last}. */
    static int commitPath(DecodeState st, int accepted, int last) {
        int committed = 0;
        int start = st.count;
        for (int i = 0; i < accepted; i++) {
            committed++;
            if (!st.commit(st.tokens[start + i])) return committed;
        }
        committed++;
        st.commit(last);
        return committed;
    }

    /** Commits the {@code n} tokens already written at tokens[count..count+n); returns how many were committed. */
    static int commitWritten(DecodeState st, int n) {
        int start = st.count;
        for (int i = 0; i < n; i++) if (!st.commit(st.tokens[start + i])) return i + 1;
        return n;
    }

    private static boolean isChain(int[] parents, int n) {
        for (int i = 0; i < n; i++) if (parents[i] != i - 1) return false;
        return true;
    }
}
