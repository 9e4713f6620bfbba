package dev.specula.decoding;

import java.util.Arrays;

/**
 * A token tree to verify: node 0 is the root (the newest committed token, x_last), every other node is a
 * drafted token whose parent has a smaller index. Reused across steps (no allocation once grown); children
 * are kept as first-child / next-sibling links so duplicate children are merged (a trie).
 */
final class DraftTree {
    private int[] tokens;
    private int[] parents;
    private int[] depths;
    private int[] firstChild;
    private int[] nextSibling;
    private int size;
    private int maxDepth;

    DraftTree(int initialCapacity) {
        int c = Math.max(2, initialCapacity);
        tokens = new int[c];
        parents = new int[c];
        depths = new int[c];
        firstChild = new int[c];
        nextSibling = new int[c];
    }

    /** Clears the tree to a single root holding {@code rootToken}. */
    void reset(int rootToken) {
        size = 1;
        maxDepth = 0;
        tokens[0] = rootToken;
        parents[0] = -1;
        depths[0] = 0;
        firstChild[0] = -1;
        nextSibling[0] = -1;
    }

    int size() {
        return size;
    }

    /** Deepest node's depth = most draft tokens one path can accept. */
    int maxDepth() {
        return maxDepth;
    }

    int token(int node) {
        return tokens[node];
    }

    int parent(int node) {
        return parents[node];
    }

    int depth(int node) {
        return depths[node];
    }

    /** The child of {@code node} carrying {@code token}, or -1. */
    int child(int node, int token) {
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) if (tokens[c] == token) return c;
        return -1;
    }

    /** First child of a node, or -1; iterate with {@link #nextSibling}. */
    int firstChild(int node) {
        return firstChild[node];
    }

    int nextSibling(int node) {
        return nextSibling[node];
    }

    /** Returns the child of {@code parent} with {@code token}, adding it when missing (duplicates merge). */
    int addChild(int parent, int token) {
        int existing = child(parent, token);
        if (existing >= 0) return existing;
        if (size == tokens.length) grow();
        int n = size++;
        tokens[n] = token;
        parents[n] = parent;
        depths[n] = depths[parent] + 1;
        firstChild[n] = -1;
        // append at the end of the sibling list so earlier candidates keep priority
        nextSibling[n] = -1;
        int c = firstChild[parent];
        if (c < 0) firstChild[parent] = n;
        else {
            while (nextSibling[c] >= 0) c = nextSibling[c];
            nextSibling[c] = n;
        }
        maxDepth = Math.max(maxDepth, depths[n]);
        return n;
    }

    /**
     * Inserts the path {@code path[off..off+len)} below the root, sharing existing prefixes. Stops early when
     * the tree would exceed {@code maxNodes}; returns how many path tokens are now in the tree.
     */
    int addPath(int[] path, int off, int len, int maxNodes) {
        int node = 0;
        for (int i = 0; i < len; i++) {
            int c = child(node, path[off + i]);
            if (c < 0) {
                if (size >= maxNodes) return i;
                c = addChild(node, path[off + i]);
            }
            node = c;
        }
        return len;
    }

    /** Copies the parent links in the engine's mask convention (root parent = -1) into {@code out[0..size)}. */
    void parentsInto(int[] out) {
        System.arraycopy(parents, 0, out, 0, size);
    }

    void tokensInto(int[] out) {
        System.arraycopy(tokens, 0, out, 0, size);
    }

    private void grow() {
        int c = tokens.length * 2;
        tokens = Arrays.copyOf(tokens, c);
        parents = Arrays.copyOf(parents, c);
        depths = Arrays.copyOf(depths, c);
        firstChild = Arrays.copyOf(firstChild, c);
        nextSibling = Arrays.copyOf(nextSibling, c);
    }
}
