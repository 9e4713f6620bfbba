package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import java.util.Arrays;

/**
 * A synthetic model whose next token is (last token + 1) mod V with all but certainty (logit gap {@value #PEAK}, so
 * even sampling at temperature 1 picks it with probability 1 - 1e-15): the text a generation will produce is known
 * in advance, which gives the drafting cost models exact expectations. A forward busy-waits a fixed time plus a
 * lot per row, so the measured batch cost curve is steep (c(r) = (1 + r) / 2, c(3) = 2): decisions made from it
 * are far from their thresholds even when the shared machine stalls a forward, and it measures that rather than the noise of a
 * microsecond call. Its sequences check the positions of every row against the tree mask, like {@link ToyModel}.
 */
final class CountingModel implements DecodingModel {
    static final float PEAK = 40f;
    private static final long FIXED_NANOS = 200_000;
    private static final long ROW_NANOS = 200_000;
    private final int vocab;
    long forwards;
    long rows;
    /** forwardsByRows[r]: forwards of r rows (r < 64). */
    final long[] forwardsByRows = new long[64];

    CountingModel(int vocab) {
        this.vocab = vocab;
    }

    @Override public String name() { return "counting"; }
    @Override public int vocabSize() { return vocab; }
    @Override public int contextLength() { return 512; }
    @Override public boolean isEndOfGeneration(int id) { return false; }
    @Override public String tokenText(int id) { return null; }
    @Override public int bos() { return -1; }
    @Override public int eos() { return -1; }
    @Override public int[] encodeText(String text) { throw new UnsupportedOperationException("no tokenizer"); }

    @Override
    public DecodingSequence newSequence(int contextLength) {
        return new Sequence(contextLength);
    }

    /** The tokens from {@code from} on: from, from + 1, ... mod V. */
    int[] count(int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (from + i) % vocab;
        return out;
    }

    private final class Sequence implements DecodingSequence {
        private final int capacity;
        private int length;

        Sequence(int capacity) {
            this.capacity = capacity;
        }

        @Override public int length() { return length; }
        @Override public int capacity() { return capacity; }

        @Override
        public float[] forward(int[] tokens, int[] positions, AttentionMask mask, int[] logitRows) {
            int n = tokens.length;
            long until = System.nanoTime() + FIXED_NANOS + ROW_NANOS * n;
            if (length + n > capacity) throw new IllegalStateException("context overflow: " + length + " + " + n + " > " + capacity);
            for (int i = 0; i < n; i++) {
                int seen = 0;
                for (int j = 0; j <= i; j++) if (mask.allows(i, j)) seen++;
                if (positions[i] != length + seen - 1)
                    throw new IllegalStateException("row " + i + " has position " + positions[i] + " but sees " + (length + seen - 1) + " earlier tokens");
            }
            float[] logits = new float[logitRows.length * vocab];
            for (int r = 0; r < logitRows.length; r++) logits[r * vocab + (tokens[logitRows[r]] + 1) % vocab] = PEAK;
            length += n;
            forwards++;
            rows += n;
            forwardsByRows[Math.min(n, forwardsByRows.length - 1)]++;
            while (System.nanoTime() < until) Thread.onSpinWait();
            return logits;
        }

        @Override
        public void truncate(int newLength) {
            if (newLength < 0 || newLength > length) throw new IllegalArgumentException("truncate to " + newLength + " of " + length);
            length = newLength;
        }

        @Override
        public void compact(int base, int[] keep) {
            for (int i = 1; i < keep.length; i++)
                if (keep[i] <= keep[i - 1]) throw new IllegalArgumentException("bad keep list " + Arrays.toString(keep));
            if (base + keep[keep.length - 1] >= length) throw new IllegalArgumentException("keep beyond the cache");
            length = base + keep.length;
        }
    }
}
