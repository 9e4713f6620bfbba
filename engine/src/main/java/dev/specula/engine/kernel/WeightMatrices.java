package dev.specula.engine.kernel;

import dev.specula.gguf.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Entry point of the kernel package: turns a GGUF tensor's bytes into a {@link WeightMatrix}.
 * F32 is used in place (zero-copy); F16 and BF16 are widened to F32 once (4 bytes per weight); the
 * quantized types are repacked (see {@link QuantRepacker}) into 4-bit nibbles (Q4_0, Q4_1, Q4_K, Q2_K,
 * Q3_K: 0.5 byte per weight) or int8 quants (the others: 1 byte per weight), plus a float scale (and
 * min) per group of 16 or 32 weights. Repacked data is off-heap, in a {@link WeightMemory} (huge pages
 * where the OS offers them; otherwise plain allocations counted against {@code -XX:MaxDirectMemorySize},
 * default: the heap limit).
 */
public final class WeightMatrices {
    private WeightMatrices() {}

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * Prepares a {@code rows x cols} matrix stored in GGML layout ({@code dims = {cols, rows}}) for
     * multiplication. {@code data} must hold at least {@code type.bytesFor(rows * cols)} bytes; it is
     * read during this call and, for F32, on every multiply (keep the file open as long as the matrix).
     *
     * @throws IllegalArgumentException for a non-positive shape, cols not a multiple of the block size,
     *         or too few bytes
     */
    public static WeightMatrix load(GgmlType type, MemorySegment data, int rows, int cols) {
        return load(type, data, rows, cols, WeightMemory.plain());
    }

    /**
     * {@link #load(GgmlType, MemorySegment, int, int)} with the repacked or widened data placed in
     * {@code memory} (a model loads all its matrices into one {@link WeightMemory#forModel()}).
     */
    public static WeightMatrix load(GgmlType type, MemorySegment data, int rows, int cols, WeightMemory memory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(data, "data");
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(type + " matrix shape " + rows + "x" + cols + " must be positive");
        }
        if (cols % type.blockSize != 0) {
            throw new IllegalArgumentException(type + " matrix has " + cols + " cols, not a multiple of its block size "
                    + type.blockSize);
        }
        long need = type.bytesFor((long) rows * cols);
        if (need < 0 || data.byteSize() < need) {
            throw new IllegalArgumentException(type + " matrix " + rows + "x" + cols + " needs " + need
                    + " bytes, but its data segment holds " + data.byteSize());
        }
        try {
            return switch (type) {
                case F32 -> new F32Matrix(type, rows, cols, data.asSlice(0, need));
                case F16, BF16 -> new F32Matrix(type, rows, cols, widen(type, data, (long) rows * cols, memory));
                default -> QuantRepacker.repack(type, data, rows, cols, memory);
            };
        } catch (OutOfMemoryError e) {
            OutOfMemoryError clear = new OutOfMemoryError("not enough memory to prepare a " + type + " " + rows + "x" + cols
                    + " matrix: repacked weights live off-heap (counted against -XX:MaxDirectMemorySize, which defaults to"
                    + " -Xmx) and their scales on the heap; raise -Xmx or -XX:MaxDirectMemorySize (" + e.getMessage() + ")");
            clear.initCause(e);
            throw clear;
        }
    }

    /** F16 / BF16 to little-endian F32 in fresh off-heap memory (freed when the matrix is unreachable). */
    private static MemorySegment widen(GgmlType type, MemorySegment src, long count, WeightMemory memory) {
        MemorySegment dst = memory.allocate(4 * count);
        final int chunk = 1 << 16;
        int chunks = (int) ((count + chunk - 1) / chunk);
        IntStream.range(0, chunks).parallel().forEach(c -> {
            long end = Math.min(count, (long) (c + 1) * chunk);
            for (long j = (long) c * chunk; j < end; j++) {
                short h = src.get(U16, 2 * j);
                float f = type == GgmlType.F16 ? Float.float16ToFloat(h) : Float.intBitsToFloat((h & 0xFFFF) << 16);
                dst.set(FLOAT_LE, 4 * j, f);
            }
        });
        return dst;
    }
}
