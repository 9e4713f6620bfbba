package dev.specula.engine.model;

import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.tokenizer.Tokenizer;
import dev.specula.gguf.GgufFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A loaded llama-family model (llama, qwen2, qwen3): configuration, weights (memory-mapped or repacked
 * by the kernels) and tokenizer. Immutable and shareable between sessions; each sequence being decoded
 * gets its own {@link ModelSession}. Closing the model unmaps the file: sessions must not be used after.
 */
public final class LlamaModel implements AutoCloseable {
    private final GgufFile file;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final Parallel pool;
    private volatile Tokenizer tokenizer;

    private LlamaModel(GgufFile file, ModelConfig config, ModelWeights weights, Parallel pool) {
        this.file = file;
        this.config = config;
        this.weights = weights;
        this.pool = pool;
    }

    /**
     * Maps {@code gguf} and prepares its weights. Unsupported architectures, missing tensors and wrong
     * shapes throw {@link InvalidModelException} subclasses naming the problem.
     */
    public static LlamaModel load(Path gguf, Parallel pool) throws IOException {
        if (pool == null) throw new IllegalArgumentException("thread pool is null");
        GgufFile file = GgufFile.open(gguf);
        try {
            ModelConfig config = ModelConfig.fromGguf(file);
            ModelWeights weights = ModelWeights.load(file, config);
            return new LlamaModel(file, config, weights, pool);
        } catch (IOException | RuntimeException | Error e) {
            file.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The tokenizer described by the file's {@code tokenizer.ggml.*} metadata (built on first use). */
    public Tokenizer tokenizer() {
        Tokenizer t = tokenizer;
        if (t == null) {
            synchronized (this) {
                t = tokenizer;
                if (t == null) tokenizer = t = Tokenizer.fromGguf(file.metadata());
            }
        }
        return t;
    }

    public GgufFile file() {
        return file;
    }

    public Parallel pool() {
        return pool;
    }

    ModelWeights weights() {
        return weights;
    }

    /**
     * A new empty sequence whose KV cache holds up to {@code contextLength} rows; the cache takes
     * {@code layers * contextLength * kvHeads * headDim * 8} bytes (F32 keys and values), allocated now.
     */
    public ModelSession newSession(int contextLength) {
        return newSession(contextLength, KvCacheType.F32);
    }

    /**
     * As {@link #newSession(int)} with keys and values stored as {@code cacheType}: F16 takes half the bytes
     * ({@code layers * contextLength * kvHeads * headDim * 4}).
     */
    public ModelSession newSession(int contextLength, KvCacheType cacheType) {
        return new ModelSession(this, contextLength, cacheType);
    }

    /** A session with the model's trained context length (mind the cache size for long-context models). */
    public ModelSession newSession() {
        return newSession(config.contextLength());
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        ModelConfig c = config;
        return "LlamaModel[" + c.architecture() + ", " + c.layers() + " layers, dim " + c.dim() + ", heads " + c.heads()
                + "/" + c.kvHeads() + ", vocab " + c.vocabSize() + ", " + file.source() + "]";
    }
}
