package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Linear types of at most 4 bits per weight (Q4_0, Q4_1, Q4_K, Q2_K, Q3_K), repacked into unsigned
 * nibbles: {@code w = scale[g] * u + min[g]} with {@code u} in [0, 15], half a byte per weight, so a
 * mat-vec streams half the bytes of the int8 layout. Signed types fold their offset into the min
 * ({@code Q4_0: u = q + 8, min = -8 * scale}); the kernel's {@code fma(u, scale, min)} rounds
 * {@code scale * q} once, as the reference does (up to the sign of a zero).
 *
 * <p>Nibble order follows the SIMD decode: the weights of a row are taken in chunks of two vectors
 * (2L weights, L = float lanes); byte j of a chunk holds weight j in its low nibble and weight L + j
 * in its high nibble, so one L-byte load widens to the chunk's two weight vectors with an int
 * {@code and}/{@code shift}. The layout therefore depends on L, which is fixed for the JVM's lifetime.
 * Kernel shape and the batching invariant are those of {@link Int8GroupMatrix}; with 16 lanes the
 * int-to-float conversion and per-vector fma give way to a permute from a per-group table of the 16
 * possible weights (same bits, see {@code lookup}).
 */
final class Nibble4Matrix implements WeightMatrix {
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final VectorSpecies<Byte> B = KernelSpecies.BYTE_FOR_FLOAT;
    private static final VectorSpecies<Integer> I = KernelSpecies.INT;
    private static final int L = KernelSpecies.LANES;
    /** Whether weights are dequantized by a 16-entry table permute (one vector holds the table only with 16 lanes). */
    private static final boolean LOOKUP = L == 16;
    /** Lane i = i: the 4-bit values 0..15 as floats (the table's x axis). */
    private static final FloatVector IOTA = FloatVector.zero(F).addIndex(1);

    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final int groupShift;
    private final int groupsPerRow;
    private final int foldedOffset;
    /** Whether a chunk's high half (columns v+L..v+2L) lies in the same scale group as its low half. */
    private final boolean highSharesGroup;
    private final MemorySegment nibbles;
    private final float[] scales;
    private final float[] mins;

    /**
     * @param nibbles {@code rows * cols / 2} bytes in the chunk order described above, plus padding
     * @param foldedOffset c when {@code min} is a folded integer offset ({@code -c * scale}, reference value
     *        {@code scale * (u - c)}); 0 for a true min (reference value {@code scale * u + min})
     */
    Nibble4Matrix(GgmlType type, int rows, int cols, int groupSize, int foldedOffset,
                  MemorySegment nibbles, float[] scales, float[] mins) {
        if (cols % (2 * L) != 0) throw new IllegalArgumentException("cols " + cols + " is not a multiple of " + 2 * L);
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.groupShift = Integer.numberOfTrailingZeros(groupSize);
        this.groupsPerRow = cols / groupSize;
        this.highSharesGroup = groupSize >= 2 * L;
        this.foldedOffset = foldedOffset;
        this.nibbles = nibbles;
        this.scales = scales;
        this.mins = mins;
    }

