package dev.specula.decoding;

/** Plain autoregressive decoding: one target forward of x_last per token. The reference for every other strategy. */
final class ArStrategy implements Strategy {
    private final DraftTree tree = new DraftTree(2);
    private final TreeVerifier verifier;

    ArStrategy(TreeVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public StrategyKind kind() {
        return StrategyKind.AR;
    }

    @Override
    public void step(DecodeState st) {
        tree.reset(st.last());
        verifier.verify(st, tree);
    }
}
