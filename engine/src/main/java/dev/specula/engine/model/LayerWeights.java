package dev.specula.engine.model;

import dev.specula.engine.kernel.WeightMatrix;

/**
 * The tensors of one transformer block. Biases and q/k norms are null when the architecture has none.
 */
record LayerWeights(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                    float[] qBias, float[] kBias, float[] vBias, float[] qNorm, float[] kNorm,
                    float[] ffnNorm, WeightMatrix wGate, WeightMatrix wUp, WeightMatrix wDown) {
}
