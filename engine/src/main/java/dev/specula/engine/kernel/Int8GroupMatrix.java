package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The quantized GGML types of more than 4 bits or with a non-linear code book (Q5_0, Q5_1, Q8_0,
 * Q5_K, Q6_K, IQ4_NL, IQ4_XS; any quantized type works), repacked at load time into one SIMD-friendly
 * layout: each weight is {@code w = scale[g] * q + min[g]} with {@code q} a signed byte and {@code g}
 * its group of 16 or 32 consecutive weights of a row. The quants of a row are contiguous (off-heap,
 * {@code cols} bytes per row), scales and mins live in separate {@code float[]} (one per group,
 * row-major); {@code min} is absent for types without an offset.
 *
 * <p>Kernel: two output rows per pass share every activation load; each weight vector is widened
 * from bytes and dequantized once ({@code fma(q, scale, min)}) and then applied to a tile of 1, 2, 3, 4, 6 or 8
 * activation rows, each (activation row, output row) pair owning one accumulator that runs over the
 * row's vectors in order and ends with one {@link KernelSpecies#sumLanes}. The operations producing a given
 * output never depend on k, on the row range or on the thread, hence batched results are
 * bit-identical to single-row ones.
 */
final class Int8GroupMatrix implements WeightMatrix {
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final VectorSpecies<Byte> B = KernelSpecies.BYTE_FOR_FLOAT;
    private static final int L = KernelSpecies.LANES;

    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final int groupShift;
    private final int groupsPerRow;
    private final MemorySegment quants;
    private final float[] scales;
    private final float[] mins;

