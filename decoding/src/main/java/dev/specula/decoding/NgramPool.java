package dev.specula.decoding;

import java.util.Arrays;

/**
 * Lookahead's n-gram pool: for each first token, up to G continuations of N-1 tokens, kept as a ring buffer
 * without duplicates (llama.cpp's policy: a new n-gram replaces the oldest one once G are stored).
 */
final class NgramPool {
    private final int capacity;
    private final int length;
    private final int[][] continuations;
    private final int[] counts;
    private final int[] nextSlot;
    private int stored;

    NgramPool(int vocab, int capacityPerKey, int continuationLength) {
        this.capacity = capacityPerKey;
        this.length = continuationLength;
        this.continuations = new int[vocab][];
        this.counts = new int[vocab];
        this.nextSlot = new int[vocab];
    }

    /** Adds {@code gram[off]} -> {@code gram[off+1 .. off+1+length)}; ignored when already present. */
    void add(int[] gram, int off) {
        if (capacity == 0) return;
        int key = gram[off];
        int[] store = continuations[key];
        if (store == null) continuations[key] = store = new int[capacity * length];
        int n = counts[key];
        for (int s = 0; s < n; s++) if (Arrays.equals(store, s * length, s * length + length, gram, off + 1, off + 1 + length)) return;
        int slot;
        if (n < capacity) {
            slot = n;
            counts[key] = n + 1;
            stored++;
        } else {
            slot = nextSlot[key];
            nextSlot[key] = (slot + 1) % capacity;
        }
        System.arraycopy(gram, off + 1, store, slot * length, length);
    }

    /** Number of continuations stored for {@code key}. */
    int count(int key) {
        return counts[key];
    }

    /** Token {@code i} of continuation {@code s} of {@code key}. */
    int token(int key, int s, int i) {
        return continuations[key][s * length + i];
    }

    int continuationLength() {
        return length;
    }

    /** Total stored n-grams. */
    int size() {
        return stored;
    }
}
