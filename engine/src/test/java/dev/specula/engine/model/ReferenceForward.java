package dev.specula.engine.model;

import dev.specula.gguf.Dequantize;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.GgufMetadata;
import dev.specula.gguf.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Test oracle: a plain double-precision llama / qwen2 / qwen3 forward pass over a whole token
 * sequence (no KV cache, full causal attention recomputed), with weights dequantized by the scalar
 * {@link Dequantize}. Written independently of the engine, straight from the formulas.
 */
final class ReferenceForward {
    private final GgufFile file;
    private final String arch;
    private final int dim, layers, heads, kvHeads, headDim, ffn, vocab, ropeDim;
    private final double eps, base, posScale;
    private final boolean neox;

    ReferenceForward(GgufFile file) {
        this.file = file;
        GgufMetadata md = file.metadata();
        arch = md.getString("general.architecture");
        String p = arch + ".";
        dim = md.getInt(p + "embedding_length");
        layers = md.getInt(p + "block_count");
        heads = md.getInt(p + "attention.head_count");
        kvHeads = md.getInt(p + "attention.head_count_kv", heads);
        headDim = md.getInt(p + "attention.key_length", dim / heads);
        ffn = md.getInt(p + "feed_forward_length");
        vocab = (int) file.findTensor("token_embd.weight").rows();
        ropeDim = md.getInt(p + "rope.dimension_count", headDim);
        eps = md.getFloat(p + "attention.layer_norm_rms_epsilon");
        base = md.getFloat(p + "rope.freq_base", 10000f);
        posScale = md.getString(p + "rope.scaling.type", "none").equals("linear") ? 1.0 / md.getFloat(p + "rope.scaling.factor") : 1.0;
        neox = !arch.equals("llama");
    }

    static double[][] logits(Path gguf, int[] tokens) throws IOException {
        try (GgufFile f = GgufFile.open(gguf)) {
            return new ReferenceForward(f).run(tokens);
        }
    }

    private double[] tensor(String name) {
        TensorInfo t = file.findTensor(name);
        if (t == null) return null;
        int n = (int) t.elementCount();
        float[] f = new float[n];
        Dequantize.toFloat(t.type(), file.data(t), 0, f, 0, n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = f[i];
        return d;
    }

    /** y = W x for W stored [rows][cols]. */
    private static double[] matVec(double[] w, double[] x, int rows, int cols) {
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += w[i * cols + j] * x[j];
            y[i] = s;
        }
        return y;
    }

    private double[] rmsNorm(double[] x, int off, int n, double[] g) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += x[off + i] * x[off + i];
        double inv = 1 / Math.sqrt(ss / n + eps);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = x[off + i] * inv * g[i];
        return out;
    }

    /** Rotates the pairs of one head at position pos (complex multiplication by e^{i theta}). */
    private void rope(double[] v, int off, int pos, double[] divisors) {
        for (int i = 0; i < ropeDim / 2; i++) {
            double theta = pos * posScale / Math.pow(base, (2.0 * i) / ropeDim);
            if (divisors != null) theta /= divisors[i];
            int a = neox ? off + i : off + 2 * i;
            int b = neox ? off + i + ropeDim / 2 : off + 2 * i + 1;
            double re = v[a], im = v[b];
            v[a] = re * Math.cos(theta) - im * Math.sin(theta);
            v[b] = re * Math.sin(theta) + im * Math.cos(theta);
        }
    }

    double[][] run(int[] tokens) {
        int n = tokens.length, qDim = heads * headDim, kvDim = kvHeads * headDim;
        double[] emb = tensor("token_embd.weight");
        double[] divisors = tensor("rope_freqs.weight");
        double[][] x = new double[n][dim];
        for (int t = 0; t < n; t++) System.arraycopy(emb, tokens[t] * dim, x[t], 0, dim);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            double[] attnNorm = tensor(b + "attn_norm.weight"), wq = tensor(b + "attn_q.weight"), wk = tensor(b + "attn_k.weight"),
                    wv = tensor(b + "attn_v.weight"), wo = tensor(b + "attn_output.weight"), bq = tensor(b + "attn_q.bias"),
                    bk = tensor(b + "attn_k.bias"), bv = tensor(b + "attn_v.bias"), qn = tensor(b + "attn_q_norm.weight"),
                    kn = tensor(b + "attn_k_norm.weight"), ffnNorm = tensor(b + "ffn_norm.weight"),
                    wg = tensor(b + "ffn_gate.weight"), wu = tensor(b + "ffn_up.weight"), wd = tensor(b + "ffn_down.weight");
            double[][] q = new double[n][], k = new double[n][], v = new double[n][];
            for (int t = 0; t < n; t++) {
                double[] h = rmsNorm(x[t], 0, dim, attnNorm);
                q[t] = matVec(wq, h, qDim, dim);
                k[t] = matVec(wk, h, kvDim, dim);
                v[t] = matVec(wv, h, kvDim, dim);
                for (int i = 0; bq != null && i < qDim; i++) q[t][i] += bq[i];
                for (int i = 0; bk != null && i < kvDim; i++) k[t][i] += bk[i];
                for (int i = 0; bv != null && i < kvDim; i++) v[t][i] += bv[i];
                for (int hh = 0; hh < heads; hh++) {
                    if (qn != null) System.arraycopy(rmsNorm(q[t], hh * headDim, headDim, qn), 0, q[t], hh * headDim, headDim);
                    rope(q[t], hh * headDim, t, divisors);
                }
                for (int g = 0; g < kvHeads; g++) {
                    if (kn != null) System.arraycopy(rmsNorm(k[t], g * headDim, headDim, kn), 0, k[t], g * headDim, headDim);
                    rope(k[t], g * headDim, t, divisors);
                }
            }
            for (int t = 0; t < n; t++) {
                double[] att = new double[qDim];
                for (int hh = 0; hh < heads; hh++) {
                    int g = hh / (heads / kvHeads);
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        double d = 0;
                        for (int i = 0; i < headDim; i++) d += q[t][hh * headDim + i] * k[u][g * headDim + i];
                        s[u] = d / Math.sqrt(headDim);
                        max = Math.max(max, s[u]);
                    }
                    double z = 0;
                    for (int u = 0; u <= t; u++) z += s[u] = Math.exp(s[u] - max);
                    for (int u = 0; u <= t; u++) {
                        for (int i = 0; i < headDim; i++) att[hh * headDim + i] += s[u] / z * v[u][g * headDim + i];
                    }
                }
                double[] o = matVec(wo, att, dim, qDim);
                for (int i = 0; i < dim; i++) x[t][i] += o[i];
                double[] h = rmsNorm(x[t], 0, dim, ffnNorm);
                double[] gate = matVec(wg, h, ffn, dim), up = matVec(wu, h, ffn, dim);
                for (int i = 0; i < ffn; i++) gate[i] = gate[i] / (1 + Math.exp(-gate[i])) * up[i];
                double[] down = matVec(wd, gate, dim, ffn);
                for (int i = 0; i < dim; i++) x[t][i] += down[i];
            }
        }
        double[] outNorm = tensor("output_norm.weight");
        double[] out = tensor("output.weight");
        if (out == null) out = emb;
        double[][] logits = new double[n][];
        for (int t = 0; t < n; t++) logits[t] = matVec(out, rmsNorm(x[t], 0, dim, outNorm), vocab, dim);
        return logits;
    }
}
