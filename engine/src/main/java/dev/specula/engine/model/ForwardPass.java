package dev.specula.engine.model;

import dev.specula.engine.kernel.MatMulJob;
import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.kernel.VectorMath;
import dev.specula.engine.kernel.WeightMatrix;
import java.util.Arrays;

/**
 * The llama-family forward pass over a batch of rows for one session, with all its scratch buffers.
 * Per block: x += Wo · attention(RoPE(Wq · rms(x)), RoPE(Wk · rms(x)), Wv · rms(x)), then
 * x += Wdown · (silu(Wgate · rms(x)) * (Wup · rms(x))). Every weight matrix is applied to all rows of a
 * pass in one {@link WeightMatrix#multiply} call (products sharing an input in one {@link MatMulJob}); long batches go in passes of {@link #MAX_ROWS_PER_PASS} rows.
 *
 * <p>Bit-exactness: every per-row operation (norms, element-wise ops, each (row, head) attention) depends
 * only on that row's data and the visible cache rows, which are visited in cache-row order with masked
 * rows skipped, so a row gives the same bits alone, in a batch, in a tree batch, or after compaction.
 */
final class ForwardPass {
    static final int MAX_ROWS_PER_PASS = 64;

    private final ModelConfig c;
    private final ModelWeights w;
    private final Parallel pool;
    private final KvCache cache;
    private final Rope rope;
    private final float attentionScale;
    private final int dim, qDim, kvDim, ffnDim, headDim, heads, vocab;
    // attention work: one score buffer per slot; slot s handles tasks s, s + slots, ...
    private final int slots;
    /**
     * Query heads per attention task: 1 for an F32 cache (most parallelism); for an F16 cache all heads sharing a KV head
     * (GQA group), so each widened key and value slice serves the whole group.
     */
    private final int headsPerTask;
    private final float[][] scores;
    /** Per slot: the cache rows one (row, head) attends to, in cache-row order, and where each row's slice starts. */
    private final int[][] visibleRows, sliceStarts;
    /** Per slot: widened key or value slices of an F16 cache, grown with the context up to capacity x headDim floats (F32: empty). */
    private final float[][] kvScratch;
    private final AttentionTask attentionTask = new AttentionTask();
    /** The matrix products of a step, refilled per call: Wq+Wk+Wv and Wgate+Wup each go to the pool as one job. */
    private final MatMulJob matMuls = new MatMulJob();
    // row scratch, sized for `rows` rows (grown lazily up to MAX_ROWS_PER_PASS)
    private int rows;
    private float[] x, xb, q, k, v, attnOut, proj, gate, up, cos, sin;
    // logits: result buffer, gathered normalised rows, staging for out-of-order rows
    private float[] logits = new float[0];
    private float[] logitInput = new float[0];
    private float[] logitStage = new float[0];
    private int[] logitIndex = new int[0];

    ForwardPass(LlamaModel model, KvCache cache, int initialRows) {
        this.c = model.config();
        this.w = model.weights();
        this.pool = model.pool();
        this.cache = cache;
        this.rope = new Rope(c, w.ropeFreqDivisors());
        this.dim = c.dim();
        this.qDim = c.qDim();
        this.kvDim = c.kvDim();
        this.ffnDim = c.ffnDim();
        this.headDim = c.headDim();
        this.heads = c.heads();
        this.vocab = c.vocabSize();
        this.attentionScale = (float) (1.0 / Math.sqrt(headDim));
        this.slots = pool.threads();
        this.headsPerTask = cache.type() == KvCacheType.F32 ? 1 : heads / c.kvHeads();
        this.scores = new float[slots][headsPerTask * cache.capacity];
        this.visibleRows = new int[slots][cache.capacity];
        this.sliceStarts = new int[slots][cache.capacity];
        this.kvScratch = new float[slots][0];
        ensureRows(Math.max(1, Math.min(initialRows, MAX_ROWS_PER_PASS)));
    }

    private void ensureRows(int n) {
        if (n <= rows) return;
        rows = n;
        x = new float[n * dim];
        xb = new float[n * dim];
        q = new float[n * qDim];
        k = new float[n * kvDim];
        v = new float[n * kvDim];
        attnOut = new float[n * qDim];
        proj = new float[n * dim];
        gate = new float[n * ffnDim];
        up = new float[n * ffnDim];
        cos = new float[n * rope.pairs()];
        sin = new float[n * rope.pairs()];
    }

