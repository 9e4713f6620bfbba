package dev.specula.cli;

import dev.specula.decoding.Generator;
import dev.specula.decoding.LlamaDecodingModel;
import dev.specula.engine.kernel.Parallel;
import dev.specula.engine.model.KvCacheType;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.model.ModelConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The thread pool, the target model and its draft models of one command, loaded and checked
 * together: thread count, context length against the model's and against the Java heap, and that
 * every draft shares the target's vocabulary. Closing it closes the models and the pool.
 */
public final class LoadedModels implements AutoCloseable {
    private final Parallel pool;
    private final LlamaModel target;
    private final List<LlamaModel> drafts;
    private final int contextLength;
    private final KvCacheType cacheType;
    private final double loadMs;

    private LoadedModels(Parallel pool, LlamaModel target, List<LlamaModel> drafts, int contextLength, KvCacheType cacheType,
                         double loadMs) {
        this.pool = pool;
        this.target = target;
        this.drafts = drafts;
        this.contextLength = contextLength;
        this.cacheType = cacheType;
        this.loadMs = loadMs;
    }

    /**
     * Loads everything. {@code requestedContext} 0 means the target's trained context length; every session stores
     * keys and values as {@code cacheType}. Any failure closes what was already loaded.
     */
    public static LoadedModels load(Path targetPath, List<Path> draftPaths, int threads, int requestedContext,
                                    KvCacheType cacheType) throws IOException {
        if (threads < 1) throw new CliError("-t must be at least 1, got " + threads);
        if (requestedContext < 0) throw new CliError("-c must be at least 1 (or 0 for the model's context), got " + requestedContext);
        long start = System.nanoTime();
        Parallel pool = new Parallel(threads);
        List<LlamaModel> loaded = new ArrayList<>();
        try {
            LlamaModel target = LlamaModel.load(targetPath, pool);
            loaded.add(target);
            ModelConfig tc = target.config();
            int context = requestedContext == 0 ? tc.contextLength() : requestedContext;
            if (context > tc.contextLength()) {
                throw new CliError("-c " + context + " exceeds the context length of " + targetPath.getFileName() + " ("
                        + tc.contextLength() + " tokens) — use -c " + tc.contextLength() + " or less");
            }
            List<LlamaModel> drafts = new ArrayList<>();
            for (Path p : draftPaths) {
                LlamaModel d = LlamaModel.load(p, pool);
                loaded.add(d);
                drafts.add(d);
                checkSameVocabulary(targetPath, tc, p, d.config());
                if (context > d.config().contextLength()) {
                    throw new CliError("-c " + context + " exceeds the context length of the draft " + p.getFileName() + " ("
                            + d.config().contextLength() + " tokens) — use -c " + d.config().contextLength() + " or less");
                }
            }
            checkMemory(loaded, context, cacheType);
            return new LoadedModels(pool, target, List.copyOf(drafts), context, cacheType, (System.nanoTime() - start) / 1e6);
        } catch (IOException | RuntimeException | Error e) {
            for (LlamaModel m : loaded) m.close();
            pool.close();
            throw e;
        }
    }

    static void checkSameVocabulary(Path targetPath, ModelConfig target, Path draftPath, ModelConfig draft) {
        if (draft.vocabSize() != target.vocabSize()) {
            throw new CliError("the draft " + draftPath.getFileName() + " has a different vocabulary (" + draft.vocabSize()
                    + " tokens) than the target " + targetPath.getFileName() + " (" + target.vocabSize()
                    + " tokens) — use a draft model of the same family, with the same tokenizer");
        }
    }

    /** KV-cache bytes of one session of {@code c} at {@code context} rows: 2 (K and V) x layers x rows x kvDim x element size. */
    static long kvCacheBytes(ModelConfig c, int context, KvCacheType type) {
        return 2L * c.layers() * context * c.kvDim() * type.bytesPerValue();
    }

    private static void checkMemory(List<LlamaModel> models, int context, KvCacheType cacheType) {
        long need = 0;
        for (LlamaModel m : models) need += kvCacheBytes(m.config(), context, cacheType);
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (need > available) {
            throw new CliError("a context of " + context + " tokens needs about " + Format.bytes(need)
                    + " of KV cache but only " + Format.bytes(available) + " of Java heap is free — use a smaller -c,"
                    + (cacheType == KvCacheType.F32 ? " --cache-type f16 (half the bytes)," : "")
                    + " or more memory, e.g. SPECULA_JAVA_OPTS=-Xmx" + Math.max(1, (need * 2 >> 30) + 1) + "g");
        }
    }

    public Parallel pool() {
        return pool;
    }

    public LlamaModel target() {
        return target;
    }

    public List<LlamaModel> drafts() {
        return drafts;
    }

    /** A generator builder with the target and the drafts set (strategy, sampler and options still to choose). */
    public Generator.Builder generatorBuilder() {
        List<LlamaDecodingModel> draftModels = new ArrayList<>();
        for (LlamaModel d : drafts) draftModels.add(new LlamaDecodingModel(d, cacheType));
        return Generator.builder().target(new LlamaDecodingModel(target, cacheType)).draftModels(draftModels);
    }

    /** The context length every session uses. */
    public int contextLength() {
        return contextLength;
    }

    /** Wall time of loading all models. */
    public double loadMs() {
        return loadMs;
    }

    @Override
    public void close() {
        target.close();
        for (LlamaModel d : drafts) d.close();
        pool.close();
    }
}
