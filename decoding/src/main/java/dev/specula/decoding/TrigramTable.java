package dev.specula.decoding;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;

/**
 * A sparse tri-gram table: for each key (a, b) of two consecutive tokens, up to {@link #MAX_SUCCESSORS} next
 * tokens with a weight (a count, or ADED's adaptive score). Open addressing over primitive arrays, so lookups
 * allocate nothing. When a key's successor list is full, a new successor replaces the lightest one if it is heavier.
 */
final class TrigramTable {
    static final int MAX_SUCCESSORS = 12;
    private static final int MAGIC = 0x53504e47; // "SPNG"
    private static final int VERSION = 1;
    private static final long EMPTY = -1L;

    private long[] keys;
    private int[] successorTokens;
    private float[] successorWeights;
    private int[] successorCounts;
    private int size;

    TrigramTable() {
        this(64);
    }

    private TrigramTable(int capacity) {
        int c = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        keys = new long[c];
        Arrays.fill(keys, EMPTY);
        successorTokens = new int[c * MAX_SUCCESSORS];
        successorWeights = new float[c * MAX_SUCCESSORS];
        successorCounts = new int[c];
    }

    /** Number of keys. */
    int size() {
        return size;
    }

    TrigramTable copy() {
        TrigramTable t = new TrigramTable(16);
        t.keys = keys.clone();
        t.successorTokens = successorTokens.clone();
        t.successorWeights = successorWeights.clone();
        t.successorCounts = successorCounts.clone();
        t.size = size;
        return t;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** The slot of key (a, b), or -1. */
    int find(int a, int b) {
        long k = key(a, b);
        int mask = keys.length - 1;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long v = keys[i];
            if (v == k) return i;
            if (v == EMPTY) return -1;
        }
    }

    private int findOrInsert(int a, int b) {
        if ((size + 1) * 2 > keys.length) rehash(keys.length * 2);
        long k = key(a, b);
        int mask = keys.length - 1;
        for (int i = hash(k) & mask; ; i = (i + 1) & mask) {
            long v = keys[i];
            if (v == k) return i;
            if (v == EMPTY) {
                keys[i] = k;
                successorCounts[i] = 0;
                size++;
                return i;
            }
        }
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldTokens = successorTokens;
        float[] oldWeights = successorWeights;
        int[] oldCounts = successorCounts;
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        successorTokens = new int[capacity * MAX_SUCCESSORS];
        successorWeights = new float[capacity * MAX_SUCCESSORS];
        successorCounts = new int[capacity];
        int mask = capacity - 1;
        for (int s = 0; s < oldKeys.length; s++) {
            long k = oldKeys[s];
            if (k == EMPTY) continue;
            int i = hash(k) & mask;
            while (keys[i] != EMPTY) i = (i + 1) & mask;
            keys[i] = k;
            successorCounts[i] = oldCounts[s];
            System.arraycopy(oldTokens, s * MAX_SUCCESSORS, successorTokens, i * MAX_SUCCESSORS, MAX_SUCCESSORS);
            System.arraycopy(oldWeights, s * MAX_SUCCESSORS, successorWeights, i * MAX_SUCCESSORS, MAX_SUCCESSORS);
        }
    }

    int successorCount(int slot) {
        return successorCounts[slot];
    }

    int successorToken(int slot, int i) {
        return successorTokens[slot * MAX_SUCCESSORS + i];
    }

    float successorWeight(int slot, int i) {
        return successorWeights[slot * MAX_SUCCESSORS + i];
    }

    /** Sum of the successor weights of a slot. */
    float totalWeight(int slot) {
        float t = 0;
        int base = slot * MAX_SUCCESSORS;
        for (int i = 0; i < successorCounts[slot]; i++) t += successorWeights[base + i];
        return t;
    }

