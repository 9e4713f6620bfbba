package dev.specula.engine.kernel;

/**
 * A reusable parallel job of one to {@value #MAX_PARTS} matrix products over the same k activation rows
 * (e.g. Wq, Wk and Wv of a block, or Wgate and Wup), run as ONE hand-off to the thread pool instead of one
 * per matrix: the output rows of all parts form one sequence of work units of {@link
 * WeightMatrix#preferredChunk()} rows each, which the pool's threads take dynamically, so a thread that
 * finishes its share of Wq goes on with Wk without waiting at a barrier. The owner keeps the job and
 * refills it every call ({@link #begin}, {@link #add}, {@link #run}): nothing is allocated per token.
 *
 * <p>Work is split over output rows only, so every output is computed by the same operations as in a
 * single {@link WeightMatrix#multiply} call: the same bits whatever the thread count or the grouping.
 * Not thread-safe: one job per forward pass.
 */
public final class MatMulJob implements Parallel.RangeTask {
    public static final int MAX_PARTS = 4;

    private final WeightMatrix[] matrices = new WeightMatrix[MAX_PARTS];
    private final float[][] inputs = new float[MAX_PARTS][];
    private final float[][] outputs = new float[MAX_PARTS][];
    private final int[] inputStrides = new int[MAX_PARTS];
    private final int[] outputStrides = new int[MAX_PARTS];
    /** First work unit of each part; firstUnit[parts] = total units. */
    private final int[] firstUnit = new int[MAX_PARTS + 1];
    private int parts;
    private int k;
    /** The largest product's multiply-adds: the job stays inline unless one product alone is worth splitting. */
    private long largestWork;

    /** Starts a new job over {@code k} activation rows, forgetting the previous one. */
    public MatMulJob begin(int k) {
        if (k < 1) throw new IllegalArgumentException("row count must be >= 1, got " + k);
        for (int p = 0; p < parts; p++) { // drop references so the job does not pin old buffers
            matrices[p] = null;
            inputs[p] = null;
            outputs[p] = null;
        }
        this.k = k;
        this.parts = 0;
        this.largestWork = 0;
        return this;
    }

    /** Adds {@code out[r * outStride + i] = W[i] . x[r * xStride ..]} for r in [0, k) and all rows i of {@code w}. */
    public MatMulJob add(WeightMatrix w, float[] x, int xStride, float[] out, int outStride) {
        if (parts == MAX_PARTS) throw new IllegalStateException("a job holds at most " + MAX_PARTS + " products");
        MultiplyArgs.check(w, x, xStride, out, outStride, k, 0, w.rows());
        matrices[parts] = w;
        inputs[parts] = x;
        inputStrides[parts] = xStride;
        outputs[parts] = out;
        outputStrides[parts] = outStride;
        int chunk = w.preferredChunk();
        firstUnit[parts + 1] = firstUnit[parts] + (w.rows() + chunk - 1) / chunk;
        largestWork = Math.max(largestWork, (long) w.rows() * w.cols() * k);
        parts++;
        return this;
    }

    /**
     * Runs every product added since {@link #begin}. When no single product reaches {@link WeightMatrix#INLINE_WORK}
     * the job stays on this thread, as each of those products alone would (a draft model's Wgate and Wup together
     * are not worth a hand-off where neither alone is: measured on pycode-7m at 2 threads).
     */
    public void run(Parallel pool) {
        int units = firstUnit[parts];
        if (units == 0) return;
        if (largestWork < WeightMatrix.INLINE_WORK) run(0, units);
        else pool.forRange(units, 1, this);
    }

    /** Work units [start, end): the row chunks of the parts, in part order. */
    @Override
    public void run(int start, int end) {
        int p = 0;
        for (int u = start; u < end; u++) {
            while (u >= firstUnit[p + 1]) p++;
            WeightMatrix w = matrices[p];
            int chunk = w.preferredChunk();
            int rowStart = (u - firstUnit[p]) * chunk;
            int rowEnd = Math.min(w.rows(), rowStart + chunk);
            w.multiply(inputs[p], inputStrides[p], outputs[p], outputStrides[p], k, rowStart, rowEnd);
        }
    }
}
