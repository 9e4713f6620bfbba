package dev.specula.engine.model;

/**
 * One sequence being decoded: its KV cache and reusable scratch buffers. Not thread-safe. After the
 * first call of a given batch size, forward calls allocate nothing.
 *
 * <p>Cache rows {@code 0 .. length()-1} are committed; {@link #forward} appends rows, {@link #truncate}
 * rolls back, {@link #compact} keeps one path of a token tree that was fed with a tree mask.
 */
public final class ModelSession {
    private final LlamaModel model;
    private final KvCache cache;
    private final ForwardPass pass;
    private int length;
    // forwardChain scratch
    private int[] chainPositions = new int[1];
    private final int[] lastRow = new int[1];

    ModelSession(LlamaModel model, int capacity, KvCacheType cacheType) {
        if (capacity < 1) throw new IllegalArgumentException("session context length must be >= 1, got " + capacity);
        if (cacheType == null) throw new IllegalArgumentException("KV cache type is null");
        ModelConfig c = model.config();
        this.model = model;
        this.cache = KvCache.create(cacheType, c.layers(), capacity, c.kvDim());
        this.pass = new ForwardPass(model, cache, 16);
    }

    public LlamaModel model() {
        return model;
    }

    /** Committed cache rows. */
    public int length() {
        return length;
    }

    /** Maximum number of cache rows. */
    public int capacity() {
        return cache.capacity;
    }

    /** How keys and values are stored. */
    public KvCacheType cacheType() {
        return cache.type();
    }

    /** Bytes of the KV cache (allocated in full when the session was created). */
    public long cacheBytes() {
        return cache.bytes();
    }

    /**
     * Appends {@code tokens.length} rows at cache rows {@code length() ..}; row i is embedded at RoPE
     * position {@code positions[i]} and attends to every row cached before this call plus the new rows
     * j with {@code mask.allows(i, j)}. Returns an internal buffer (valid until the next call) whose
     * first {@code logitRows.length * vocab} floats hold the logits of the requested rows, row-major.
     *
     * @throws ContextOverflowException when the rows do not fit in the capacity
     */
    public float[] forward(int[] tokens, int[] positions, AttentionMask mask, int[] logitRows) {
        int n = validate(tokens, positions, mask, logitRows);
        if (length + n > cache.capacity) throw new ContextOverflowException(length, n, cache.capacity);
        float[] logits = pass.run(length, tokens, positions, mask, logitRows);
        length += n;
        return logits;
    }

    /** Feeds a causal chain at positions {@code length() ..}; returns the logits of the last row (first vocab floats). */
    public float[] forwardChain(int[] tokens) {
        if (tokens == null || tokens.length == 0) throw new IllegalArgumentException("no tokens to feed");
        int n = tokens.length;
        if (chainPositions.length != n) chainPositions = new int[n]; // forward wants one position per token
        int[] positions = chainPositions;
        for (int i = 0; i < n; i++) positions[i] = length + i;
        lastRow[0] = n - 1;
        return forward(tokens, positions, AttentionMask.causal(n), lastRow);
    }

    /** Rolls back to the first {@code newLength} rows. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length)
            throw new IllegalArgumentException("cannot truncate a session of length " + length + " to " + newLength);
        length = newLength;
    }

    /**
     * Keeps cache rows {@code base + keep[i]} (strictly increasing, each {@code < length() - base}),
     * moving them to {@code base + i}; the length becomes {@code base + keep.length}. Used to accept one
     * path of a token tree: the kept rows' keys carry the positions they were fed with.
     */
    public void compact(int base, int[] keep) {
        if (base < 0 || base > length) throw new IllegalArgumentException("compact base " + base + " outside [0, " + length + "]");
        int prev = -1;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i] <= prev || keep[i] >= length - base)
                throw new IllegalArgumentException("compact keep[" + i + "] = " + keep[i]
                        + "; entries must be strictly increasing and < " + (length - base));
            prev = keep[i];
        }
        for (int i = 0; i < keep.length; i++) cache.moveRow(base + keep[i], base + i);
        length = base + keep.length;
    }

    /** An independent copy of this sequence (same capacity, copied cache rows, own scratch). */
    public ModelSession fork() {
        ModelSession copy = new ModelSession(model, cache.capacity, cache.type());
        copy.cache.copyFrom(cache, length);
        copy.length = length;
        return copy;
    }

    private int validate(int[] tokens, int[] positions, AttentionMask mask, int[] logitRows) {
        if (tokens == null || positions == null || mask == null || logitRows == null)
            throw new IllegalArgumentException("forward needs tokens, positions, mask and logitRows (none may be null)");
        int n = tokens.length;
        if (n == 0) throw new IllegalArgumentException("forward needs at least one token");
        if (positions.length != n) throw new IllegalArgumentException(positions.length + " positions for " + n + " tokens");
        if (mask.size() != n) throw new IllegalArgumentException("mask of size " + mask.size() + " for " + n + " tokens");
        if (!mask.isLowerTriangular() && n > ForwardPass.MAX_ROWS_PER_PASS)
            throw new IllegalArgumentException("a mask that lets rows see later rows is limited to "
                    + ForwardPass.MAX_ROWS_PER_PASS + " rows, got " + n);
        int vocab = model.config().vocabSize();
        for (int i = 0; i < n; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab)
                throw new IllegalArgumentException("token " + tokens[i] + " at index " + i + " is outside the vocabulary [0, " + vocab + ")");
            if (positions[i] < 0) throw new IllegalArgumentException("negative position " + positions[i] + " at index " + i);
        }
        for (int i = 0; i < logitRows.length; i++) {
            if (logitRows[i] < 0 || logitRows[i] >= n)
                throw new IllegalArgumentException("logit row " + logitRows[i] + " at index " + i + " is outside the batch [0, " + n + ")");
        }
        return n;
    }
}
