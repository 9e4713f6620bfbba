package dev.specula.engine.model;

/**
 * Rotary position embedding. Pair i of a head (i < ropeDim / 2) is rotated by the angle
 * {@code theta_i = pos * freqScale * base^(-2i / ropeDim) / divisor_i} (RoFormer, Su et al. 2021;
 * divisors = Llama-3.1 {@code rope_freqs.weight}, freqScale = linear scaling). NORMAL rotates
 * (x[2i], x[2i+1]); NEOX rotates (x[i], x[i + ropeDim/2]). Dimensions beyond ropeDim are untouched.
 */
public final class Rope {
    private final RopeLayout layout;
    private final int pairs;
    /** Angle per unit position for each pair. */
    private final double[] frequencies;

    public Rope(ModelConfig c, float[] divisors) {
        this.layout = c.ropeLayout();
        this.pairs = c.ropeDim() / 2;
        this.frequencies = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double f = c.ropeFreqScale() * Math.pow(c.ropeFreqBase(), -2.0 * i / c.ropeDim());
            if (divisors != null) f /= divisors[i];
            frequencies[i] = f;
        }
    }

    public int pairs() {
        return pairs;
    }

    /** Writes cos/sin of every pair's angle at {@code position} into {@code cos/sin[off .. off + pairs)}. */
    public void angles(int position, float[] cos, float[] sin, int off) {
        for (int i = 0; i < pairs; i++) {
            double theta = position * frequencies[i];
            cos[off + i] = (float) Math.cos(theta);
            sin[off + i] = (float) Math.sin(theta);
        }
    }

    /** Rotates one head vector {@code v[off .. off + headDim)} in place with precomputed cos/sin. */
    public void rotate(float[] v, int off, float[] cos, float[] sin, int csOff) {
        int stride = layout == RopeLayout.NORMAL ? 1 : pairs;
        int step = layout == RopeLayout.NORMAL ? 2 : 1;
        for (int i = 0; i < pairs; i++) {
            int a = off + i * step;
            int b = a + stride;
            float c = cos[csOff + i], s = sin[csOff + i];
            float x0 = v[a], x1 = v[b];
            v[a] = x0 * c - x1 * s;
            v[b] = x0 * s + x1 * c;
        }
    }
}
