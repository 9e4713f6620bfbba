package dev.specula.engine.model;

import dev.specula.engine.kernel.VectorMath;

/**
 * Key/value cache of one sequence: per layer, {@code capacity} rows of {@code kvHeads * headDim} keys (RoPE-rotated)
 * and as many values; row t holds the token stored at cache row t. Stored as F32 or F16 ({@link KvCacheType}).
 * Attention reads a head's slices of the visible rows as floats through {@link #keys} and {@link #values} (F32: in
 * place; F16: widened exactly into a scratch buffer), so the attention arithmetic is one code path for both types,
 * and a row's result never depends on the batch it was written in.
 */
abstract sealed class KvCache permits KvCache.F32, KvCache.F16 {
    final int layers;
    final int capacity;
    final int rowWidth;
    /** Per layer the keys and values array of the subclass (float[] or short[]), for the type-independent row moves. */
    private final Object[] keyLayers;
    private final Object[] valueLayers;

    private KvCache(int layers, int capacity, int rowWidth, Object[] keyLayers, Object[] valueLayers) {
        this.layers = layers;
        this.capacity = capacity;
        this.rowWidth = rowWidth;
        this.keyLayers = keyLayers;
        this.valueLayers = valueLayers;
    }

    private static void checkSize(int capacity, int rowWidth) {
        if ((long) capacity * rowWidth > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("context of " + capacity + " rows x " + rowWidth
                    + " values exceeds one Java array per layer; use a smaller context");
    }

    static KvCache create(KvCacheType type, int layers, int capacity, int rowWidth) {
        return switch (type) {
            case F32 -> new F32(layers, capacity, rowWidth);
            case F16 -> new F16(layers, capacity, rowWidth);
        };
    }

    abstract KvCacheType type();

    /** Bytes held by keys and values. */
    final long bytes() {
        return 2L * layers * capacity * rowWidth * type().bytesPerValue();
    }

    /** Writes the key {@code k[kOff ..)} and value {@code v[vOff ..)} ({@link #rowWidth} each) to cache row {@code row}. */
    abstract void store(int layer, int row, float[] k, int kOff, float[] v, int vOff);

    /**
     * One head's slices {@code [off, off + n)} of the keys of cache rows {@code rows[0 .. count)} as floats: returns
     * the array that holds them and writes to {@code starts[i]} where row i's slice begins in it. F32 returns its own
     * storage (no copy); F16 widens the slices exactly into {@code scratch} (at least {@code count * n} floats).
     */
    abstract float[] keys(int layer, int[] rows, int count, int off, int n, float[] scratch, int[] starts);

    /**
     * As {@link #keys}, for the values, after a {@code keys} call with the same arguments: row i's slice begins at the
     * {@code starts[i]} that call wrote (F16: the key slices in {@code scratch} are overwritten).
     */
    abstract float[] values(int layer, int[] rows, int count, int off, int n, float[] scratch);

    /** Moves row {@code from} to row {@code to} in every layer. */
    final void moveRow(int from, int to) {
        if (from == to) return;
        for (int l = 0; l < layers; l++) {
            System.arraycopy(keyLayers[l], from * rowWidth, keyLayers[l], to * rowWidth, rowWidth);
            System.arraycopy(valueLayers[l], from * rowWidth, valueLayers[l], to * rowWidth, rowWidth);
        }
    }

    /** Copies the first {@code rows} rows of every layer from {@code other} (of the same type and width). */
    final void copyFrom(KvCache other, int rows) {
        if (other.type() != type() || other.rowWidth != rowWidth)
            throw new IllegalArgumentException("cannot copy a " + other.type() + " cache into a " + type() + " cache");
        for (int l = 0; l < layers; l++) {
            System.arraycopy(other.keyLayers[l], 0, keyLayers[l], 0, rows * rowWidth);
            System.arraycopy(other.valueLayers[l], 0, valueLayers[l], 0, rows * rowWidth);
        }
    }

    static final class F32 extends KvCache {
        private final float[][] keys;
        private final float[][] values;

        F32(int layers, int capacity, int rowWidth) {
            this(layers, capacity, rowWidth, newLayers(layers, capacity, rowWidth), newLayers(layers, capacity, rowWidth));
        }

        private F32(int layers, int capacity, int rowWidth, float[][] keys, float[][] values) {
            super(layers, capacity, rowWidth, keys, values);
            this.keys = keys;
            this.values = values;
        }

        private static float[][] newLayers(int layers, int capacity, int rowWidth) {
            checkSize(capacity, rowWidth);
            return new float[layers][capacity * rowWidth];
        }

        @Override
        KvCacheType type() {
            return KvCacheType.F32;
        }

        @Override
        void store(int layer, int row, float[] k, int kOff, float[] v, int vOff) {
            System.arraycopy(k, kOff, keys[layer], row * rowWidth, rowWidth);
            System.arraycopy(v, vOff, values[layer], row * rowWidth, rowWidth);
        }

        @Override
        float[] keys(int layer, int[] rows, int count, int off, int n, float[] scratch, int[] starts) {
            for (int i = 0; i < count; i++) starts[i] = rows[i] * rowWidth + off;
            return keys[layer];
        }

        @Override
        float[] values(int layer, int[] rows, int count, int off, int n, float[] scratch) {
            return values[layer];
        }

    }

    /** IEEE half-precision storage (round to nearest even), widened with {@link VectorMath#widenHalf}. */
    static final class F16 extends KvCache {
        private final short[][] keys;
        private final short[][] values;

        F16(int layers, int capacity, int rowWidth) {
            this(layers, capacity, rowWidth, newLayers(layers, capacity, rowWidth), newLayers(layers, capacity, rowWidth));
        }

        private F16(int layers, int capacity, int rowWidth, short[][] keys, short[][] values) {
            super(layers, capacity, rowWidth, keys, values);
            this.keys = keys;
            this.values = values;
        }

        private static short[][] newLayers(int layers, int capacity, int rowWidth) {
            checkSize(capacity, rowWidth);
            return new short[layers][capacity * rowWidth];
        }

        @Override
        KvCacheType type() {
            return KvCacheType.F16;
        }

        @Override
        void store(int layer, int row, float[] k, int kOff, float[] v, int vOff) {
            short[] kd = keys[layer], vd = values[layer];
            int o = row * rowWidth;
            for (int i = 0; i < rowWidth; i++) kd[o + i] = Float.floatToFloat16(k[kOff + i]);
            for (int i = 0; i < rowWidth; i++) vd[o + i] = Float.floatToFloat16(v[vOff + i]);
        }

        @Override
        float[] keys(int layer, int[] rows, int count, int off, int n, float[] scratch, int[] starts) {
            for (int i = 0; i < count; i++) starts[i] = i * n;
            return widen(keys[layer], rows, count, off, n, scratch);
        }

        @Override
        float[] values(int layer, int[] rows, int count, int off, int n, float[] scratch) {
            return widen(values[layer], rows, count, off, n, scratch);
        }

        /** Row i's slice to {@code scratch[i * n ..)}. */
        private float[] widen(short[] src, int[] rows, int count, int off, int n, float[] scratch) {
            for (int i = 0; i < count; i++) VectorMath.widenHalf(src, rows[i] * rowWidth + off, scratch, i * n, n);
            return scratch;
        }

    }
}