    /**
     * @param quants {@code rows * cols} signed quants, row-major, plus {@link KernelSpecies#BYTE_OVERREAD} bytes of padding
     * @param scales one scale per group, row-major
     * @param mins one offset per group, or null when the type has none
     */
    Int8GroupMatrix(GgmlType type, int rows, int cols, int groupSize, MemorySegment quants, float[] scales, float[] mins) {
        if (groupSize != 16 && groupSize != 32) throw new IllegalArgumentException("group size must be 16 or 32, got " + groupSize);
        if (cols % groupSize != 0) throw new IllegalArgumentException("cols " + cols + " is not a multiple of the group size " + groupSize);
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.groupShift = Integer.numberOfTrailingZeros(groupSize);
        this.groupsPerRow = cols / groupSize;
        this.quants = quants;
        this.scales = scales;
        this.mins = mins;
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public void multiply(float[] x, int xStride, float[] out, int outStride, int k, int rowStart, int rowEnd) {
        MultiplyArgs.check(this, x, xStride, out, outStride, k, rowStart, rowEnd);
        float[] lanes = KernelSpecies.laneScratch();
        for (int i = rowStart; i < rowEnd; i += 2) {
            int i1 = Math.min(i + 1, rowEnd - 1); // an odd last row pairs with itself: same ops, stored twice
            int r = 0;
            if (KernelSpecies.WIDE_TILES) {
                for (; k - r >= 7; r += 8) rows2x8(i, i1, x, xStride, out, outStride, r, k, lanes); // short tile: last row repeated
                if (k - r >= 5) { // 5 or 6 rows (a typical verification batch): a 6-row tile wastes at most one
                    rows2x6(i, i1, x, xStride, out, outStride, r, k, lanes);
                    r += 6;
                }
            }
            for (; k - r >= 4; r += 4) {
                rows2x4(i, i1, x, r * xStride, (r + 1) * xStride, (r + 2) * xStride, (r + 3) * xStride,
                        out, r * outStride, (r + 1) * outStride, (r + 2) * outStride, (r + 3) * outStride, lanes);
            }
            if (k - r == 3) {
                rows2x3(i, i1, x, r * xStride, (r + 1) * xStride, (r + 2) * xStride,
                        out, r * outStride, (r + 1) * outStride, (r + 2) * outStride, lanes);
                r += 3;
            }
            if (k - r == 2) {
                rows2x2(i, i1, x, r * xStride, (r + 1) * xStride, out, r * outStride, (r + 1) * outStride, lanes);
                r += 2;
            }
            if (r < k) rows2x1(i, i1, x, r * xStride, out, r * outStride, lanes);
        }
    }

    /** Weight vector starting at column {@code v} of the row whose quants start at {@code q} and scales at {@code s}. */
    private FloatVector weights(long q, int s, int v) {
        FloatVector w = (FloatVector) ByteVector.fromMemorySegment(B, quants, q + v, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.B2F, F, 0);
        int g = s + (v >>> groupShift);
        FloatVector d = FloatVector.broadcast(F, scales[g]);
        return mins == null ? w.mul(d) : w.fma(d, FloatVector.broadcast(F, mins[g]));
    }

    private void rows2x1(int i0, int i1, float[] x, int x0, float[] out, int o0, float[] lanes) {
        long q0 = (long) i0 * cols, q1 = (long) i1 * cols;
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int v = 0; v < cols; v += L) {
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a0 = weights(q0, s0, v).fma(xv, a0);
            a1 = weights(q1, s1, v).fma(xv, a1);
        }
        a0.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes);
        a1.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes);
    }

    private void rows2x2(int i0, int i1, float[] x, int x0, int x1, float[] out, int o0, int o1, float[] lanes) {
        long q0 = (long) i0 * cols, q1 = (long) i1 * cols;
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        for (int v = 0; v < cols; v += L) {
            FloatVector w0 = weights(q0, s0, v);
            FloatVector w1 = weights(q1, s1, v);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            xv = FloatVector.fromArray(F, x, x1 + v);
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
        }
        a00.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes);
        a01.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes);
        a10.intoArray(lanes, 0);
        out[o1 + i0] = KernelSpecies.sumLanes(lanes);
        a11.intoArray(lanes, 0);
        out[o1 + i1] = KernelSpecies.sumLanes(lanes);
    }

    private void rows2x4(int i0, int i1, float[] x, int x0, int x1, int x2, int x3,
                         float[] out, int o0, int o1, int o2, int o3, float[] lanes) {
        long q0 = (long) i0 * cols, q1 = (long) i1 * cols;
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int v = 0; v < cols; v += L) {
            FloatVector w0 = weights(q0, s0, v);
            FloatVector w1 = weights(q1, s1, v);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            xv = FloatVector.fromArray(F, x, x1 + v);
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
            xv = FloatVector.fromArray(F, x, x2 + v);
            a20 = w0.fma(xv, a20);
            a21 = w1.fma(xv, a21);
            xv = FloatVector.fromArray(F, x, x3 + v);
            a30 = w0.fma(xv, a30);
            a31 = w1.fma(xv, a31);
        }
        a00.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes);
        a01.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes);
        a10.intoArray(lanes, 0);
        out[o1 + i0] = KernelSpecies.sumLanes(lanes);
        a11.intoArray(lanes, 0);
        out[o1 + i1] = KernelSpecies.sumLanes(lanes);
        a20.intoArray(lanes, 0);
        out[o2 + i0] = KernelSpecies.sumLanes(lanes);
        a21.intoArray(lanes, 0);
        out[o2 + i1] = KernelSpecies.sumLanes(lanes);
        a30.intoArray(lanes, 0);
        out[o3 + i0] = KernelSpecies.sumLanes(lanes);
        a31.intoArray(lanes, 0);
        out[o3 + i1] = KernelSpecies.sumLanes(lanes);
    }

    private void rows2x3(int i0, int i1, float[] x, int x0, int x1, int x2,
                         float[] out, int o0, int o1, int o2, float[] lanes) {
        long q0 = (long) i0 * cols, q1 = (long) i1 * cols;
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        for (int v = 0; v < cols; v += L) {
            FloatVector w0 = weights(q0, s0, v);
            FloatVector w1 = weights(q1, s1, v);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            xv = FloatVector.fromArray(F, x, x1 + v);
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
            xv = FloatVector.fromArray(F, x, x2 + v);
            a20 = w0.fma(xv, a20);
            a21 = w1.fma(xv, a21);
        }
        a00.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes);
        a01.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes);
        a10.intoArray(lanes, 0);
        out[o1 + i0] = KernelSpecies.sumLanes(lanes);
        a11.intoArray(lanes, 0);
        out[o1 + i1] = KernelSpecies.sumLanes(lanes);
        a20.intoArray(lanes, 0);
        out[o2 + i0] = KernelSpecies.sumLanes(lanes);
        a21.intoArray(lanes, 0);
        out[o2 + i1] = KernelSpecies.sumLanes(lanes);
    }

    /** Activation rows r..r+7 (the last one repeated past k - 1): 16 accumulators, for 32-register machines. */
    private void rows2x8(int i0, int i1, float[] x, int xStride, float[] out, int outStride, int r, int k, float[] lanes) {
        long q0 = (long) i0 * cols, q1 = (long) i1 * cols;
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        int x0 = r * xStride, x1 = x0 + xStride, x2 = Math.min(r + 2, k - 1) * xStride, x3 = Math.min(r + 3, k - 1) * xStride;
        int x4 = Math.min(r + 4, k - 1) * xStride, x5 = Math.min(r + 5, k - 1) * xStride;
        int x6 = Math.min(r + 6, k - 1) * xStride, x7 = Math.min(r + 7, k - 1) * xStride;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
        for (int v = 0; v < cols; v += L) {
            FloatVector w0 = weights(q0, s0, v);
            FloatVector w1 = weights(q1, s1, v);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            xv = FloatVector.fromArray(F, x, x1 + v);
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
            xv = FloatVector.fromArray(F, x, x2 + v);
            a20 = w0.fma(xv, a20);
            a21 = w1.fma(xv, a21);
            xv = FloatVector.fromArray(F, x, x3 + v);
            a30 = w0.fma(xv, a30);
            a31 = w1.fma(xv, a31);
            xv = FloatVector.fromArray(F, x, x4 + v);
            a40 = w0.fma(xv, a40);
            a41 = w1.fma(xv, a41);
            xv = FloatVector.fromArray(F, x, x5 + v);
            a50 = w0.fma(xv, a50);
            a51 = w1.fma(xv, a51);
            xv = FloatVector.fromArray(F, x, x6 + v);
            a60 = w0.fma(xv, a60);
            a61 = w1.fma(xv, a61);
            xv = FloatVector.fromArray(F, x, x7 + v);
            a70 = w0.fma(xv, a70);
            a71 = w1.fma(xv, a71);
        }
        int o = r * outStride;
        a00.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a01.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = (r + 1) * outStride;
        a10.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a11.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 2, k - 1) * outStride;
        a20.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a21.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 3, k - 1) * outStride;
        a30.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a31.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 4, k - 1) * outStride;
        a40.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a41.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 5, k - 1) * outStride;
        a50.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a51.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 6, k - 1) * outStride;
        a60.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a61.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 7, k - 1) * outStride;
        a70.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a71.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
    }

    /** Activation rows r..r+5 (the last one repeated past k - 1): 12 accumulators, for 32-register machines. */
    private void rows2x6(int i0, int i1, float[] x, int xStride, float[] out, int outStride, int r, int k, float[] lanes) {
        long q0 = (long) i0 * cols, q1 = (long) i1 * cols;
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        int x0 = r * xStride, x1 = x0 + xStride, x2 = Math.min(r + 2, k - 1) * xStride, x3 = Math.min(r + 3, k - 1) * xStride;
        int x4 = Math.min(r + 4, k - 1) * xStride, x5 = Math.min(r + 5, k - 1) * xStride;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        for (int v = 0; v < cols; v += L) {
            FloatVector w0 = weights(q0, s0, v);
            FloatVector w1 = weights(q1, s1, v);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            xv = FloatVector.fromArray(F, x, x1 + v);
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
            xv = FloatVector.fromArray(F, x, x2 + v);
            a20 = w0.fma(xv, a20);
            a21 = w1.fma(xv, a21);
            xv = FloatVector.fromArray(F, x, x3 + v);
            a30 = w0.fma(xv, a30);
            a31 = w1.fma(xv, a31);
            xv = FloatVector.fromArray(F, x, x4 + v);
            a40 = w0.fma(xv, a40);
            a41 = w1.fma(xv, a41);
            xv = FloatVector.fromArray(F, x, x5 + v);
            a50 = w0.fma(xv, a50);
            a51 = w1.fma(xv, a51);
        }
        int o = r * outStride;
        a00.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a01.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = (r + 1) * outStride;
        a10.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a11.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 2, k - 1) * outStride;
        a20.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a21.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 3, k - 1) * outStride;
        a30.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a31.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 4, k - 1) * outStride;
        a40.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a41.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
        o = Math.min(r + 5, k - 1) * outStride;
        a50.intoArray(lanes, 0);
        out[o + i0] = KernelSpecies.sumLanes(lanes);
        a51.intoArray(lanes, 0);
        out[o + i1] = KernelSpecies.sumLanes(lanes);
    }

    /** Exactly the reference dequantization: {@code scale * q} (+ {@code min}), each step rounded as in ggml. */
    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        MultiplyArgs.checkRow(this, row, dst, dstOffset);
        long q = (long) row * cols;
        int s = row * groupsPerRow;
        for (int j = 0; j < cols; j++) {
            float d = scales[s + (j >>> groupShift)];
            float w = d * quants.get(ValueLayout.JAVA_BYTE, q + j);
            dst[dstOffset + j] = mins == null ? w : w + mins[s + (j >>> groupShift)];
        }
    }

    @Override
    public String toString() {
        return type + " " + rows + "x" + cols + " (int8 quants, groups of " + (1 << groupShift) + ")";
    }
}
