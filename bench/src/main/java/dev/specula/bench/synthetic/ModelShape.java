package dev.specula.bench.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hyper-parameters that decide a model's tensor shapes, for writing random-weight files with the
 * exact shapes of real models (speed measurements only: the weights are noise).
 *
 * @param name          catalogue name ("llama-3.2-1b")
 * @param architecture  GGUF general.architecture ("llama" or "qwen2")
 * @param dim           embedding length
 * @param layers        transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads (GQA)
 * @param headDim       dimension of one head
 * @param ffnDim        SwiGLU hidden size
 * @param vocabSize     vocabulary size
 * @param contextLength context length written into the metadata
 * @param tiedEmbeddings true when the output projection reuses token_embd (no output.weight)
 * @param qkvBias       true for Qwen2-style biases on the q/k/v projections
 * @param ropeTheta     RoPE base frequency
 * @param rmsEps        RMSNorm epsilon
 */
public record ModelShape(String name, String architecture, int dim, int layers, int heads, int kvHeads, int headDim,
                         int ffnDim, int vocabSize, int contextLength, boolean tiedEmbeddings, boolean qkvBias,
                         float ropeTheta, float rmsEps) {

    /** Shapes from the models' published configurations (config.json of each Hugging Face release). */
    public static final List<ModelShape> CATALOGUE = List.of(
            new ModelShape("llama-3.2-1b", "llama", 2048, 16, 32, 8, 64, 8192, 128256, 8192, true, false, 500000f, 1e-5f),
            new ModelShape("llama-3.2-3b", "llama", 3072, 28, 24, 8, 128, 8192, 128256, 8192, true, false, 500000f, 1e-5f),
            new ModelShape("llama-3.1-8b", "llama", 4096, 32, 32, 8, 128, 14336, 128256, 8192, false, false, 500000f, 1e-5f),
            new ModelShape("qwen2.5-0.5b", "qwen2", 896, 24, 14, 2, 64, 4864, 151936, 8192, true, true, 1000000f, 1e-6f),
            new ModelShape("qwen2.5-1.5b", "qwen2", 1536, 28, 12, 2, 128, 8960, 151936, 8192, true, true, 1000000f, 1e-6f),
            new ModelShape("qwen2.5-7b", "qwen2", 3584, 28, 28, 4, 128, 18944, 152064, 8192, false, true, 1000000f, 1e-6f),
            new ModelShape("pycode-88m", "llama", 768, 12, 12, 4, 64, 2048, 16384, 1024, true, false, 10000f, 1e-5f),
            // small enough for unit tests, still a multiple of 256 wherever a K-quant needs it
            new ModelShape("tiny", "llama", 256, 2, 4, 2, 64, 512, 384, 256, false, false, 10000f, 1e-5f));

    public ModelShape {
        if (dim <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || ffnDim <= 0 || vocabSize <= 0 || contextLength <= 0) {
            throw new IllegalArgumentException("shape '" + name + "' has a non-positive dimension");
        }
        if (heads % kvHeads != 0) throw new IllegalArgumentException("shape '" + name + "': heads " + heads + " not a multiple of kv heads " + kvHeads);
        if (vocabSize < SyntheticVocab.MIN_VOCAB) {
            throw new IllegalArgumentException("shape '" + name + "': vocab " + vocabSize + " below the byte-level minimum " + SyntheticVocab.MIN_VOCAB);
        }
    }

    /** The catalogue shape with this name (case-insensitive). */
    public static ModelShape named(String name) {
        for (ModelShape s : CATALOGUE) if (s.name.equalsIgnoreCase(name.trim())) return s;
        throw new IllegalArgumentException("unknown shape '" + name + "' (known: " + names() + ")");
    }

    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (ModelShape s : CATALOGUE) n.add(s.name);
        return n;
    }

    public int qDim() {
        return heads * headDim;
    }

    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Parameters in the weight matrices and vectors, embeddings included once. */
    public long parameterCount() {
        long perLayer = 2L * dim // norms
                + (long) dim * qDim() + 2L * dim * kvDim() + (long) qDim() * dim
                + 3L * dim * ffnDim
                + (qkvBias ? qDim() + 2L * kvDim() : 0);
        return (long) vocabSize * dim * (tiedEmbeddings ? 1 : 2) + dim + layers * perLayer;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, dim %d, %d layers, %d/%d heads x %d, ffn %d, vocab %d%s)", name, architecture,
                dim, layers, heads, kvHeads, headDim, ffnDim, vocabSize, tiedEmbeddings ? ", tied" : "");
    }
}
