package dev.specula.engine.model;

/**
 * Which of the rows fed in one {@link ModelSession#forward} call each row may attend to (rows already
 * in the cache before the call are always visible). Row and column indices are batch indices.
 * Causal masks need no storage; tree and explicit masks keep one bit per (row, column).
 */
public final class AttentionMask {
    private static final int CACHED_CAUSAL = 65;
    private static final AttentionMask[] CAUSAL = new AttentionMask[CACHED_CAUSAL];
    static {
        for (int n = 1; n < CACHED_CAUSAL; n++) CAUSAL[n] = new AttentionMask(n, null, true);
    }

    private final int size;
    /** Row-major bit matrix, {@code words} longs per row; null = causal. */
    private final long[] bits;
    private final int words;
    /** True when no row sees a later row (lets long batches be processed in chunks). */
    private final boolean lowerTriangular;

    private AttentionMask(int size, long[] bits, boolean lowerTriangular) {
        this.size = size;
        this.bits = bits;
        this.words = (size + 63) >>> 6;
        this.lowerTriangular = lowerTriangular;
    }

    /** Row i sees rows 0..i (a plain chain). */
    public static AttentionMask causal(int n) {
        if (n < 1) throw new IllegalArgumentException("mask size must be >= 1, got " + n);
        return n < CACHED_CAUSAL ? CAUSAL[n] : new AttentionMask(n, null, true);
    }

    /**
     * A token tree: {@code parents[i] < i} is the batch row of node i's parent, or -1 for a child of the
     * committed prefix. Row i sees itself and its ancestors.
     */
    public static AttentionMask tree(int[] parents) {
        int n = parents.length;
        if (n < 1) throw new IllegalArgumentException("tree mask needs at least one node");
        AttentionMask m = new AttentionMask(n, new long[n * ((n + 63) >>> 6)], true);
        for (int i = 0; i < n; i++) {
            int p = parents[i];
            if (p < -1 || p >= i)
                throw new IllegalArgumentException("tree parent of node " + i + " is " + p + "; it must be -1 or an earlier node (< " + i + ")");
            if (p >= 0) System.arraycopy(m.bits, p * m.words, m.bits, i * m.words, m.words);
            m.set(i, i);
        }
        return m;
    }

    /** An explicit mask; {@code allowed[i][j]}: row i sees row j. Every row must see itself. */
    public static AttentionMask of(boolean[][] allowed) {
        int n = allowed.length;
        if (n < 1) throw new IllegalArgumentException("mask needs at least one row");
        AttentionMask m = new AttentionMask(n, new long[n * ((n + 63) >>> 6)], true);
        boolean lower = true;
        for (int i = 0; i < n; i++) {
            if (allowed[i] == null || allowed[i].length != n)
                throw new IllegalArgumentException("mask row " + i + " has " + (allowed[i] == null ? "no" : allowed[i].length)
                        + " columns; the mask must be " + n + " x " + n);
            if (!allowed[i][i]) throw new IllegalArgumentException("mask row " + i + " does not see itself");
            for (int j = 0; j < n; j++) {
                if (allowed[i][j]) {
                    m.set(i, j);
                    if (j > i) lower = false;
                }
            }
        }
        return lower ? m : new AttentionMask(n, m.bits, false);
    }

    private void set(int row, int col) {
        bits[row * words + (col >>> 6)] |= 1L << (col & 63);
    }

    /** Row {@code row} may attend to batch row {@code col}. */
    public boolean allows(int row, int col) {
        if (row < 0 || row >= size || col < 0 || col >= size)
            throw new IndexOutOfBoundsException("mask of size " + size + " has no cell (" + row + ", " + col + ")");
        if (bits == null) return col <= row;
        return (bits[row * words + (col >>> 6)] & (1L << (col & 63))) != 0;
    }

    public int size() {
        return size;
    }

    public boolean isCausal() {
        return bits == null;
    }

    /** No row sees a later row. */
    public boolean isLowerTriangular() {
        return lowerTriangular;
    }
}
