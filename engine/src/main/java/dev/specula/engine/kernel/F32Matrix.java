package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float matrix: F32 read in place from the mapped file, F16 and BF16 widened to F32 once at load
 * time. Rows are contiguous little-endian floats. The kernel has the shape of
 * {@link Int8GroupMatrix}'s (two output rows per pass, tiles of 4, 3, 2 or 1 activation rows per weight load,
 * one accumulator per (activation row, output row), one {@link KernelSpecies#sumLanes}), plus a scalar tail
 * for a column count that is not a multiple of the vector length, added after the reduction.
 */
final class F32Matrix implements WeightMatrix {
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final int L = KernelSpecies.LANES;
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final int vectorCols;
    private final MemorySegment data;

    /** @param data {@code rows * cols} little-endian floats, row-major */
    F32Matrix(GgmlType type, int rows, int cols, MemorySegment data) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.vectorCols = cols - cols % L;
        this.data = data;
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

    private FloatVector weights(long rowByte, int v) {
        return FloatVector.fromMemorySegment(F, data, rowByte + 4L * v, ByteOrder.LITTLE_ENDIAN);
    }

    /** Sequential scalar sum of the columns past the last full vector, for one (row, activation) pair. */
    private float tail(long rowByte, float[] x, int xOff) {
        float s = 0f;
        for (int j = vectorCols; j < cols; j++) s = Math.fma(data.get(FLOAT_LE, rowByte + 4L * j), x[xOff + j], s);
        return s;
    }

    private void rows2x1(int i0, int i1, float[] x, int x0, float[] out, int o0, float[] lanes) {
        long b0 = 4L * i0 * cols, b1 = 4L * i1 * cols;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int v = 0; v < vectorCols; v += L) {
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a0 = weights(b0, v).fma(xv, a0);
            a1 = weights(b1, v).fma(xv, a1);
        }
        a0.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x0);
        a1.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x0);
    }

    private void rows2x2(int i0, int i1, float[] x, int x0, int x1, float[] out, int o0, int o1, float[] lanes) {
        long b0 = 4L * i0 * cols, b1 = 4L * i1 * cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        for (int v = 0; v < vectorCols; v += L) {
            FloatVector w0 = weights(b0, v);
            FloatVector w1 = weights(b1, v);
            FloatVector xv = FloatVector.fromArray(F, x, x0 + v);
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            xv = FloatVector.fromArray(F, x, x1 + v);
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
        }
        a00.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x0);
        a01.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x0);
        a10.intoArray(lanes, 0);
        out[o1 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x1);
        a11.intoArray(lanes, 0);
        out[o1 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x1);
    }

    private void rows2x4(int i0, int i1, float[] x, int x0, int x1, int x2, int x3,
                         float[] out, int o0, int o1, int o2, int o3, float[] lanes) {
        long b0 = 4L * i0 * cols, b1 = 4L * i1 * cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int v = 0; v < vectorCols; v += L) {
            FloatVector w0 = weights(b0, v);
            FloatVector w1 = weights(b1, v);
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
        out[o0 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x0);
        a01.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x0);
        a10.intoArray(lanes, 0);
        out[o1 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x1);
        a11.intoArray(lanes, 0);
        out[o1 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x1);
        a20.intoArray(lanes, 0);
        out[o2 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x2);
        a21.intoArray(lanes, 0);
        out[o2 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x2);
        a30.intoArray(lanes, 0);
        out[o3 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x3);
        a31.intoArray(lanes, 0);
        out[o3 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x3);
    }

    private void rows2x3(int i0, int i1, float[] x, int x0, int x1, int x2,
                         float[] out, int o0, int o1, int o2, float[] lanes) {
        long b0 = 4L * i0 * cols, b1 = 4L * i1 * cols;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        for (int v = 0; v < vectorCols; v += L) {
            FloatVector w0 = weights(b0, v);
            FloatVector w1 = weights(b1, v);
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
        out[o0 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x0);
        a01.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x0);
        a10.intoArray(lanes, 0);
        out[o1 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x1);
        a11.intoArray(lanes, 0);
        out[o1 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x1);
        a20.intoArray(lanes, 0);
        out[o2 + i0] = KernelSpecies.sumLanes(lanes) + tail(b0, x, x2);
        a21.intoArray(lanes, 0);
        out[o2 + i1] = KernelSpecies.sumLanes(lanes) + tail(b1, x, x2);
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        MultiplyArgs.checkRow(this, row, dst, dstOffset);
        MemorySegment.copy(data, FLOAT_LE, 4L * row * cols, dst, dstOffset, cols);
    }

    @Override
    public String toString() {
        return type + " " + rows + "x" + cols + " (f32)";
    }
}
