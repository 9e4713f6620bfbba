package dev.specula.engine.model;

import dev.specula.gguf.GgmlType;
import dev.specula.gguf.GgufWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: converts a karpathy/llama2.c checkpoint ({@code run.c} format: 7 int32 header
 * {dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len}, then float32 tensors
 * token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, freq_cis_real/imag, [wcls])
 * into a llama GGUF without tokenizer. Matrices are stored [out][in] row-major, which is GGML's
 * {@code dims = {in, out}}; llama2.c's RoPE rotates adjacent pairs, like GGUF llama, so nothing is permuted.
 * A negative vocab_size means a separate classifier (written as output.weight); otherwise the
 * embeddings are tied (no output.weight).
 */
final class Llama2cCheckpoint {
    private Llama2cCheckpoint() {}

    static void convertToGguf(Path checkpoint, Path gguf) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(checkpoint)).order(ByteOrder.LITTLE_ENDIAN);
        int dim = bytes.getInt(), hidden = bytes.getInt(), layers = bytes.getInt(), heads = bytes.getInt(),
                kvHeads = bytes.getInt(), vocabField = bytes.getInt(), seqLen = bytes.getInt();
        boolean shared = vocabField > 0;
        int vocab = Math.abs(vocabField);
        int headSize = dim / heads, kvDim = kvHeads * headSize;
        FloatBuffer f = bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] embedding = take(f, vocab * dim);
        float[][] rmsAtt = takeLayers(f, layers, dim), wq = takeLayers(f, layers, dim * dim),
                wk = takeLayers(f, layers, kvDim * dim), wv = takeLayers(f, layers, kvDim * dim),
                wo = takeLayers(f, layers, dim * dim), rmsFfn = takeLayers(f, layers, dim),
                w1 = takeLayers(f, layers, hidden * dim), w2 = takeLayers(f, layers, dim * hidden),
                w3 = takeLayers(f, layers, hidden * dim);
        float[] rmsFinal = take(f, dim);
        take(f, seqLen * headSize / 2); // freq_cis_real: recomputed from theta 10000
        take(f, seqLen * headSize / 2); // freq_cis_imag
        float[] classifier = shared ? null : take(f, vocab * dim);
        if (f.hasRemaining()) throw new IOException(checkpoint + ": " + f.remaining() + " unexpected trailing floats");

        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", checkpoint.getFileName().toString())
                .putUInt32("llama.context_length", seqLen)
                .putUInt32("llama.embedding_length", dim)
                .putUInt32("llama.block_count", layers)
                .putUInt32("llama.feed_forward_length", hidden)
                .putUInt32("llama.attention.head_count", heads)
                .putUInt32("llama.attention.head_count_kv", kvHeads)
                .putUInt32("llama.rope.dimension_count", headSize)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        w.addFloatTensor("token_embd.weight", GgmlType.F32, new long[] {dim, vocab}, embedding);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            w.addFloatTensor(b + "attn_norm.weight", GgmlType.F32, new long[] {dim}, rmsAtt[l]);
            w.addFloatTensor(b + "attn_q.weight", GgmlType.F32, new long[] {dim, dim}, wq[l]);
            w.addFloatTensor(b + "attn_k.weight", GgmlType.F32, new long[] {dim, kvDim}, wk[l]);
            w.addFloatTensor(b + "attn_v.weight", GgmlType.F32, new long[] {dim, kvDim}, wv[l]);
            w.addFloatTensor(b + "attn_output.weight", GgmlType.F32, new long[] {dim, dim}, wo[l]);
            w.addFloatTensor(b + "ffn_norm.weight", GgmlType.F32, new long[] {dim}, rmsFfn[l]);
            w.addFloatTensor(b + "ffn_gate.weight", GgmlType.F32, new long[] {dim, hidden}, w1[l]);
            w.addFloatTensor(b + "ffn_down.weight", GgmlType.F32, new long[] {hidden, dim}, w2[l]);
            w.addFloatTensor(b + "ffn_up.weight", GgmlType.F32, new long[] {dim, hidden}, w3[l]);
        }
        w.addFloatTensor("output_norm.weight", GgmlType.F32, new long[] {dim}, rmsFinal);
        if (classifier != null) w.addFloatTensor("output.weight", GgmlType.F32, new long[] {dim, vocab}, classifier);
        w.write(gguf);
    }

    private static float[] take(FloatBuffer f, int n) throws IOException {
        if (f.remaining() < n) throw new IOException("llama2.c checkpoint truncated: need " + n + " floats, " + f.remaining() + " left");
        float[] out = new float[n];
        f.get(out);
        return out;
    }

    private static float[][] takeLayers(FloatBuffer f, int layers, int n) throws IOException {
        float[][] out = new float[layers][];
        for (int l = 0; l < layers; l++) out[l] = take(f, n);
        return out;
    }
}
