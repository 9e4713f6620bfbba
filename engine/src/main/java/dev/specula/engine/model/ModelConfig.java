package dev.specula.engine.model;

import dev.specula.gguf.GgufFile;
import dev.specula.gguf.GgufMetadata;
import dev.specula.gguf.TensorInfo;
import java.util.List;

/**
 * Hyper-parameters of a llama-family model, read from GGUF metadata ({@code <arch>.*} keys).
 *
 * @param headDim         query/key/value width of one head ({@code <arch>.attention.key_length}, default dim / heads)
 * @param ropeDim         leading dimensions of each head that are rotated ({@code <arch>.rope.dimension_count})
 * @param ropeFreqScale   linear RoPE scaling: positions are multiplied by this (1 / {@code rope.scaling.factor})
 * @param qkvBias         q, k, v projections carry biases (qwen2)
 * @param qkNorm          per-head RMSNorm of q and k before RoPE (qwen3)
 */
public record ModelConfig(String architecture, int vocabSize, int contextLength, int dim, int layers, int heads,
                          int kvHeads, int headDim, int ffnDim, float normEps, RopeLayout ropeLayout, int ropeDim,
                          float ropeFreqBase, float ropeFreqScale, boolean qkvBias, boolean qkNorm) {

    /** Values of {@code general.architecture} this engine runs. */
    public static final List<String> SUPPORTED_ARCHITECTURES = List.of("llama", "qwen2", "qwen3");

    public ModelConfig {
        check(vocabSize > 0, "vocabulary size", vocabSize);
        check(contextLength > 0, "context length", contextLength);
        check(dim > 0, "embedding length", dim);
        check(layers > 0, "block count", layers);
        check(heads > 0, "head count", heads);
        check(kvHeads > 0 && heads % kvHeads == 0, "KV head count (must divide the head count " + heads + ")", kvHeads);
        check(headDim > 0 && headDim % 2 == 0, "head dimension (must be even)", headDim);
        check(ffnDim > 0, "feed-forward length", ffnDim);
        check(ropeDim > 0 && ropeDim % 2 == 0 && ropeDim <= headDim, "RoPE dimension count (even, <= head dim " + headDim + ")", ropeDim);
        if (!(normEps > 0) || !(ropeFreqBase > 0) || !(ropeFreqScale > 0))
            throw new IllegalArgumentException("RMSNorm epsilon, RoPE base and RoPE scale must be > 0, got "
                    + normEps + ", " + ropeFreqBase + ", " + ropeFreqScale);
    }

    private static void check(boolean ok, String what, int value) {
        if (!ok) throw new IllegalArgumentException("invalid " + what + ": " + value);
    }

    /** Width of all query heads together. */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of all key (or value) heads together: one KV cache row. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Reads the configuration of a llama / qwen2 / qwen3 GGUF file. */
    public static ModelConfig fromGguf(GgufFile file) throws InvalidModelException {
        GgufMetadata md = file.metadata();
        String src = file.source();
        String arch;
        try {
            arch = md.getString("general.architecture");
        } catch (GgufMetadata.MetadataException e) {
            throw new InvalidModelException(src + ": no usable general.architecture key (" + e.getMessage() + ")", e);
        }
        if (!SUPPORTED_ARCHITECTURES.contains(arch)) throw new UnsupportedArchitectureException(src, arch);
        String p = arch + ".";
        try {
            int dim = md.getInt(p + "embedding_length");
            int heads = md.getInt(p + "attention.head_count");
            int kvHeads = md.getInt(p + "attention.head_count_kv", heads);
            if (heads <= 0 || dim % Math.max(heads, 1) != 0 && !md.contains(p + "attention.key_length"))
                throw new InvalidModelException(src + ": embedding_length " + dim + " is not a multiple of head_count " + heads);
            int headDim = md.getInt(p + "attention.key_length", heads > 0 ? dim / heads : 0);
            int valueDim = md.getInt(p + "attention.value_length", headDim);
            if (valueDim != headDim)
                throw new InvalidModelException(src + ": attention.value_length " + valueDim + " differs from key_length "
                        + headDim + " (not supported)");
            TensorInfo embd = file.findTensor("token_embd.weight");
            if (embd == null) throw new InvalidModelException(src + ": missing tensor 'token_embd.weight' (expected [" + dim + ", n_vocab])");
            long vocab = md.contains(p + "vocab_size") ? md.getLong(p + "vocab_size") : embd.rows();
            if (embd.dims().length != 2 || embd.cols() != dim || embd.rows() != vocab)
                throw new InvalidModelException(src + ": tensor 'token_embd.weight' has shape " + embd.shapeString()
                        + ", expected [" + dim + ", " + vocab + "]");
            int ropeDim = md.getInt(p + "rope.dimension_count", headDim);
            float freqScale = 1f;
            String scaling = md.getString(p + "rope.scaling.type", "none");
            float factor = md.getFloat(p + "rope.scaling.factor", 0f);
            switch (scaling) {
                case "none" -> { }
                case "linear" -> freqScale = factor > 0 ? 1f / factor : 1f;
                default -> throw new InvalidModelException(src + ": rope.scaling.type '" + scaling
                        + "' is not supported (supported: none, linear; Llama-3 scaling comes as the rope_freqs.weight tensor)");
            }
            if (md.contains(p + "rope.scale_linear")) freqScale = 1f / md.getFloat(p + "rope.scale_linear");
            return new ModelConfig(arch, Math.toIntExact(vocab), md.getInt(p + "context_length"), dim,
                    md.getInt(p + "block_count"), heads, kvHeads, headDim, md.getInt(p + "feed_forward_length"),
                    md.getFloat(p + "attention.layer_norm_rms_epsilon", 1e-5f),
                    arch.equals("llama") ? RopeLayout.NORMAL : RopeLayout.NEOX, ropeDim,
                    md.getFloat(p + "rope.freq_base", 10000f), freqScale,
                    arch.equals("qwen2"), arch.equals("qwen3"));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidModelException(src + ": invalid " + arch + " hyper-parameters: " + e.getMessage(), e);
        }
    }
}
