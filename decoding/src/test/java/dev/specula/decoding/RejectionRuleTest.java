package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import org.junit.jupiter.api.Test;

/** The Leviathan acceptance rule on exact probability vectors: lossless, and the naive variant is detectably biased. */
class RejectionRuleTest {
    private static final int V = 8;
    private static final int SAMPLES = 40_000;
    // target p and a proposal q far from it, with q = 0 where p > 0 (token 7) and q > 0 where p = 0 (token 6)
    private static final float[] P = {0.30f, 0.05f, 0.10f, 0.05f, 0.20f, 0.10f, 0.00f, 0.20f};
    private static final float[] Q = {0.05f, 0.40f, 0.10f, 0.15f, 0.05f, 0.15f, 0.10f, 0.00f};

    @Test
    void emittedTokensFollowTheTargetExactly() {
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 11), V);
        float[] residual = new float[V];
        long[] counts = new long[V];
        for (int s = 0; s < SAMPLES; s++) {
            int d = rng.sampleFrom(Q);
            int correction = RejectionRule.verify(P, V, Q, V, d, rng, residual);
            counts[correction < 0 ? d : correction]++;
        }
        assertEquals(0, counts[6], "a token with p = 0 was emitted");
        double pValue = GoodnessOfFit.pValue(toDouble(P), counts);
        assertTrue(pValue > 0.01, "chi-square p-value " + pValue + " for counts " + java.util.Arrays.toString(counts));
    }

    @Test
    void resamplingFromTheTargetInsteadOfTheResidualIsCaught() {
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 12), V);
        long[] counts = new long[V];
        for (int s = 0; s < SAMPLES; s++) {
            int d = rng.sampleFrom(Q);
            boolean accepted = RejectionRule.accepts(P, V, Q, V, d, rng);
            counts[accepted ? d : rng.sampleFrom(P)]++; // the naive, biased correction
        }
        double pValue = GoodnessOfFit.pValue(toDouble(P), counts);
        assertTrue(pValue < 1e-6, "the biased rule should fail the test, but p-value = " + pValue);
    }

    @Test
    void acceptanceRateIsOneMinusTotalVariation() {
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 13), V);
        double beta = 0;
        for (int x = 0; x < V; x++) beta += Math.min(P[x], Q[x]);
        int accepted = 0;
        for (int s = 0; s < SAMPLES; s++) if (RejectionRule.accepts(P, V, Q, V, rng.sampleFrom(Q), rng)) accepted++;
        double rate = (double) accepted / SAMPLES;
        double sigma = Math.sqrt(beta * (1 - beta) / SAMPLES);
        assertEquals(beta, rate, 5 * sigma, "acceptance rate vs sum min(p, q) = " + beta);
    }

    @Test
    void identicalDistributionsAlwaysAccept() {
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 14), V);
        for (int s = 0; s < 5000; s++) {
            int d = rng.sampleFrom(P);
            assertTrue(RejectionRule.accepts(P, V, P, V, d, rng));
        }
    }

    @Test
    void residualWithoutMassFallsBackToTheTarget() {
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 15), V);
        float[] residual = new float[V];
        for (int s = 0; s < 200; s++) {
            int t = RejectionRule.sampleResidual(P, V, P, V, rng, residual);
            assertTrue(P[t] > 0, "drew token " + t + " with p = 0");
        }
    }

    @Test
    void idsBeyondTheDraftVocabularyKeepTheirTargetMassInTheResidual() {
        // draft vocab 6: q covers ids 0..5 only; ids 6, 7 have q = 0 and must keep p in the residual
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 16), V);
        float[] q6 = {0.5f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
        float[] residual = new float[V];
        long[] counts = new long[V];
        for (int s = 0; s < SAMPLES; s++) {
            int d = rng.sampleFrom(q6);
            int c = RejectionRule.verify(P, V, q6, 6, d, rng, residual);
            counts[c < 0 ? d : c]++;
        }
        assertTrue(GoodnessOfFit.pValue(toDouble(P), counts) > 0.01, java.util.Arrays.toString(counts));
    }

    @Test
    void adedReferenceResamplingIsBiasedWhileSampleAndMatchIsExact() {
        // one deterministic draft token d below the root. Sample-and-match emits the target's sample s either way;
        // the reference ADED sampler discards a mismatching sample and draws the emitted token again (doc §5.3),
        // which emits d with probability p(d)(2 - p(d)).
        int d = 4;
        Sampler rng = new Sampler(SamplerConfig.pure(1f, 17), V);
        long[] exact = new long[V];
        long[] reference = new long[V];
        for (int s = 0; s < SAMPLES; s++) {
            int sample = rng.sampleFrom(P);
            exact[sample]++;
            reference[sample == d ? d : rng.sampleFrom(P)]++;
        }
        assertTrue(GoodnessOfFit.pValue(toDouble(P), exact) > 0.01);
        assertTrue(GoodnessOfFit.pValue(toDouble(P), reference) < 1e-6, "the reference sampler's bias went undetected");
    }

    static double[] toDouble(float[] p) {
        double[] d = new double[p.length];
        for (int i = 0; i < p.length; i++) d[i] = p[i];
        return d;
    }
}