    /** Index (within the slot) of the heaviest successor; ties: the earliest added. -1 when none. */
    int bestSuccessor(int slot) {
        int n = successorCounts[slot];
        int base = slot * MAX_SUCCESSORS;
        int best = -1;
        float bestWeight = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (successorWeights[base + i] > bestWeight) {
                bestWeight = successorWeights[base + i];
                best = i;
            }
        }
        return best;
    }

    /** Adds {@code delta} to the weight of (a, b) -> c, creating it; the weight is capped at {@code cap}. */
    void add(int a, int b, int c, float delta, float cap) {
        int slot = findOrInsert(a, b);
        int base = slot * MAX_SUCCESSORS;
        int n = successorCounts[slot];
        for (int i = 0; i < n; i++) {
            if (successorTokens[base + i] == c) {
                successorWeights[base + i] = Math.min(cap, successorWeights[base + i] + delta);
                return;
            }
        }
        float w = Math.min(cap, delta);
        if (n < MAX_SUCCESSORS) {
            successorTokens[base + n] = c;
            successorWeights[base + n] = w;
            successorCounts[slot] = n + 1;
            return;
        }
        int lightest = 0;
        for (int i = 1; i < n; i++) if (successorWeights[base + i] < successorWeights[base + lightest]) lightest = i;
        if (successorWeights[base + lightest] < w) {
            successorTokens[base + lightest] = c;
            successorWeights[base + lightest] = w;
        }
    }

    /** Adds {@code delta} (uncapped) to every tri-gram of {@code tokens[from..to)}. */
    void addAll(int[] tokens, int from, int to, float delta) {
        for (int i = from; i + 2 < to; i++) add(tokens[i], tokens[i + 1], tokens[i + 2], delta, Float.MAX_VALUE);
    }

    /** Adds every tri-gram of {@code other} into this table (weights summed). */
    void merge(TrigramTable other) {
        for (int s = 0; s < other.keys.length; s++) {
            long k = other.keys[s];
            if (k == EMPTY) continue;
            int a = (int) (k >>> 32), b = (int) k;
            for (int i = 0; i < other.successorCounts[s]; i++)
                add(a, b, other.successorTokens[s * MAX_SUCCESSORS + i], other.successorWeights[s * MAX_SUCCESSORS + i], Float.MAX_VALUE);
        }
    }

    /** Writes the table atomically (temp file + move). */
    void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp)))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(size);
            for (int s = 0; s < keys.length; s++) {
                if (keys[s] == EMPTY) continue;
                out.writeLong(keys[s]);
                int n = successorCounts[s];
                out.writeByte(n);
                for (int i = 0; i < n; i++) {
                    out.writeInt(successorTokens[s * MAX_SUCCESSORS + i]);
                    out.writeFloat(successorWeights[s * MAX_SUCCESSORS + i]);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a table written by {@link #save}; every token id must be below {@code vocabSize}.
     *
     * @throws NgramCacheFormatException naming the file and byte offset of the first inconsistency
     */
    static TrigramTable load(Path file, int vocabSize) throws IOException {
        long fileSize = Files.size(file);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            long offset = 0;
            int magic = in.readInt();
            if (magic != MAGIC) throw new NgramCacheFormatException(file, 0, String.format("bad magic 0x%08x (expected 0x%08x)", magic, MAGIC));
            int version = in.readInt();
            if (version != VERSION) throw new NgramCacheFormatException(file, 4, "unsupported version " + version + " (expected " + VERSION + ")");
            int n = in.readInt();
            offset = 12;
            // each key takes at least 9 bytes: refuse counts the file cannot hold before allocating
            if (n < 0 || (long) n * 9 > fileSize - 12)
                throw new NgramCacheFormatException(file, 8, "key count " + n + " does not fit in a file of " + fileSize + " bytes");
            TrigramTable t = new TrigramTable(2 * n + 2);
            for (int k = 0; k < n; k++) {
                long key = in.readLong();
                int a = (int) (key >>> 32), b = (int) key;
                if (a < 0 || a >= vocabSize || b < 0 || b >= vocabSize)
                    throw new NgramCacheFormatException(file, offset, "key (" + a + ", " + b + ") is outside the vocabulary of " + vocabSize);
                int count = in.readUnsignedByte();
                if (count > MAX_SUCCESSORS)
                    throw new NgramCacheFormatException(file, offset + 8, "successor count " + count + " exceeds " + MAX_SUCCESSORS);
                offset += 9;
                for (int i = 0; i < count; i++) {
                    int c = in.readInt();
                    float w = in.readFloat();
                    if (c < 0 || c >= vocabSize)
                        throw new NgramCacheFormatException(file, offset, "successor token " + c + " is outside the vocabulary of " + vocabSize);
                    if (!(w >= 0) || Float.isInfinite(w))
                        throw new NgramCacheFormatException(file, offset + 4, "successor weight " + w + " is not a finite value >= 0");
                    t.add(a, b, c, w, Float.MAX_VALUE);
                    offset += 8;
                }
            }
            if (in.read() != -1) throw new NgramCacheFormatException(file, offset, "trailing bytes after " + n + " keys");
            return t;
        } catch (EOFException e) {
            throw new NgramCacheFormatException(file, fileSize, "file ends early (truncated)");
        }
    }
}
