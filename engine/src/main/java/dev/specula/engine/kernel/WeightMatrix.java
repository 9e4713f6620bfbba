package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;

/**
 * A weight matrix W of {@code rows x cols} (GGML: {@code dims = {cols, rows}}), prepared for
 * multiplication with k activation rows at once. Each weight block is read and decoded once per call
 * and applied to all k rows, which is what makes verifying k drafted tokens cost about as much as one.
 *
 * <p>Invariant every implementation keeps: the value computed for (activation row r, output row i)
 * is bit-identical whatever k, r, the row range and the thread count are (same accumulators, same
 * block order, same final reduction), so batched logits equal one-at-a-time logits exactly.
 */
public interface WeightMatrix {
    GgmlType type();

    /** Output dimension. */
    int rows();

    /** Input dimension (the reduction length). */
    int cols();

    /**
     * For activation rows r in [0, k) and output rows i in [rowStart, rowEnd):
     * {@code out[r * outStride + i] = sum_j W[i][j] * x[r * xStride + j]}. Runs on the caller's thread;
     * {@code x} and {@code out} must not overlap. Nothing is allocated.
     */
    void multiply(float[] x, int xStride, float[] out, int outStride, int k, int rowStart, int rowEnd);

    /**
     * Below this many multiply-adds ({@code rows * cols * k}) a product runs on the caller's thread
     * ({@link MatMulJob}, which splits bigger ones across the pool): handing
     * a job of a few microseconds to other threads costs more than it saves (the draft model's small
     * matrices). The split is over output rows only, so results are the same bits either way.
     */
    long INLINE_WORK = Long.getLong("specula.kernel.inlineWork", 1L << 18);

    /** Output rows per work item when split across threads (a multiple of the rows handled per pass). */
    default int preferredChunk() {
        return 64;
    }

    /** Dequantizes row i into {@code dst[dstOffset .. dstOffset + cols)} (embedding lookup). */
    void dequantizeRow(int row, float[] dst, int dstOffset);
}
