package dev.specula.decoding;

import java.util.SplittableRandom;

/**
 * ADED's draft search (doc §5.2), a PUCT tree search over tri-gram continuations. Starting from the key of the
 * last two tokens, each iteration descends by
 * {@code score = Q + (c1 + ln((N + c2 + 1) / c2)) * prior * sqrt(N) / (1 + n)} (N = parent visits, n = child
 * visits, prior = the tri-gram share of the child; unvisited children first), expands a leaf with all its
 * tri-gram successors, rolls out by sampling successors in proportion to their weights, and backs up the reward
 * 1 + sum of the rollout's transition priors. (The reference code reads the wrong table entry for the reward,
 * which makes it constant; here the reward is the intended one.) The most visited paths form the draft tree.
 */
final class TrigramSearch {
    private static final double C1 = 32;
    private static final double C2 = 8;

    private final int iterations;
    private final int maxDepth;
    private final SplittableRandom random;
    private final int capacity;
    private final int[] token;
    private final int[] parent;
    private final int[] depth;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] visits;
    private final double[] valueSum;
    private final double[] prior;
    private final boolean[] expanded;
    private final int[] order;
    private final int[] path;
    private int size;

    TrigramSearch(int iterations, int maxDepth, long seed) {
        this.iterations = iterations;
        this.maxDepth = maxDepth;
        this.random = new SplittableRandom(seed);
        this.capacity = 1 + iterations * TrigramTable.MAX_SUCCESSORS;
        token = new int[capacity];
        parent = new int[capacity];
        depth = new int[capacity];
        firstChild = new int[capacity];
        nextSibling = new int[capacity];
        visits = new int[capacity];
        valueSum = new double[capacity];
        prior = new double[capacity];
        expanded = new boolean[capacity];
        order = new int[capacity];
        path = new int[maxDepth + 1];
    }

    /**
     * Searches from key (a, b) and inserts the most visited paths into {@code tree} (whose root must already
     * hold b), at most {@code maxNodes} tree nodes besides the root and {@code depthLimit} tokens deep.
     */
    void draft(TrigramTable table, int a, int b, DraftTree tree, int maxNodes, int depthLimit) {
        int limit = Math.min(maxDepth, depthLimit);
        if (limit <= 0 || table.find(a, b) < 0) return;
        size = 0;
        rootPrevious = a;
        int root = newNode(b, -1, 1.0);
        for (int it = 0; it < iterations; it++) {
            int node = root;
            // selection
            while (expanded[node] && firstChild[node] >= 0 && depth[node] < limit) node = select(node);
            // expansion
            if (!expanded[node] && depth[node] < limit) {
                expand(table, node);
                int best = -1;
                for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) if (best < 0 || prior[c] > prior[best]) best = c;
                if (best >= 0) node = best;
            }
            double reward = 1 + rollout(table, node, limit);
            for (int x = node; x >= 0; x = parent[x]) {
                visits[x]++;
                valueSum[x] += reward;
            }
        }
        // most visited nodes first (ties: shallower, then earlier), each inserted with its whole path
        int count = 0;
        for (int i = 1; i < size; i++) if (visits[i] > 0) order[count++] = i;
        sortByVisits(count);
        for (int k = 0; k < count && tree.size() <= maxNodes; k++) {
            int node = order[k];
            int d = depth[node];
            for (int x = node; x > 0; x = parent[x]) path[depth[x] - 1] = token[x];
            tree.addPath(path, 0, d, maxNodes + 1);
        }
    }

    private int newNode(int tok, int par, double p) {
        int i = size++;
        token[i] = tok;
        parent[i] = par;
        depth[i] = par < 0 ? 0 : depth[par] + 1;
        firstChild[i] = -1;
        nextSibling[i] = -1;
        visits[i] = 0;
        valueSum[i] = 0;
        prior[i] = p;
        expanded[i] = false;
        if (par >= 0) {
            nextSibling[i] = firstChild[par];
            firstChild[par] = i;
        }
        return i;
    }

    private void expand(TrigramTable table, int node) {
        expanded[node] = true;
        int slot = table.find(node == 0 ? rootPrevious : token[parent[node]], token[node]);
        if (slot < 0) return;
        float total = table.totalWeight(slot);
        int n = table.successorCount(slot);
        if (size + n > capacity) return;
        for (int i = 0; i < n; i++) newNode(table.successorToken(slot, i), node, table.successorWeight(slot, i) / total);
    }

    /** The token before the root (first half of the root's key). */
    private int rootPrevious;

    private int select(int node) {
        double sqrtN = Math.sqrt(visits[node]);
        double explore = C1 + Math.log((visits[node] + C2 + 1) / C2);
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = firstChild[node]; c >= 0; c = nextSibling[c]) {
            double score = visits[c] == 0 ? Double.POSITIVE_INFINITY
                    : valueSum[c] / visits[c] + explore * prior[c] * sqrtN / (1 + visits[c]);
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    /** Samples successors from {@code node} until the depth limit; returns the sum of their transition priors. */
    private double rollout(TrigramTable table, int node, int limit) {
        double sum = 0;
        int a = node == 0 ? rootPrevious : token[parent[node]];
        int b = token[node];
        int slot = table.find(a, b);
        for (int d = depth[node]; d < limit && slot >= 0; d++) {
            float total = table.totalWeight(slot);
            double u = random.nextDouble() * total;
            int n = table.successorCount(slot);
            int pick = n - 1;
            double acc = 0;
            for (int i = 0; i < n; i++) {
                acc += table.successorWeight(slot, i);
                if (acc > u) {
                    pick = i;
                    break;
                }
            }
            sum += table.successorWeight(slot, pick) / total;
            int c = table.successorToken(slot, pick);
            a = b;
            b = c;
            slot = table.find(a, b);
        }
        return sum;
    }

    private void sortByVisits(int count) {
        // insertion sort: counts are small (<= a few hundred)
        for (int i = 1; i < count; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && before(x, order[j])) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    private boolean before(int x, int y) {
        if (visits[x] != visits[y]) return visits[x] > visits[y];
        if (depth[x] != depth[y]) return depth[x] < depth[y];
        return x < y;
    }
}
