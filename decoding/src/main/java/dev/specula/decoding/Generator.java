package dev.specula.decoding;

import dev.specula.engine.model.LlamaModel;
import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Generates tokens from a target model with one of the lossless decoding strategies.
 *
 * <pre>{@code
 * Generator g = Generator.builder().target(model).drafts(List.of(draft)).strategy(StrategyKind.SPECULATIVE)
 *         .sampler(SamplerConfig.greedy()).options(DecodingOptions.defaults()).build();
 * GenerationResult r = g.generate(promptIds, 128, id -> { System.out.print(...); return true; });
 * }</pre>
 *
 * A generator keeps its sequences (KV caches) between calls and reuses the rows of the longest common prefix
 * of the previous call's tokens and the new prompt (multi-turn chat). Not thread-safe: one generation at a time.
 */
public final class Generator {
    private final DecodingModel target;
    private final List<DecodingModel> drafts;
    private final StrategyKind kind;
    private final SamplerConfig samplerConfig;
    private final DecodingOptions options;
    private final Sampler sampler;
    private final Strategy strategy;
    private DecodingSequence sequence;
    private int[] previousTokens = new int[0];
    /** Measured forward cost of the target per batch size, kept across generations (same model, same machine). */
    private final ForwardCost forwardCost = new ForwardCost();

    private Generator(Builder b) {
        if (b.target == null) throw new IllegalArgumentException("a Generator needs a target model");
        this.target = b.target;
        this.drafts = List.copyOf(b.drafts);
        this.kind = b.kind;
        this.samplerConfig = b.sampler;
        this.options = b.options;
        this.sampler = new Sampler(samplerConfig, target.vocabSize());
        this.strategy = Strategies.create(kind, target, drafts, samplerConfig, options, new TreeVerifier());
    }

    public static Builder builder() {
        return new Builder();
    }

    public StrategyKind strategy() {
        return kind;
    }

    public DecodingOptions options() {
        return options;
    }

    public SamplerConfig samplerConfig() {
        return samplerConfig;
    }

    /** The context length generations run with (the option, or the target's own). */
    public int contextLength() {
        return options.contextLength() > 0 ? options.contextLength() : target.contextLength();
    }

    /**
     * Generates up to {@code maxNewTokens} tokens after {@code promptIds}.
     *
     * @param onCommitted receives each committed token in order; returning false stops (may be null)
     * @throws IllegalArgumentException for an empty prompt, ids outside the vocabulary, or a prompt that does
     *                                  not fit in the context
     */
    public GenerationResult generate(int[] promptIds, int maxNewTokens, TokenListener onCommitted) {
        validate(promptIds, maxNewTokens);
        int capacity = contextLength();
        long t0 = System.nanoTime();
        if (sequence == null || sequence.capacity() != capacity) {
            sequence = target.newSequence(capacity);
            previousTokens = new int[0];
        }
        int common = commonPrefix(previousTokens, promptIds);
        // until this call completes the caches are in flux: a failure must not let the next call reuse them
        previousTokens = new int[0];
        int reusable = Math.min(Math.min(common, promptIds.length - 1), sequence.length());
        sequence.truncate(reusable);
        int prefill = promptIds.length - 1 - reusable;
        if (prefill > 0) {
            int[] batch = Arrays.copyOfRange(promptIds, reusable, promptIds.length - 1);
            int[] positions = new int[prefill];
            for (int i = 0; i < prefill; i++) positions[i] = reusable + i;
            sequence.forward(batch, positions, dev.specula.engine.model.AttentionMask.causal(prefill), new int[0]);
        }
        DecodeState st = new DecodeState(target, sequence, sampler, samplerConfig.isGreedy(), options, promptIds,
                maxNewTokens, onCommitted, forwardCost);
        if (maxNewTokens == 0) st.stopReason = StopReason.MAX_TOKENS;
        strategy.begin(st, Math.min(common, promptIds.length - 1));
        // draft models prefill the prompt in begin: that is prefill work, not decoding
        st.resetDecodeCounters();
        long t1 = System.nanoTime();
        while (!st.done()) {
            int before = st.count;
            st.steps++;
            strategy.step(st);
            if (st.count == before && !st.done())
                throw new IllegalStateException(kind + " step committed no token at position " + before);
        }
        strategy.end(st);
        long t2 = System.nanoTime();
        previousTokens = Arrays.copyOf(st.tokens, st.count);
        int end = st.count;
        if (st.stopReason == StopReason.END_OF_GENERATION) end--;
        int[] ids = Arrays.copyOfRange(st.tokens, promptIds.length, Math.max(promptIds.length, end));
        double prefillMs = (t1 - t0) / 1e6, decodeMs = (t2 - t1) / 1e6;
        int generated = st.generated();
        DecodeStats stats = new DecodeStats(kind, promptIds.length, generated, st.steps, st.targetForwards,
                st.draftForwards, st.proposed, st.accepted,
                st.targetForwards == 0 ? 0 : (double) generated / st.targetForwards,
                st.proposed == 0 ? 0 : (double) st.accepted / st.proposed,
                prefillMs, decodeMs, decodeMs <= 0 ? 0 : generated / (decodeMs / 1000.0), strategy.detail(),
                st.profile.snapshot(decodeMs));
        return new GenerationResult(ids, stats, st.stopReason);
    }

