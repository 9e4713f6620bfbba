package dev.specula.gguf;

import java.util.Arrays;

/**
 * One tensor of a GGUF file. {@code dims[0]} is the innermost (contiguous) dimension, as in GGML:
 * a matrix with {@code dims = {cols, rows}} stores {@code rows} rows of {@code cols} elements.
 *
 * @param offset byte offset relative to the start of the data section
 * @param byteSize bytes the tensor occupies
 */
public record TensorInfo(String name, GgmlType type, long[] dims, long offset, long byteSize) {

    public long elementCount() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    /** Elements per row (dims[0]). */
    public long cols() {
        return dims[0];
    }

    /** Number of rows: the product of all dims but the first. */
    public long rows() {
        return dims.length == 0 ? 1 : elementCount() / dims[0];
    }

    public String shapeString() {
        return Arrays.toString(dims);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.type == type && Arrays.equals(t.dims, dims)
                && t.offset == offset && t.byteSize == byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + shapeString() + " @" + offset + " (" + byteSize + " B)";
    }
}
