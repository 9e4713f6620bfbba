package dev.specula.bench.decode;

import dev.specula.gguf.GgufFile;
import dev.specula.gguf.TensorInfo;

/**
 * Bytes of weights one decode step must read: every tensor of the file, except that a separate
 * {@code token_embd.weight} contributes only the one row looked up (with tied embeddings it is the
 * output head and is read in full). This is the numerator of the roofline: tokens/s <= bandwidth / bytes.
 */
public final class WeightBytes {
    private WeightBytes() {}

    public static long perToken(GgufFile file) {
        long total = 0;
        boolean untied = file.findTensor("output.weight") != null;
        for (TensorInfo t : file.tensors()) {
            if (untied && t.name().equals("token_embd.weight")) {
                total += t.byteSize() / Math.max(1, t.rows());
            } else {
                total += t.byteSize();
            }
        }
        return total;
    }
}