    private void validate(int[] prompt, int maxNew) {
        if (prompt == null || prompt.length == 0)
            throw new IllegalArgumentException("the prompt is empty; it needs at least one token (e.g. BOS)");
        if (maxNew < 0) throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNew);
        int v = target.vocabSize();
        for (int i = 0; i < prompt.length; i++)
            if (prompt[i] < 0 || prompt[i] >= v)
                throw new IllegalArgumentException("prompt token " + prompt[i] + " at index " + i + " is outside the vocabulary of " + v);
        if (prompt.length >= contextLength())
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens but the context limit is "
                    + contextLength() + " (at least one position must stay free for generation)");
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }

    /** Builder; {@link #target} is required, everything else has defaults (AR, greedy, default options). */
    public static final class Builder {
        private DecodingModel target;
        private final List<DecodingModel> drafts = new ArrayList<>();
        private StrategyKind kind = StrategyKind.AR;
        private SamplerConfig sampler = SamplerConfig.greedy();
        private DecodingOptions options = DecodingOptions.defaults();

        private Builder() {}

        /** The model whose distribution the output follows. */
        public Builder target(DecodingModel model) {
            this.target = model;
            return this;
        }

        /** The engine model whose distribution the output follows. */
        public Builder target(LlamaModel model) {
            return target(new LlamaDecodingModel(model));
        }

        /** Draft / extra engine models (speculative: the first is the draft; CoS and collaborative: all join the ensemble). */
        public Builder drafts(List<LlamaModel> models) {
            List<DecodingModel> wrapped = new ArrayList<>();
            for (LlamaModel m : models) {
                if (m == null) throw new IllegalArgumentException("draft model list contains null");
                wrapped.add(new LlamaDecodingModel(m));
            }
            return draftModels(wrapped);
        }

        /** Draft / extra models (speculative: the first is the draft; CoS and collaborative: all join the ensemble). */
        public Builder draftModels(List<? extends DecodingModel> models) {
            drafts.clear();
            for (DecodingModel m : models) {
                if (m == null) throw new IllegalArgumentException("draft model list contains null");
                drafts.add(m);
            }
            return this;
        }

        public Builder strategy(StrategyKind kind) {
            if (kind == null) throw new IllegalArgumentException("strategy is null");
            this.kind = kind;
            return this;
        }

        /** Strategy by name (case-insensitive, see {@link StrategyKind#parse}). */
        public Builder strategy(String name) {
            return strategy(StrategyKind.parse(name));
        }

        public Builder sampler(SamplerConfig config) {
            if (config == null) throw new IllegalArgumentException("sampler config is null");
            this.sampler = config;
            return this;
        }

        public Builder options(DecodingOptions options) {
            if (options == null) throw new IllegalArgumentException("decoding options are null");
            this.options = options;
            return this;
        }

        public Generator build() {
            return new Generator(this);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Generator.Builder[%s, %d drafts]", kind, drafts.size());
        }
    }
}