    /** Packs unsigned 4-bit values {@code u[0..cols)} of one row into {@code dst[0..cols/2)} in chunk order. */
    static void packRow(byte[] u, byte[] dst) {
        for (int c = 0; c < u.length; c += 2 * L) {
            for (int j = 0; j < L; j++) dst[c / 2 + j] = (byte) (u[c + j] | (u[c + L + j] << 4));
        }
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

    /**
     * The chunk's L bytes at column {@code v} of the row whose nibbles start at byte {@code n}, zero-extended to ints
     * (0..255), so the high nibble is a plain shift and the low one a mask.
     */
    private IntVector chunk(long n, int v) {
        return (IntVector) ByteVector.fromMemorySegment(B, nibbles, n + (v >>> 1), ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
    }

    /** Dequantized weights of columns [v, v+L) given their 4-bit values. */
    private FloatVector dequantize(IntVector u, int s, int v) {
        int g = s + (v >>> groupShift);
        return ((FloatVector) u.convert(VectorOperators.I2F, 0))
                .fma(FloatVector.broadcast(F, scales[g]), FloatVector.broadcast(F, mins[g]));
    }

    /**
     * With 16 lanes, the 16 possible weights of group {@code g} fit one vector: lane u holds
     * {@code fma(u, scale, min)}, exactly what {@link #dequantize} computes for a weight u, so a
     * permute ({@code selectFrom}) replaces the int-to-float conversion and the fma per weight vector
     * with one fma per group and chunk: the same bits, fewer floating-point uops.
     */
    private FloatVector lookup(IntVector u, int g) {
        FloatVector table = IOTA.fma(FloatVector.broadcast(F, scales[g]), FloatVector.broadcast(F, mins[g]));
        return (FloatVector) u.selectFrom(table.reinterpretAsInts()).reinterpretAsFloats();
    }

    // with the lookup, selectFrom wraps each index to its low 4 bits (floorMod 16), which masks the nibble
    private FloatVector low(IntVector c, int s, int v) {
        return LOOKUP ? lookup(c, s + (v >>> groupShift)) : dequantize(c.and(0xF), s, v);
    }

    private FloatVector high(IntVector c, int s, int v) {
        IntVector u = c.lanewise(VectorOperators.LSHR, 4);
        if (!LOOKUP) return dequantize(u, s, v + L);
        // same group as the low half (groups of 32): the same table expression, computed once after CSE
        return highSharesGroup ? lookup(u, s + (v >>> groupShift)) : lookup(u, s + ((v + L) >>> groupShift));
    }

    private void rows2x1(int i0, int i1, float[] x, int x0, float[] out, int o0, float[] lanes) {
        if (!LOOKUP && (1 << groupShift) >= 4 * L) { // two or more chunks per group: 4 lanes (measured 8 % faster there, not at 8)
            rows2x1Grouped(i0, i1, x, x0, out, o0, lanes);
            return;
        }
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int v = 0; v < cols; v += 2 * L) {
            IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
            FloatVector xl = FloatVector.fromArray(F, x, x0 + v);
            FloatVector xh = FloatVector.fromArray(F, x, x0 + v + L);
            a0 = low(c0, s0, v).fma(xl, a0);
            a1 = low(c1, s1, v).fma(xl, a1);
            a0 = high(c0, s0, v).fma(xh, a0);
            a1 = high(c1, s1, v).fma(xh, a1);
        }
        a0.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes);
        a1.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes);
    }

    /**
     * {@link #rows2x1} without the lookup table (fewer than 16 lanes): one outer iteration per scale group,
     * whose scale and min are broadcast once for all its chunks instead of once per weight vector. Each
     * weight is still {@code fma(u, scale, min)} and each accumulator sees the same operations in the
     * same order, so the bits are those of the per-chunk loop.
     */
    private void rows2x1Grouped(int i0, int i1, float[] x, int x0, float[] out, int o0, float[] lanes) {
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        int groupSize = 1 << groupShift;
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        for (int g = 0, v = 0; g < groupsPerRow; g++) {
            FloatVector d0 = FloatVector.broadcast(F, scales[s0 + g]), m0 = FloatVector.broadcast(F, mins[s0 + g]);
            FloatVector d1 = FloatVector.broadcast(F, scales[s1 + g]), m1 = FloatVector.broadcast(F, mins[s1 + g]);
            for (int end = v + groupSize; v < end; v += 2 * L) {
                IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
                FloatVector xl = FloatVector.fromArray(F, x, x0 + v);
                FloatVector xh = FloatVector.fromArray(F, x, x0 + v + L);
                a0 = toFloat(c0.and(0xF)).fma(d0, m0).fma(xl, a0);
                a1 = toFloat(c1.and(0xF)).fma(d1, m1).fma(xl, a1);
                a0 = toFloat(c0.lanewise(VectorOperators.LSHR, 4)).fma(d0, m0).fma(xh, a0);
                a1 = toFloat(c1.lanewise(VectorOperators.LSHR, 4)).fma(d1, m1).fma(xh, a1);
            }
        }
        a0.intoArray(lanes, 0);
        out[o0 + i0] = KernelSpecies.sumLanes(lanes);
        a1.intoArray(lanes, 0);
        out[o0 + i1] = KernelSpecies.sumLanes(lanes);
    }

    private static FloatVector toFloat(IntVector u) {
        return (FloatVector) u.convert(VectorOperators.I2F, 0);
    }

    private void rows2x2(int i0, int i1, float[] x, int x0, int x1, float[] out, int o0, int o1, float[] lanes) {
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        for (int v = 0; v < cols; v += 2 * L) {
            IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
            FloatVector w0l = low(c0, s0, v), w1l = low(c1, s1, v);
            FloatVector w0h = high(c0, s0, v), w1h = high(c1, s1, v);
            FloatVector xl = FloatVector.fromArray(F, x, x0 + v), xh = FloatVector.fromArray(F, x, x0 + v + L);
            a00 = w0h.fma(xh, w0l.fma(xl, a00));
            a01 = w1h.fma(xh, w1l.fma(xl, a01));
            xl = FloatVector.fromArray(F, x, x1 + v);
            xh = FloatVector.fromArray(F, x, x1 + v + L);
            a10 = w0h.fma(xh, w0l.fma(xl, a10));
            a11 = w1h.fma(xh, w1l.fma(xl, a11));
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
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (int v = 0; v < cols; v += 2 * L) {
            IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
            FloatVector w0l = low(c0, s0, v), w1l = low(c1, s1, v);
            FloatVector w0h = high(c0, s0, v), w1h = high(c1, s1, v);
            FloatVector xl = FloatVector.fromArray(F, x, x0 + v), xh = FloatVector.fromArray(F, x, x0 + v + L);
            a00 = w0h.fma(xh, w0l.fma(xl, a00));
            a01 = w1h.fma(xh, w1l.fma(xl, a01));
            xl = FloatVector.fromArray(F, x, x1 + v);
            xh = FloatVector.fromArray(F, x, x1 + v + L);
            a10 = w0h.fma(xh, w0l.fma(xl, a10));
            a11 = w1h.fma(xh, w1l.fma(xl, a11));
            xl = FloatVector.fromArray(F, x, x2 + v);
            xh = FloatVector.fromArray(F, x, x2 + v + L);
            a20 = w0h.fma(xh, w0l.fma(xl, a20));
            a21 = w1h.fma(xh, w1l.fma(xl, a21));
            xl = FloatVector.fromArray(F, x, x3 + v);
            xh = FloatVector.fromArray(F, x, x3 + v + L);
            a30 = w0h.fma(xh, w0l.fma(xl, a30));
            a31 = w1h.fma(xh, w1l.fma(xl, a31));
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
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00;
        for (int v = 0; v < cols; v += 2 * L) {
            IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
            FloatVector w0l = low(c0, s0, v), w1l = low(c1, s1, v);
            FloatVector w0h = high(c0, s0, v), w1h = high(c1, s1, v);
            FloatVector xl = FloatVector.fromArray(F, x, x0 + v), xh = FloatVector.fromArray(F, x, x0 + v + L);
            a00 = w0h.fma(xh, w0l.fma(xl, a00));
            a01 = w1h.fma(xh, w1l.fma(xl, a01));
            xl = FloatVector.fromArray(F, x, x1 + v);
            xh = FloatVector.fromArray(F, x, x1 + v + L);
            a10 = w0h.fma(xh, w0l.fma(xl, a10));
            a11 = w1h.fma(xh, w1l.fma(xl, a11));
            xl = FloatVector.fromArray(F, x, x2 + v);
            xh = FloatVector.fromArray(F, x, x2 + v + L);
            a20 = w0h.fma(xh, w0l.fma(xl, a20));
            a21 = w1h.fma(xh, w1l.fma(xl, a21));
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
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        int x0 = r * xStride, x1 = x0 + xStride, x2 = Math.min(r + 2, k - 1) * xStride, x3 = Math.min(r + 3, k - 1) * xStride;
        int x4 = Math.min(r + 4, k - 1) * xStride, x5 = Math.min(r + 5, k - 1) * xStride;
        int x6 = Math.min(r + 6, k - 1) * xStride, x7 = Math.min(r + 7, k - 1) * xStride;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00, a50 = a00, a51 = a00, a60 = a00, a61 = a00, a70 = a00, a71 = a00;
        for (int v = 0; v < cols; v += 2 * L) {
            IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
            FloatVector w0l = low(c0, s0, v), w1l = low(c1, s1, v);
            FloatVector w0h = high(c0, s0, v), w1h = high(c1, s1, v);
            FloatVector xl, xh;
            xl = FloatVector.fromArray(F, x, x0 + v);
            xh = FloatVector.fromArray(F, x, x0 + v + L);
            a00 = w0h.fma(xh, w0l.fma(xl, a00));
            a01 = w1h.fma(xh, w1l.fma(xl, a01));
            xl = FloatVector.fromArray(F, x, x1 + v);
            xh = FloatVector.fromArray(F, x, x1 + v + L);
            a10 = w0h.fma(xh, w0l.fma(xl, a10));
            a11 = w1h.fma(xh, w1l.fma(xl, a11));
            xl = FloatVector.fromArray(F, x, x2 + v);
            xh = FloatVector.fromArray(F, x, x2 + v + L);
            a20 = w0h.fma(xh, w0l.fma(xl, a20));
            a21 = w1h.fma(xh, w1l.fma(xl, a21));
            xl = FloatVector.fromArray(F, x, x3 + v);
            xh = FloatVector.fromArray(F, x, x3 + v + L);
            a30 = w0h.fma(xh, w0l.fma(xl, a30));
            a31 = w1h.fma(xh, w1l.fma(xl, a31));
            xl = FloatVector.fromArray(F, x, x4 + v);
            xh = FloatVector.fromArray(F, x, x4 + v + L);
            a40 = w0h.fma(xh, w0l.fma(xl, a40));
            a41 = w1h.fma(xh, w1l.fma(xl, a41));
            xl = FloatVector.fromArray(F, x, x5 + v);
            xh = FloatVector.fromArray(F, x, x5 + v + L);
            a50 = w0h.fma(xh, w0l.fma(xl, a50));
            a51 = w1h.fma(xh, w1l.fma(xl, a51));
            xl = FloatVector.fromArray(F, x, x6 + v);
            xh = FloatVector.fromArray(F, x, x6 + v + L);
            a60 = w0h.fma(xh, w0l.fma(xl, a60));
            a61 = w1h.fma(xh, w1l.fma(xl, a61));
            xl = FloatVector.fromArray(F, x, x7 + v);
            xh = FloatVector.fromArray(F, x, x7 + v + L);
            a70 = w0h.fma(xh, w0l.fma(xl, a70));
            a71 = w1h.fma(xh, w1l.fma(xl, a71));
        }
        int o;
        o = r * outStride;
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
        long n0 = (long) i0 * (cols >>> 1), n1 = (long) i1 * (cols >>> 1);
        int s0 = i0 * groupsPerRow, s1 = i1 * groupsPerRow;
        int x0 = r * xStride, x1 = x0 + xStride, x2 = Math.min(r + 2, k - 1) * xStride, x3 = Math.min(r + 3, k - 1) * xStride;
        int x4 = Math.min(r + 4, k - 1) * xStride, x5 = Math.min(r + 5, k - 1) * xStride;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        for (int v = 0; v < cols; v += 2 * L) {
            IntVector c0 = chunk(n0, v), c1 = chunk(n1, v);
            FloatVector w0l = low(c0, s0, v), w1l = low(c1, s1, v);
            FloatVector w0h = high(c0, s0, v), w1h = high(c1, s1, v);
            FloatVector xl, xh;
            xl = FloatVector.fromArray(F, x, x0 + v);
            xh = FloatVector.fromArray(F, x, x0 + v + L);
            a00 = w0h.fma(xh, w0l.fma(xl, a00));
            a01 = w1h.fma(xh, w1l.fma(xl, a01));
            xl = FloatVector.fromArray(F, x, x1 + v);
            xh = FloatVector.fromArray(F, x, x1 + v + L);
            a10 = w0h.fma(xh, w0l.fma(xl, a10));
            a11 = w1h.fma(xh, w1l.fma(xl, a11));
            xl = FloatVector.fromArray(F, x, x2 + v);
            xh = FloatVector.fromArray(F, x, x2 + v + L);
            a20 = w0h.fma(xh, w0l.fma(xl, a20));
            a21 = w1h.fma(xh, w1l.fma(xl, a21));
            xl = FloatVector.fromArray(F, x, x3 + v);
            xh = FloatVector.fromArray(F, x, x3 + v + L);
            a30 = w0h.fma(xh, w0l.fma(xl, a30));
            a31 = w1h.fma(xh, w1l.fma(xl, a31));
            xl = FloatVector.fromArray(F, x, x4 + v);
            xh = FloatVector.fromArray(F, x, x4 + v + L);
            a40 = w0h.fma(xh, w0l.fma(xl, a40));
            a41 = w1h.fma(xh, w1l.fma(xl, a41));
            xl = FloatVector.fromArray(F, x, x5 + v);
            xh = FloatVector.fromArray(F, x, x5 + v + L);
            a50 = w0h.fma(xh, w0l.fma(xl, a50));
            a51 = w1h.fma(xh, w1l.fma(xl, a51));
        }
        int o;
        o = r * outStride;
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

    /** Exactly the reference dequantization (see {@code foldedOffset}), signed zeros included. */
    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        MultiplyArgs.checkRow(this, row, dst, dstOffset);
        long n = (long) row * (cols >>> 1);
        int s = row * groupsPerRow;
        for (int j = 0; j < cols; j++) {
            int chunkStart = j & ~(2 * L - 1), within = j - chunkStart;
            int b = nibbles.get(ValueLayout.JAVA_BYTE, n + chunkStart / 2 + (within & (L - 1))) & 0xFF;
            int u = within < L ? b & 0xF : b >>> 4;
            float d = scales[s + (j >>> groupShift)], m = mins[s + (j >>> groupShift)];
            dst[dstOffset + j] = foldedOffset != 0 ? d * (u - foldedOffset) : d * u + m;
        }
    }

    @Override
    public String toString() {
        return type + " " + rows + "x" + cols + " (4-bit nibbles, groups of " + (1 << groupShift) + ")";
    }
}
