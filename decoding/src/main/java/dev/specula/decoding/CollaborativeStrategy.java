package dev.specula.decoding;

import dev.specula.engine.sampling.SamplerConfig;
import java.util.List;

/**
 * Standard collaborative decoding, the baseline of CoS (doc §2.6): at every step every model runs on x_last
 * with its own KV cache, the distributions are combined into r ({@link Ensemble}) and one token is drawn.
 */
final class CollaborativeStrategy implements Strategy {
    private final Ensemble ensemble;
    private final DraftModelRunner[] runners;
    private final float[][] rows;
    private final int[] offsets;
    private final float[] r;

    CollaborativeStrategy(DecodingModel target, List<DecodingModel> extras, SamplerConfig config, DecodingOptions options) {
        java.util.ArrayList<DecodingModel> all = new java.util.ArrayList<>();
        all.add(target);
        all.addAll(extras);
        this.ensemble = new Ensemble(all, config, options);
        this.runners = new DraftModelRunner[all.size()];
        for (int i = 1; i < all.size(); i++) runners[i] = new DraftModelRunner(all.get(i));
        this.rows = new float[all.size()][];
        this.offsets = new int[all.size()];
        this.r = new float[ensemble.vocab];
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.COLLABORATIVE;
    }

    @Override
    public void begin(DecodeState st, int reusableRows) {
        for (int i = 1; i < runners.length; i++) runners[i].begin(st, reusableRows);
    }

    @Override
    public void step(DecodeState st) {
        int c = st.count;
        rows[0] = st.forwardLast();
        for (int i = 1; i < runners.length; i++) rows[i] = runners[i].catchUp(st, c, true);
        ensemble.combine(rows, offsets, st.tokens, c, r);
        st.commit(ensemble.choose(r, st.sampler));
    }
}
