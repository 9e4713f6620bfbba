package dev.specula.engine.model;

import dev.specula.engine.kernel.WeightMatrices;
import dev.specula.engine.kernel.WeightMemory;
import dev.specula.engine.kernel.WeightMatrix;
import dev.specula.gguf.Dequantize;
import dev.specula.gguf.GgmlType;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * All weights of a llama-family model, checked against the configuration: every tensor must exist
 * with the GGML shape {@code [cols, rows]} the config implies, or loading fails naming the tensor.
 *
 * @param output        the classifier; the same object as {@code embedding} when embeddings are tied
 * @param ropeFreqDivisors per-pair RoPE frequency divisors ({@code rope_freqs.weight}, Llama 3.1), or null
 */
record ModelWeights(WeightMatrix embedding, LayerWeights[] layers, float[] outputNorm, WeightMatrix output,
                    float[] ropeFreqDivisors) {

    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static ModelWeights load(GgufFile file, ModelConfig c) throws InvalidModelException {
        Loader in = new Loader(file, WeightMemory.forModel());
        int dim = c.dim(), qDim = c.qDim(), kvDim = c.kvDim(), ffn = c.ffnDim();
        WeightMatrix embedding = in.matrix("token_embd.weight", c.vocabSize(), dim);
        LayerWeights[] layers = new LayerWeights[c.layers()];
        for (int l = 0; l < layers.length; l++) {
            String b = "blk." + l + ".";
            boolean bias = c.qkvBias() || file.findTensor(b + "attn_q.bias") != null;
            layers[l] = new LayerWeights(
                    in.vector(b + "attn_norm.weight", dim),
                    in.matrix(b + "attn_q.weight", qDim, dim),
                    in.matrix(b + "attn_k.weight", kvDim, dim),
                    in.matrix(b + "attn_v.weight", kvDim, dim),
                    in.matrix(b + "attn_output.weight", dim, qDim),
                    bias ? in.vector(b + "attn_q.bias", qDim) : null,
                    bias ? in.vector(b + "attn_k.bias", kvDim) : null,
                    bias ? in.vector(b + "attn_v.bias", kvDim) : null,
                    c.qkNorm() ? in.vector(b + "attn_q_norm.weight", c.headDim()) : null,
                    c.qkNorm() ? in.vector(b + "attn_k_norm.weight", c.headDim()) : null,
                    in.vector(b + "ffn_norm.weight", dim),
                    in.matrix(b + "ffn_gate.weight", ffn, dim),
                    in.matrix(b + "ffn_up.weight", ffn, dim),
                    in.matrix(b + "ffn_down.weight", dim, ffn));
        }
        float[] outputNorm = in.vector("output_norm.weight", dim);
        WeightMatrix output = file.findTensor("output.weight") != null
                ? in.matrix("output.weight", c.vocabSize(), dim) : embedding;
        float[] ropeFreqs = file.findTensor("rope_freqs.weight") != null ? in.vector("rope_freqs.weight", c.ropeDim() / 2) : null;
        if (ropeFreqs != null) {
            for (int i = 0; i < ropeFreqs.length; i++) {
                if (!(ropeFreqs[i] > 0) || Float.isInfinite(ropeFreqs[i]))
                    throw new InvalidModelException(file.source() + ": rope_freqs.weight[" + i + "] = " + ropeFreqs[i] + " is not a positive finite divisor");
            }
        }
        return new ModelWeights(embedding, layers, outputNorm, output, ropeFreqs);
    }

    /** Reads named tensors with shape checks. */
    private record Loader(GgufFile file, WeightMemory memory) {
        private TensorInfo require(String name, long... dims) throws InvalidModelException {
            TensorInfo t = file.findTensor(name);
            String expected = java.util.Arrays.toString(dims);
            if (t == null) throw new InvalidModelException(file.source() + ": missing tensor '" + name + "' (expected shape " + expected + ")");
            if (!java.util.Arrays.equals(t.dims(), dims))
                throw new InvalidModelException(file.source() + ": tensor '" + name + "' has shape " + t.shapeString()
                        + ", expected " + expected);
            return t;
        }

        WeightMatrix matrix(String name, int rows, int cols) throws InvalidModelException {
            TensorInfo t = require(name, cols, rows);
            try {
                return WeightMatrices.load(t.type(), file.data(t), rows, cols, memory);
            } catch (RuntimeException e) {
                throw new InvalidModelException(file.source() + ": cannot load tensor '" + name + "' (" + t.type() + " "
                        + t.shapeString() + "): " + e.getMessage(), e);
            }
        }

        float[] vector(String name, int n) throws InvalidModelException {
            TensorInfo t = require(name, n);
            MemorySegment data = file.data(t);
            float[] out = new float[n];
            if (t.type() == GgmlType.F32) {
                MemorySegment.copy(data, F32_LE, 0, out, 0, n);
            } else if (!t.type().isQuantized()) {
                Dequantize.toFloat(t.type(), data, 0, out, 0, n);
            } else {
                throw new InvalidModelException(file.source() + ": tensor '" + name + "' is " + t.type()
                        + "; norm/bias vectors must be F32, F16 or BF16");
            }
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(out[i]))
                    throw new InvalidModelException(file.source() + ": tensor '" + name + "' element " + i + " is " + out[i]);
            }
            return out;
        }
    }
}
