package dev.specula.bench.synthetic;

import dev.specula.gguf.GgmlType;
import dev.specula.gguf.GgufArray;
import dev.specula.gguf.GgufValueType;
import dev.specula.gguf.GgufWriter;
import dev.specula.gguf.RandomBlocks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a random-weight GGUF file with a {@link ModelShape}'s exact tensor names, shapes and
 * llama.cpp metadata, and a complete byte-level BPE tokenizer ({@link SyntheticVocab}). Tensor data is
 * generated while the file is written (streamed), so multi-gigabyte files need no large heap.
 *
 * <p>Every weight matrix gets the requested type; a matrix whose row length is not a multiple of that
 * type's block size falls back to Q8_0 (or F16), as llama-quantize does. Norm weights are F32 ones and
 * biases F32 zeros, so activations stay finite through any number of layers.
 */
public final class SyntheticModelWriter {
    /** Standard deviation of the random weights (typical of trained models). */
    static final float WEIGHT_STD = 0.02f;

    private SyntheticModelWriter() {}

    /** What was written: each tensor's name, type and dims. */
    public record TensorPlan(String name, GgmlType type, long[] dims) {}

    /** The tensors a model of this shape has, with the types this writer gives them. */
    public static List<TensorPlan> plan(ModelShape s, GgmlType type) {
        List<TensorPlan> t = new ArrayList<>();
        t.add(new TensorPlan("token_embd.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.vocabSize()}));
        for (int l = 0; l < s.layers(); l++) {
            String p = "blk." + l + ".";
            t.add(new TensorPlan(p + "attn_norm.weight", GgmlType.F32, new long[] {s.dim()}));
            t.add(new TensorPlan(p + "attn_q.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.qDim()}));
            t.add(new TensorPlan(p + "attn_k.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.kvDim()}));
            t.add(new TensorPlan(p + "attn_v.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.kvDim()}));
            if (s.qkvBias()) {
                t.add(new TensorPlan(p + "attn_q.bias", GgmlType.F32, new long[] {s.qDim()}));
                t.add(new TensorPlan(p + "attn_k.bias", GgmlType.F32, new long[] {s.kvDim()}));
                t.add(new TensorPlan(p + "attn_v.bias", GgmlType.F32, new long[] {s.kvDim()}));
            }
            t.add(new TensorPlan(p + "attn_output.weight", typeFor(type, s.qDim()), new long[] {s.qDim(), s.dim()}));
            t.add(new TensorPlan(p + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim()}));
            t.add(new TensorPlan(p + "ffn_gate.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.ffnDim()}));
            t.add(new TensorPlan(p + "ffn_up.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.ffnDim()}));
            t.add(new TensorPlan(p + "ffn_down.weight", typeFor(type, s.ffnDim()), new long[] {s.ffnDim(), s.dim()}));
        }
        t.add(new TensorPlan("output_norm.weight", GgmlType.F32, new long[] {s.dim()}));
        if (!s.tiedEmbeddings()) t.add(new TensorPlan("output.weight", typeFor(type, s.dim()), new long[] {s.dim(), s.vocabSize()}));
        return t;
    }

    /** {@code requested}, or a fallback whose block size divides {@code cols}. */
    static GgmlType typeFor(GgmlType requested, int cols) {
        if (cols % requested.blockSize == 0) return requested;
        return cols % GgmlType.Q8_0.blockSize == 0 ? GgmlType.Q8_0 : GgmlType.F16;
    }

    /** Writes the file; returns the tensor plan it followed. */
    public static List<TensorPlan> write(ModelShape s, GgmlType type, long seed, Path out) throws IOException {
        GgufWriter w = new GgufWriter();
        String a = s.architecture();
        w.putString("general.architecture", a);
        w.putString("general.name", "synthetic " + s.name() + " " + type);
        w.putString("general.description", "Random weights with the tensor shapes of " + s.name()
                + "; written by specula bench make-synthetic for speed measurements only (the output is noise).");
        w.putUInt32(a + ".context_length", s.contextLength());
        w.putUInt32(a + ".embedding_length", s.dim());
        w.putUInt32(a + ".block_count", s.layers());
        w.putUInt32(a + ".feed_forward_length", s.ffnDim());
        w.putUInt32(a + ".attention.head_count", s.heads());
        w.putUInt32(a + ".attention.head_count_kv", s.kvHeads());
        w.putUInt32(a + ".attention.key_length", s.headDim());
        w.putUInt32(a + ".attention.value_length", s.headDim());
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", s.rmsEps());
        w.putFloat32(a + ".rope.freq_base", s.ropeTheta());
        w.putUInt32(a + ".rope.dimension_count", s.headDim());
        w.putUInt32(a + ".vocab_size", s.vocabSize());

        SyntheticVocab vocab = SyntheticVocab.of(s.vocabSize());
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", "gpt-2");
        w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, vocab.tokens().toArray(String[]::new)));
        w.putArray("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, vocab.tokenTypes()));
        w.putArray("tokenizer.ggml.merges", new GgufArray(GgufValueType.STRING, vocab.merges().toArray(String[]::new)));
        w.putUInt32("tokenizer.ggml.bos_token_id", vocab.bos());
        w.putUInt32("tokenizer.ggml.eos_token_id", vocab.eos());
        w.putBool("tokenizer.ggml.add_bos_token", true);

        List<TensorPlan> plan = plan(s, type);
        long tensorSeed = seed;
        for (TensorPlan t : plan) {
            long elements = 1;
            for (long d : t.dims()) elements *= d;
            if (t.name().endsWith("_norm.weight")) {
                float[] ones = new float[Math.toIntExact(elements)];
                java.util.Arrays.fill(ones, 1f);
                w.addFloatTensor(t.name(), GgmlType.F32, t.dims(), ones);
            } else if (t.name().endsWith(".bias")) {
                w.addFloatTensor(t.name(), GgmlType.F32, t.dims(), new float[Math.toIntExact(elements)]);
            } else {
                w.addTensor(t.name(), t.type(), t.dims(), RandomBlocks.source(t.type(), tensorSeed++, elements, WEIGHT_STD));
            }
        }
        w.write(out);
        return plan;
    }
}
