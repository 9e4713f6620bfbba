package dev.specula.engine.model;

/**
 * F32 key/value cache of one sequence: per layer, {@code capacity} rows of {@code kvHeads * headDim}
 * floats for K and the same for V. Row t holds the (RoPE-rotated) key and the value of the token
 * stored at cache row t.
 */
final class KvCache {
    final int layers;
    final int capacity;
    final int rowWidth;
    final float[][] keys;
    final float[][] values;

    KvCache(int layers, int capacity, int rowWidth) {
        if ((long) capacity * rowWidth > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("context of " + capacity + " rows x " + rowWidth
                    + " floats exceeds one Java array per layer; use a smaller context");
        this.layers = layers;
        this.capacity = capacity;
        this.rowWidth = rowWidth;
        this.keys = new float[layers][capacity * rowWidth];
        this.values = new float[layers][capacity * rowWidth];
    }

    /** Moves row {@code from} to row {@code to} in every layer. */
    void moveRow(int from, int to) {
        if (from == to) return;
        for (int l = 0; l < layers; l++) {
            System.arraycopy(keys[l], from * rowWidth, keys[l], to * rowWidth, rowWidth);
            System.arraycopy(values[l], from * rowWidth, values[l], to * rowWidth, rowWidth);
        }
    }

    /** Copies the first {@code rows} rows of every layer from {@code other}. */
    void copyFrom(KvCache other, int rows) {
        for (int l = 0; l < layers; l++) {
            System.arraycopy(other.keys[l], 0, keys[l], 0, rows * rowWidth);
            System.arraycopy(other.values[l], 0, values[l], 0, rows * rowWidth);
        }
    }
}
