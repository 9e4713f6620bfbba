package dev.specula.engine.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rank-based BPE over symbol strings (llama.cpp {@code llm_tokenizer_bpe_session}): start from single symbols,
 * repeatedly merge the adjacent pair with the lowest merge rank (ties: leftmost), until no pair has a rank.
 * Symbols are interned to ids: vocabulary ids first, then extra ids for merge parts/results that are not
 * tokens (llama.cpp then emits the single-character tokens of such a piece, see {@link #finish}).
 * The merge loop uses a binary heap of (rank, left index) entries: O(n log n) per word.
 */
final class BpeMerger {
    private static final int DEAD = Integer.MIN_VALUE;

    private final Map<String, Integer> vocabIds;
    private final int vocabSize;
    private final Map<String, Integer> extraIds = new java.util.HashMap<>();
    private final java.util.ArrayList<String> extraStrings = new java.util.ArrayList<>();
    private final PairRankTable ranks;
    private final int[] mergedIdByRank;

    /**
     * @param vocabIds  token text -> id (the vocabulary's lookup; later duplicates already won)
     * @param vocabSize number of vocabulary ids
     * @param merges    merge rules in rank order, each {left, right}
     */
    BpeMerger(Map<String, Integer> vocabIds, int vocabSize, List<String[]> merges) {
        this.vocabIds = vocabIds;
        this.vocabSize = vocabSize;
        this.ranks = new PairRankTable(merges.size());
        this.mergedIdByRank = new int[merges.size()];
        for (int r = 0; r < merges.size(); r++) {
            String[] m = merges.get(r);
            int l = intern(m[0]);
            int rt = intern(m[1]);
            ranks.putIfAbsent(l, rt, r);
            mergedIdByRank[r] = intern(m[0] + m[1]);
        }
    }

    /** Id of a symbol string (vocabulary id, or an extra id >= vocabSize). */
    int intern(String s) {
        Integer id = vocabIds.get(s);
        if (id != null) return id;
        Integer e = extraIds.get(s);
        if (e != null) return e;
        int nid = vocabSize + extraStrings.size();
        extraStrings.add(s);
        extraIds.put(s, nid);
        return nid;
    }

    /** The vocabulary id of a string or -1. */
    int tokenId(String s) {
        Integer id = vocabIds.get(s);
        return id == null ? -1 : id;
    }

    /** Number of merge rules. */
    int mergeCount() {
        return mergedIdByRank.length;
    }

    /**
     * Merges a word given as initial symbol ids and returns the resulting symbol ids (possibly extra ids;
     * see {@link #finish}).
     */
    int[] merge(int[] symbols) {
        int n = symbols.length;
        if (n < 2) return symbols.clone();
        int[] ids = symbols.clone();
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        LongHeap heap = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            int r = ranks.rank(ids[i], ids[i + 1]);
            if (r >= 0) heap.push(entry(r, i));
        }
        while (!heap.isEmpty()) {
            long e = heap.pop();
            int r = (int) (e >>> 32);
            int left = (int) e;
            if (ids[left] == DEAD) continue;
            int right = next[left];
            if (right < 0 || ranks.rank(ids[left], ids[right]) != r) continue; // outdated entry
            ids[left] = mergedIdByRank[r];
            ids[right] = DEAD;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) {
                int pr = ranks.rank(ids[prev[left]], ids[left]);
                if (pr >= 0) heap.push(entry(pr, prev[left]));
            }
            if (next[left] >= 0) {
                int nr = ranks.rank(ids[left], ids[next[left]]);
                if (nr >= 0) heap.push(entry(nr, left));
            }
        }
        int count = 0;
        for (int i = 0; i >= 0; i = next[i]) count++;
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) out[k++] = ids[i];
        return out;
    }

    private static long entry(int rank, int left) {
        return ((long) rank << 32) | left;
    }

    /**
     * Appends the token ids for merged symbols: vocabulary ids as they are; a symbol that is no token is
     * replaced, like in llama.cpp, by the tokens of its single UTF-8 bytes that exist in the vocabulary.
     */
    void finish(int[] merged, IntList out) {
        for (int id : merged) {
            if (id < vocabSize) {
                out.add(id);
                continue;
            }
            byte[] bytes = extraStrings.get(id - vocabSize).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (byte b : bytes) {
                if (b < 0) continue; // a lone UTF-8 lead/continuation byte is never a valid token string
                Integer t = vocabIds.get(String.valueOf((char) b));
                if (t != null) out.add(t);
            }
        }
    }

    /** A min-heap of longs (rank in the high half, left index in the low half: lowest rank, then leftmost). */
    private static final class LongHeap {
        private long[] a;
        private int size;

        LongHeap(int cap) {
            a = new long[Math.max(4, cap)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == a.length) a = Arrays.copyOf(a, size * 2);
            int i = size++;
            while (i > 0) {
                int p = (i - 1) >>> 1;
                if (a[p] <= v) break;
                a[i] = a[p];
                i = p;
            }
            a[i] = v;
        }

        long pop() {
            long top = a[0];
            long last = a[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int c = 2 * i + 1;
                if (c + 1 < size && a[c + 1] < a[c]) c++;
                if (a[c] >= last) break;
                a[i] = a[c];
                i = c;
            }
            a[i] = last;
            return top;
        }
    }

    /** A bounded word cache (cleared when full) shared by encoding threads. */
    static final class WordCache {
        private static final int LIMIT = 200_000;
        private final ConcurrentHashMap<String, int[]> map = new ConcurrentHashMap<>();

        int[] get(String word) {
            return map.get(word);
        }

        void put(String word, int[] ids) {
            if (map.size() >= LIMIT) map.clear();
            map.put(word, ids);
        }
    }
}