    /**
     * Runs rows {@code tokens} stored at cache rows {@code base ..}; returns the logits of
     * {@code logitRows} (row-major, the first {@code logitRows.length * vocab} floats). Inputs are
     * validated by the session.
     */
    float[] run(int base, int[] tokens, int[] positions, AttentionMask mask, int[] logitRows) {
        int n = tokens.length;
        if (logits.length < logitRows.length * vocab) logits = new float[logitRows.length * vocab];
        int step = mask.isLowerTriangular() ? MAX_ROWS_PER_PASS : n;
        for (int start = 0; start < n; start += step) {
            int m = Math.min(step, n - start);
            ensureRows(m);
            for (int r = 0; r < m; r++) {
                w.embedding().dequantizeRow(tokens[start + r], x, r * dim);
                rope.angles(positions[start + r], cos, sin, r * rope.pairs());
            }
            for (int l = 0; l < c.layers(); l++) block(l, base, start, m, n, mask);
            computeLogits(start, m, logitRows);
        }
        return logits;
    }

    private void block(int layer, int base, int start, int m, int n, AttentionMask mask) {
        LayerWeights L = w.layers()[layer];
        float eps = c.normEps();
        for (int r = 0; r < m; r++) VectorMath.rmsNorm(xb, r * dim, x, r * dim, L.attnNorm(), dim, eps);
        matMuls.begin(m).add(L.wq(), xb, dim, q, qDim).add(L.wk(), xb, dim, k, kvDim).add(L.wv(), xb, dim, v, kvDim).run(pool);
        for (int r = 0; r < m; r++) {
            int qo = r * qDim, ko = r * kvDim, cs = r * rope.pairs();
            if (L.qBias() != null) {
                VectorMath.add(q, qo, L.qBias(), 0, qDim);
                VectorMath.add(k, ko, L.kBias(), 0, kvDim);
                VectorMath.add(v, ko, L.vBias(), 0, kvDim);
            }
            for (int h = 0; h < heads; h++) {
                if (L.qNorm() != null) VectorMath.rmsNorm(q, qo + h * headDim, q, qo + h * headDim, L.qNorm(), headDim, eps);
                rope.rotate(q, qo + h * headDim, cos, sin, cs);
            }
            for (int g = 0; g < c.kvHeads(); g++) {
                if (L.kNorm() != null) VectorMath.rmsNorm(k, ko + g * headDim, k, ko + g * headDim, L.kNorm(), headDim, eps);
                rope.rotate(k, ko + g * headDim, cos, sin, cs);
            }
            cache.store(layer, base + start + r, k, ko, v, ko);
        }
        attentionTask.prepare(layer, base, start, m, n, mask);
        // each (row, head) is computed the same way on any thread, so small jobs can stay inline
        if ((long) m * heads * (base + start + m) * headDim < WeightMatrix.INLINE_WORK) attentionTask.run(0, slots);
        else pool.forRange(slots, 1, attentionTask);
        matMuls.begin(m).add(L.wo(), attnOut, qDim, proj, dim).run(pool);
        for (int r = 0; r < m; r++) {
            VectorMath.add(x, r * dim, proj, r * dim, dim);
            VectorMath.rmsNorm(xb, r * dim, x, r * dim, L.ffnNorm(), dim, eps);
        }
        matMuls.begin(m).add(L.wGate(), xb, dim, gate, ffnDim).add(L.wUp(), xb, dim, up, ffnDim).run(pool);
        for (int r = 0; r < m; r++) VectorMath.siluMul(gate, r * ffnDim, up, r * ffnDim, ffnDim);
        matMuls.begin(m).add(L.wDown(), gate, ffnDim, proj, dim).run(pool);
        for (int r = 0; r < m; r++) VectorMath.add(x, r * dim, proj, r * dim, dim);
    }

    /** Attention of every (row, head group) of the current pass; slot s of the pool takes tasks s, s + slots, ... */
    private final class AttentionTask implements Parallel.RangeTask {
        private int layer, base, start, m, n;
        private AttentionMask mask;

