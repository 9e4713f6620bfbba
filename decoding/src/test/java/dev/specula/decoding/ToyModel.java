package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import java.util.Arrays;

/**
 * A tiny synthetic language model whose next-token logits are a seeded hash of the last three visible tokens,
 * so exact distributions can be enumerated. Its sequences behave like a KV cache and check the engine contract
 * strictly: every cached row remembers the context it was computed with, and a forward fails when a row would
 * attend to a cache whose rows do not form one consistent chain (a rollback/compaction bug) or when a row's
 * position is not the number of tokens it sees (a RoPE position bug).
 */
final class ToyModel implements DecodingModel {
    private final String name;
    private final int vocab;
    private final long sharedSeed;
    private final long ownSeed;
    private final double ownWeight;
    private final double sharpness;
    int forwards;
    long rowsScored;
    /** compact() calls that moved rows (a tree path that was not the first branch). */
    int movingCompactions;

    /**
     * @param sharedSeed seed of the component shared with other toy models built with the same value
     * @param ownSeed    seed of this model's own component
     * @param ownWeight  weight of the own component (0 = identical to any other model with the same sharedSeed)
     * @param sharpness  logit scale (larger = more peaked distributions)
     */
    ToyModel(String name, int vocab, long sharedSeed, long ownSeed, double ownWeight, double sharpness) {
        this.name = name;
        this.vocab = vocab;
        this.sharedSeed = sharedSeed;
        this.ownSeed = ownSeed;
        this.ownWeight = ownWeight;
        this.sharpness = sharpness;
    }

    @Override public String name() { return name; }
    @Override public int vocabSize() { return vocab; }
    @Override public int contextLength() { return 256; }
    @Override public boolean isEndOfGeneration(int id) { return false; }
    @Override public String tokenText(int id) { return null; }
    @Override public int bos() { return -1; }
    @Override public int eos() { return -1; }
    @Override public int[] encodeText(String text) { throw new UnsupportedOperationException("toy model has no tokenizer"); }

    @Override
    public DecodingSequence newSequence(int contextLength) {
        return new Sequence(contextLength);
    }

    /** The logits after {@code context[0..len)} (only the last three tokens matter). */
    void logits(int[] context, int len, float[] out, int off) {
        int a = len >= 3 ? context[len - 3] : -1, b = len >= 2 ? context[len - 2] : -1, c = len >= 1 ? context[len - 1] : -1;
        for (int v = 0; v < vocab; v++) {
            double shared = gauss(sharedSeed, a, b, c, v);
            double own = ownWeight == 0 ? 0 : gauss(ownSeed, a, b, c, v);
            out[off + v] = (float) (sharpness * (shared + ownWeight * own));
        }
    }

    float[] logits(int[] context, int len) {
        float[] out = new float[vocab];
        logits(context, len, out, 0);
        return out;
    }

    private static double gauss(long seed, int a, int b, int c, int v) {
        long h = seed;
        h = mix(h ^ (a + 7));
        h = mix(h ^ (b + 131));
        h = mix(h ^ (c + 4099));
        h = mix(h ^ (v + 65537));
        // sum of 4 uniforms: roughly normal, mean 0
        double s = 0;
        for (int i = 0; i < 4; i++) {
            h = mix(h);
            s += (h >>> 11) * 0x1.0p-53 - 0.5;
        }
        return s * 1.7;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long chain(long previous, int token) {
        return mix(previous * 31 + token + 1);
    }

    final class Sequence implements DecodingSequence {
        private final int capacity;
        private final int[] rowTokens;
        /** Hash of the whole context (itself included) each row was computed with. */
        private final long[] rowContext;
        private int length;

        Sequence(int capacity) {
            this.capacity = capacity;
            this.rowTokens = new int[capacity];
            this.rowContext = new long[capacity];
        }

        @Override public int length() { return length; }
        @Override public int capacity() { return capacity; }

        @Override
        public float[] forward(int[] tokens, int[] positions, AttentionMask mask, int[] logitRows) {
            int n = tokens.length;
            if (positions.length != n || mask.size() != n)
                throw new IllegalArgumentException("batch of " + n + " tokens with " + positions.length + " positions and mask " + mask.size());
            if (length + n > capacity) throw new IllegalStateException("toy context overflow: " + length + " + " + n + " > " + capacity);
            // the cache must be one consistent chain
            long h = 0;
            for (int j = 0; j < length; j++) {
                h = chain(h, rowTokens[j]);
                if (rowContext[j] != h) throw new IllegalStateException("cache row " + j + " of " + name + " was computed with a different context");
            }
            long cacheHash = h;
            int[] context = Arrays.copyOf(rowTokens, length + n);
            long[] newContext = new long[n];
            float[] logits = new float[logitRows.length * vocab];
            float[][] rowLogits = new float[n][];
            for (int i = 0; i < n; i++) {
                if (tokens[i] < 0 || tokens[i] >= vocab) throw new IllegalArgumentException("token " + tokens[i] + " outside toy vocab " + vocab);
                int len = length;
                long ch = cacheHash;
                for (int j = 0; j <= i; j++) {
                    if (!mask.allows(i, j)) continue;
                    context[len++] = tokens[j];
                    ch = chain(ch, tokens[j]);
                }
                for (int j = i + 1; j < n; j++)
                    if (mask.allows(i, j)) throw new IllegalStateException("toy model needs lower-triangular masks (row " + i + " sees " + j + ")");
                if (!mask.allows(i, i)) throw new IllegalStateException("row " + i + " does not see itself");
                if (positions[i] != len - 1)
                    throw new IllegalStateException("row " + i + " of " + name + " has position " + positions[i] + " but sees " + (len - 1) + " earlier tokens");
                newContext[i] = ch;
                rowLogits[i] = new float[vocab];
                ToyModel.this.logits(context, len, rowLogits[i], 0);
            }
            for (int r = 0; r < logitRows.length; r++) System.arraycopy(rowLogits[logitRows[r]], 0, logits, r * vocab, vocab);
            for (int i = 0; i < n; i++) {
                rowTokens[length + i] = tokens[i];
                rowContext[length + i] = newContext[i];
            }
            length += n;
            forwards++;
            rowsScored += n;
            return logits;
        }

        @Override
        public void truncate(int newLength) {
            if (newLength < 0 || newLength > length) throw new IllegalArgumentException("truncate to " + newLength + " of " + length);
            length = newLength;
        }

        @Override
        public void compact(int base, int[] keep) {
            for (int i = 0; i < keep.length; i++) if (keep[i] != i) { movingCompactions++; break; }
            for (int i = 0; i < keep.length; i++) {
                if (keep[i] < 0 || base + keep[i] >= length || (i > 0 && keep[i] <= keep[i - 1]))
                    throw new IllegalArgumentException("bad keep list " + Arrays.toString(keep) + " for base " + base + " length " + length);
                rowTokens[base + i] = rowTokens[base + keep[i]];
                rowContext[base + i] = rowContext[base + keep[i]];
            }
            length = base + keep.length;
        }
    }
}
