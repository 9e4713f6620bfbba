package dev.specula.gguf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Supplies the bytes of one tensor to {@link GgufWriter} when the file is written, so tensors of a
 * large synthetic model never have to exist in memory all at once. An implementation must write
 * exactly the tensor's byte size ({@link GgmlType#bytesFor}); the writer checks it.
 */
@FunctionalInterface
public interface TensorSource {
    /** Chunk size used when copying from memory or generating data. */
    int CHUNK_BYTES = 1 << 20;

    /** Writes the tensor's bytes to {@code out}. */
    void writeTo(WritableByteChannel out) throws IOException;

    /** The given bytes (not copied; do not modify them before the file is written). */
    static TensorSource of(byte[] bytes) {
        return of(MemorySegment.ofArray(bytes));
    }

    /** The bytes of a segment, e.g. a tensor of another, still open {@link GgufFile}. */
    static TensorSource of(MemorySegment bytes) {
        return out -> {
            long size = bytes.byteSize();
            for (long at = 0; at < size; at += CHUNK_BYTES) {
                long n = Math.min(CHUNK_BYTES, size - at);
                writeFully(out, bytes.asSlice(at, n).asByteBuffer());
            }
        };
    }

    /**
     * Float values quantized to {@code type} with the reference quantizers ({@link Quantize}),
     * block-aligned chunk by chunk while writing.
     */
    static TensorSource quantized(GgmlType type, float[] values) {
        return out -> {
            int chunkElements = Math.max(1, CHUNK_BYTES / type.blockBytes) * type.blockSize;
            for (int at = 0; at < values.length; at += chunkElements) {
                int n = Math.min(chunkElements, values.length - at);
                writeFully(out, ByteBuffer.wrap(Quantize.fromFloat(type, values, at, n)));
            }
        };
    }

    /** Writes all remaining bytes of {@code buf}. */
    static void writeFully(WritableByteChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }
}