        void prepare(int layer, int base, int start, int m, int n, AttentionMask mask) {
            this.layer = layer;
            this.base = base;
            this.start = start;
            this.m = m;
            this.n = n;
            this.mask = mask;
        }

        @Override
        public void run(int slotStart, int slotEnd) {
            int groups = heads / headsPerTask, total = m * groups;
            for (int slot = slotStart; slot < slotEnd; slot++) {
                float[] att = scores[slot];
                int[] visible = visibleRows[slot], starts = sliceStarts[slot];
                float[] scratch = kvScratch[slot];
                int needed = cache.type() == KvCacheType.F32 ? 0 : (base + n) * headDim; // most visible rows x headDim
                if (scratch.length < needed) { // doubling: a few allocations over a whole generation
                    kvScratch[slot] = scratch = new float[Math.min(cache.capacity * headDim, Math.max(needed, 2 * scratch.length))];
                }
                for (int task = slot; task < total; task += slots) {
                    attend(att, visible, starts, scratch, task / groups, (task % groups) * headsPerTask);
                }
            }
        }

        /**
         * For query heads h0 .. h0 + headsPerTask - 1 of row r (one KV head): softmax(q·k_t / sqrt(d)) weighted sum of
         * v_t over the visible cache rows t, in cache-row order; each head's operations are the same whichever task
         * holds it.
         */
        private void attend(float[] att, int[] visible, int[] starts, float[] scratch, int r, int h0) {
            int i = start + r; // row index within the forward call
            int kvOff = (h0 / (heads / c.kvHeads())) * headDim;
            int lastNew = mask.isLowerTriangular() ? i : n - 1;
            int count = 0;
            for (int t = 0; t < base; t++) visible[count++] = t;
            for (int j = 0; j <= lastNew; j++) if (mask.allows(i, j)) visible[count++] = base + j;
            float[] keys = cache.keys(layer, visible, count, kvOff, headDim, scratch, starts);
            for (int g = 0; g < headsPerTask; g++) {
                int qOff = r * qDim + (h0 + g) * headDim, a = g * cache.capacity;
                for (int t = 0; t < count; t++) att[a + t] = VectorMath.dot(q, qOff, keys, starts[t], headDim) * attentionScale;
                VectorMath.softmaxInPlace(att, a, count);
            }
            float[] values = cache.values(layer, visible, count, kvOff, headDim, scratch); // same starts as the keys
            for (int g = 0; g < headsPerTask; g++) {
                int qOff = r * qDim + (h0 + g) * headDim, a = g * cache.capacity;
                Arrays.fill(attnOut, qOff, qOff + headDim, 0f);
                for (int t = 0; t < count; t++) VectorMath.axpy(att[a + t], values, starts[t], attnOut, qOff, headDim);
            }
        }
    }

    /** Final norm and classifier for the requested rows that lie in the pass [start, start + m). */
    private void computeLogits(int start, int m, int[] logitRows) {
        if (logitIndex.length < logitRows.length) logitIndex = new int[logitRows.length];
        int count = 0;
        boolean inOrder = true;
        for (int idx = 0; idx < logitRows.length; idx++) {
            int row = logitRows[idx];
            if (row < start || row >= start + m) continue;
            if (logitInput.length < (count + 1) * dim) logitInput = Arrays.copyOf(logitInput, Math.max(2 * logitInput.length, (count + 1) * dim));
            VectorMath.rmsNorm(logitInput, count * dim, x, (row - start) * dim, w.outputNorm(), dim, c.normEps());
            if (idx != count) inOrder = false;
            logitIndex[count++] = idx;
        }
        if (count == 0) return;
        if (inOrder) {
            matMuls.begin(count).add(w.output(), logitInput, dim, logits, vocab).run(pool);
            return;
        }
        if (logitStage.length < count * vocab) logitStage = new float[count * vocab];
        matMuls.begin(count).add(w.output(), logitInput, dim, logitStage, vocab).run(pool);
        for (int j = 0; j < count; j++) System.arraycopy(logitStage, j * vocab, logits, logitIndex[j] * vocab, vocab);
    }
}
