package dev.specula.decoding;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.model.KvCacheType;
import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.model.ModelSession;
import dev.specula.engine.tokenizer.Tokenizer;

/** Adapts the engine's {@link LlamaModel} / {@link ModelSession} to the strategies' {@link DecodingModel} view. */
public final class LlamaDecodingModel implements DecodingModel {
    private final LlamaModel model;
    private final KvCacheType cacheType;
    private final String name;

    public LlamaDecodingModel(LlamaModel model) {
        this(model, KvCacheType.F32);
    }

    /** @param cacheType how every sequence of this model stores its keys and values */
    public LlamaDecodingModel(LlamaModel model, KvCacheType cacheType) {
        if (model == null) throw new IllegalArgumentException("model is null");
        if (cacheType == null) throw new IllegalArgumentException("KV cache type is null");
        this.model = model;
        this.cacheType = cacheType;
        String source = model.file().source();
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        this.name = slash >= 0 ? source.substring(slash + 1) : source;
    }

    public LlamaModel model() {
        return model;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public int contextLength() {
        return model.config().contextLength();
    }

    @Override
    public DecodingSequence newSequence(int contextLength) {
        return new SessionSequence(model.newSession(contextLength, cacheType));
    }

    private Tokenizer tokenizer() {
        return model.tokenizer();
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return tokenizer().isEndOfGeneration(id);
    }

    @Override
    public String tokenText(int id) {
        return id < tokenizer().vocabSize() ? tokenizer().tokenText(id) : "";
    }

    @Override
    public int bos() {
        return tokenizer().bos();
    }

    @Override
    public int eos() {
        return tokenizer().eos();
    }

    @Override
    public int[] encodeText(String text) {
        return tokenizer().encode(text, false, false);
    }

    @Override
    public String toString() {
        return "LlamaDecodingModel[" + name + "]";
    }

    /** A {@link ModelSession} seen as a {@link DecodingSequence}. */
    private record SessionSequence(ModelSession session) implements DecodingSequence {
        @Override public int length() { return session.length(); }
        @Override public int capacity() { return session.capacity(); }
        @Override public float[] forward(int[] tokens, int[] positions, AttentionMask mask, int[] logitRows) {
            return session.forward(tokens, positions, mask, logitRows);
        }
        @Override public void truncate(int length) { session.truncate(length); }
        @Override public void compact(int base, int[] keep) { session.compact(base, keep); }
    }
}
