package dev.specula.decoding;

import dev.specula.engine.sampling.Sampler;

/**
 * Modified rejection sampling (Leviathan et al. 2023, Chen et al. 2023): a token d drawn from the proposal q is
 * accepted with probability min(1, p(d)/q(d)); on rejection the correction is drawn from the residual
 * norm(max(0, p - q)). The emitted token is then distributed exactly as p. Vectors are indexed by token id over
 * the full vocabulary (never over truncated candidate lists); ids beyond a vector's length have probability 0.
 */
final class RejectionRule {
    /** Below this residual mass p and q coincide numerically and the correction is drawn from p (doc §1.5.5). */
    static final double RESIDUAL_EPSILON = 1e-12;

    private RejectionRule() {}

    /** True when the draft {@code d ~ q} is accepted against p (consumes one uniform from {@code rng}). */
    static boolean accepts(float[] p, int vocabP, float[] q, int vocabQ, int d, Sampler rng) {
        double pd = d < vocabP ? p[d] : 0.0;
        double qd = d < vocabQ ? q[d] : 0.0;
        double u = rng.nextUniform();
        // u < p/q  <=>  u*q < p  (q(d) > 0 because d was drawn from q; if not, accept only when p(d) > 0)
        return qd > 0 ? u * qd < pd : pd > 0;
    }

    /** Draws from norm(max(0, p - q)) into scratch {@code residual} (length vocabP); falls back to p when it has no mass. */
    static int sampleResidual(float[] p, int vocabP, float[] q, int vocabQ, Sampler rng, float[] residual) {
        double mass = 0;
        int shared = Math.min(vocabP, vocabQ);
        for (int x = 0; x < shared; x++) {
            float r = p[x] - q[x];
            r = r > 0 ? r : 0f;
            residual[x] = r;
            mass += r;
        }
        for (int x = shared; x < vocabP; x++) {
            residual[x] = p[x];
            mass += p[x];
        }
        for (int x = vocabP; x < residual.length; x++) residual[x] = 0f;
        if (mass <= RESIDUAL_EPSILON) {
            System.arraycopy(p, 0, residual, 0, vocabP);
        }
        return rng.sampleFrom(residual);
    }

    /**
     * One verification position: returns -1 when {@code d} is accepted, otherwise the correction token drawn
     * from the residual.
     */
    static int verify(float[] p, int vocabP, float[] q, int vocabQ, int d, Sampler rng, float[] residual) {
        if (accepts(p, vocabP, q, vocabQ, d, rng)) return -1;
        return sampleResidual(p, vocabP, q, vocabQ, rng, residual);
    }
}
