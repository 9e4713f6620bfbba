package dev.specula.engine.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing hash table from a symbol pair (left id, right id) to its merge rank, without boxing.
 * The first insertion of a pair wins, like llama.cpp's {@code bpe_ranks.emplace}.
 */
final class PairRankTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final int[] ranks;
    private final int mask;

    PairRankTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        ranks = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Inserts unless present; returns false when the pair was already there. */
    boolean putIfAbsent(int left, int right, int rank) {
        long k = key(left, right);
        int i = hash(k) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == k) return false;
            i = (i + 1) & mask;
        }
        keys[i] = k;
        ranks[i] = rank;
        return true;
    }

    /** The rank of the pair, or -1. */
    int rank(int left, int right) {
        long k = key(left, right);
        int i = hash(k) & mask;
        long cur;
        while ((cur = keys[i]) != EMPTY) {
            if (cur == k) return ranks[i];
            i = (i + 1) & mask;
        }
        return -1;
    }
}
