package dev.specula.decoding;

/**
 * Lookahead's n-gram pool: for each first token, up to G continuations of N-1 tokens, without duplicates, kept in
 * recency order (LADE's LRU policy): continuation 0 is the most recently added or re-seen one, and a new n-gram
 * replaces the least recent once G are stored.
 *
 * <p>Each continuation remembers where it came from: {@link #TEXT} (the prompt or committed output: prompt lookup
 * would know it too) or {@link #WINDOW} (produced by the lookahead window's Jacobi iteration). An n-gram the window
 * produced that later also occurs in the text becomes {@link #TEXT}: the window did not add it. The lookahead cost
 * model credits the window with the tokens only window n-grams would have verified, and verification tries the
 * text's n-grams first ({@link #priorityOrder}).
 */
final class NgramPool {
    static final byte TEXT = 0;
    static final byte WINDOW = 1;
    private final int capacity;
    private final int length;
    private final int[][] continuations;
    private final byte[][] origins;
    private final int[] counts;
    private int stored;

    NgramPool(int vocab, int capacityPerKey, int continuationLength) {
        this.capacity = capacityPerKey;
        this.length = continuationLength;
        this.continuations = new int[vocab][];
        this.origins = new byte[vocab][];
        this.counts = new int[vocab];
    }

    /** Adds {@code gram[off]} -> {@code gram[off+1 .. off+1+length)} from the text; see {@link #add(int[], int, byte)}. */
    void add(int[] gram, int off) {
        add(gram, off, TEXT);
    }

    /**
     * Adds {@code gram[off]} -> {@code gram[off+1 .. off+1+length)} as the most recent continuation of its key; an
     * n-gram already stored moves to the front (and becomes {@link #TEXT} when seen in the text).
     */
    void add(int[] gram, int off, byte origin) {
        if (capacity == 0) return;
        int key = gram[off];
        int[] store = continuations[key];
        if (store == null) { // once per distinct key, not per token
            continuations[key] = store = new int[capacity * length];
            origins[key] = new byte[capacity];
        }
        byte[] from = origins[key];
        int n = counts[key];
        int found = n;
        for (int s = 0; s < n && found == n; s++) {
            int base = s * length;
            int i = 0;
            while (i < length && store[base + i] == gram[off + 1 + i]) i++;
            if (i == length) found = s;
        }
        byte o = origin;
        if (found < n) {
            if (from[found] == TEXT) o = TEXT;
        } else if (n < capacity) {
            counts[key] = ++n;
            stored++;
            found = n - 1;
        } else {
            found = n - 1; // the least recent one is replaced
        }
        // shift continuations 0..found-1 one place back, then write this one at the front
        System.arraycopy(store, 0, store, length, found * length);
        System.arraycopy(from, 0, from, 1, found);
        System.arraycopy(gram, off + 1, store, 0, length);
        from[0] = o;
    }

    /**
     * Writes the slots of {@code key}'s continuations in verification priority order into {@code out} and returns
     * how many: the text's n-grams first, then the window's, each most recent first (a text n-gram is known to occur;
     * the window's are guesses of an iteration that may not have converged).
     */
    int priorityOrder(int key, int[] out) {
        int n = counts[key];
        int m = 0;
        for (int s = 0; s < n; s++) if (origins[key][s] == TEXT) out[m++] = s;
        for (int s = 0; s < n; s++) if (origins[key][s] != TEXT) out[m++] = s;
        return n;
    }

    /** Number of continuations stored for {@code key}. */
    int count(int key) {
        return counts[key];
    }

    /** Token {@code i} of continuation {@code s} of {@code key} (s = 0: the most recent). */
    int token(int key, int s, int i) {
        return continuations[key][s * length + i];
    }

    /** {@link #TEXT} or {@link #WINDOW}: where continuation {@code s} of {@code key} came from. */
    byte origin(int key, int s) {
        return origins[key][s];
    }

    int continuationLength() {
        return length;
    }

    /** Total stored n-grams. */
    int size() {
        return stored;
    }
}
