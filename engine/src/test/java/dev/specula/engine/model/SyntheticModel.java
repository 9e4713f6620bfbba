package dev.specula.engine.model;

import dev.specula.gguf.GgmlType;
import dev.specula.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Test helper: writes a small llama / qwen2 / qwen3 GGUF with seeded random weights, using the
 * project's {@link GgufWriter} and reference quantizers. Knobs cover the architecture features the
 * engine must handle; {@link #omit} and {@link #reshape} break files on purpose for error tests.
 */
final class SyntheticModel {
    String arch = "llama";
    int dim = 64, layers = 2, heads = 4, kvHeads = 2, ffn = 96, vocab = 97, context = 64;
    /** Explicit head dimension ({@code attention.key_length}); 0 = dim / heads. */
    int headDim = 0;
    /** {@code rope.dimension_count}; 0 = head dim. */
    int ropeDim = 0;
    float ropeBase = 10000f;
    /** Linear RoPE scaling factor ({@code rope.scaling.*}); 0 = none. */
    float ropeLinearFactor = 0f;
    boolean ropeFreqsTensor = false;
    boolean tied = true;
    boolean qkvBias = false;
    boolean qkNorm = false;
    GgmlType matrixType = GgmlType.F32;
    GgmlType embeddingType = null; // null = matrixType
    long seed = 1;
    final Set<String> omit = new HashSet<>();
    final Map<String, long[]> reshape = new LinkedHashMap<>();
    final Set<String> omitKeys = new HashSet<>();

    static SyntheticModel llama() {
        return new SyntheticModel();
    }

    int headDimension() {
        return headDim > 0 ? headDim : dim / heads;
    }

    void write(Path path) throws IOException {
        Random r = new Random(seed);
        int hd = headDimension(), qDim = heads * hd, kvDim = kvHeads * hd;
        String p = arch + ".";
        GgufWriter w = new GgufWriter().putString("general.architecture", arch).putString("general.name", "synthetic-" + arch);
        putKey(w, p + "context_length", context);
        putKey(w, p + "embedding_length", dim);
        putKey(w, p + "block_count", layers);
        putKey(w, p + "feed_forward_length", ffn);
        putKey(w, p + "attention.head_count", heads);
        putKey(w, p + "attention.head_count_kv", kvHeads);
        if (headDim > 0) {
            putKey(w, p + "attention.key_length", hd);
            putKey(w, p + "attention.value_length", hd);
        }
        if (ropeDim > 0) putKey(w, p + "rope.dimension_count", ropeDim);
        if (!omitKeys.contains(p + "rope.freq_base")) w.putFloat32(p + "rope.freq_base", ropeBase);
        w.putFloat32(p + "attention.layer_norm_rms_epsilon", 1e-6f);
        if (ropeLinearFactor > 0) {
            w.putString(p + "rope.scaling.type", "linear");
            w.putFloat32(p + "rope.scaling.factor", ropeLinearFactor);
        }
        GgmlType embType = embeddingType != null ? embeddingType : matrixType;
        add(w, "token_embd.weight", embType, r, 1.0, dim, vocab);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            norm(w, b + "attn_norm.weight", r, dim);
            add(w, b + "attn_q.weight", matrixType, r, 1 / Math.sqrt(dim), dim, qDim);
            add(w, b + "attn_k.weight", matrixType, r, 1 / Math.sqrt(dim), dim, kvDim);
            add(w, b + "attn_v.weight", matrixType, r, 1 / Math.sqrt(dim), dim, kvDim);
            add(w, b + "attn_output.weight", matrixType, r, 1 / Math.sqrt(qDim), qDim, dim);
            if (qkvBias) {
                add(w, b + "attn_q.bias", GgmlType.F32, r, 0.5, qDim);
                add(w, b + "attn_k.bias", GgmlType.F32, r, 0.5, kvDim);
                add(w, b + "attn_v.bias", GgmlType.F32, r, 0.5, kvDim);
            }
            if (qkNorm) {
                norm(w, b + "attn_q_norm.weight", r, hd);
                norm(w, b + "attn_k_norm.weight", r, hd);
            }
            norm(w, b + "ffn_norm.weight", r, dim);
            add(w, b + "ffn_gate.weight", matrixType, r, 1 / Math.sqrt(dim), dim, ffn);
            add(w, b + "ffn_up.weight", matrixType, r, 1 / Math.sqrt(dim), dim, ffn);
            add(w, b + "ffn_down.weight", matrixType, r, 1 / Math.sqrt(ffn), ffn, dim);
        }
        norm(w, "output_norm.weight", r, dim);
        if (!tied) add(w, "output.weight", matrixType, r, 1 / Math.sqrt(dim), dim, vocab);
        if (ropeFreqsTensor) {
            int pairs = (ropeDim > 0 ? ropeDim : hd) / 2;
            float[] f = new float[pairs];
            for (int i = 0; i < pairs; i++) f[i] = 1f + 7f * i / Math.max(1, pairs - 1); // divisors 1 .. 8, as Llama 3.1's
            addValues(w, "rope_freqs.weight", GgmlType.F32, f, pairs);
        }
        w.write(path);
    }

    private void putKey(GgufWriter w, String key, int value) {
        if (!omitKeys.contains(key)) w.putUInt32(key, value);
    }

    private void norm(GgufWriter w, String name, Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (1 + 0.2 * r.nextGaussian());
        addValues(w, name, GgmlType.F32, v, n);
    }

    private void add(GgufWriter w, String name, GgmlType type, Random r, double scale, long... dims) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) v[i] = (float) (scale * r.nextGaussian());
        addValues(w, name, type, v, dims);
    }

    private void addValues(GgufWriter w, String name, GgmlType type, float[] v, long... dims) {
        if (omit.contains(name)) return;
        long[] shape = reshape.getOrDefault(name, dims);
        if (shape != dims) {
            long n = 1;
            for (long d : shape) n *= d;
            v = java.util.Arrays.copyOf(v, (int) n);
        }
        w.addFloatTensor(name, type, shape, v);
    }
}
