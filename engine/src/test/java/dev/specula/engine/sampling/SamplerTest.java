package dev.specula.engine.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final double EPS = 1e-6;
    private static final float LN2 = (float) Math.log(2), LN3 = (float) Math.log(3), LN4 = (float) Math.log(4);

    private static SamplerConfig config(float temperature, int topK, float topP, float minP) {
        return new SamplerConfig(temperature, topK, topP, minP, 1f, 0f, 0f, 64, Map.of(), 42L);
    }

    private static float[] distribution(SamplerConfig c, float[] logits, int... history) {
        float[] p = new float[logits.length];
        new Sampler(c, logits.length).distribution(logits, 0, history, history.length, p);
        return p;
    }

    private static void assertProbs(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], EPS, "p[" + i + "] of " + Arrays.toString(actual));
    }

    private static double[] softmax(double... l) {
        double max = Arrays.stream(l).max().orElseThrow();
        double z = Arrays.stream(l).map(v -> Math.exp(v - max)).sum();
        return Arrays.stream(l).map(v -> Math.exp(v - max) / z).toArray();
    }

    @Test
    void argmaxPicksTheLowestIdOnExactTies() {
        assertEquals(1, Sampler.argmax(new float[] {1, 3, 3, 2}, 0, 4));
        assertEquals(1, Sampler.argmax(new float[] {9, 1, 3, 3, 2}, 1, 4), "index relative to the offset");
        assertEquals(0, Sampler.argmax(new float[] {-1}, 0, 1));
    }

    /** The SIMD argmax against the scalar definition (first strictly larger value wins) at every length and edge. */
    @Test
    void argmaxEqualsTheScalarDefinition() {
        java.util.Random rnd = new java.util.Random(5);
        for (int n = 1; n <= 70; n++) {
            for (int trial = 0; trial < 20; trial++) {
                float[] a = new float[n + 3];
                for (int i = 0; i < a.length; i++) a[i] = rnd.nextInt(5) - 2; // many exact ties
                if (trial % 4 == 1) a[2 + rnd.nextInt(n)] = -0.0f;
                if (trial % 4 == 2) a[2 + rnd.nextInt(n)] = Float.NaN;
                if (trial % 4 == 3) a[2] = Float.NaN;
                assertEquals(scalarArgmax(a, 2, n), Sampler.argmax(a, 2, n), "n=" + n + " " + Arrays.toString(a));
            }
        }
        assertEquals(0, Sampler.argmax(new float[] {-0.0f, 0.0f}, 0, 2), "-0.0 and 0.0 tie: the first");
        assertEquals(2, Sampler.argmax(new float[] {-1f, Float.NaN, 0f, Float.NaN}, 0, 4), "NaN after the first element is skipped");
    }

    private static int scalarArgmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (a[off + i] > a[off + best]) best = i;
        return best;
    }

    @Test
    void greedyIsArgmaxAndItsDistributionIsOneHot() {
        float[] logits = {0.5f, 2f, 2f, -1f};
        Sampler s = new Sampler(SamplerConfig.greedy(), 4);
        assertTrue(SamplerConfig.greedy().isGreedy());
        assertEquals(1, s.sample(logits, 0, new int[0], 0));
        assertProbs(new double[] {0, 1, 0, 0}, distribution(SamplerConfig.greedy(), logits));
    }

    @Test
    void temperatureScalesTheSoftmax() {
        float[] logits = {0f, LN2, LN4};
        assertProbs(new double[] {1 / 7.0, 2 / 7.0, 4 / 7.0}, distribution(config(1f, 0, 1f, 0f), logits));
        assertProbs(new double[] {1 / 21.0, 4 / 21.0, 16 / 21.0}, distribution(config(0.5f, 0, 1f, 0f), logits));
        assertProbs(new double[] {1 / (3 + Math.sqrt(2)), Math.sqrt(2) / (3 + Math.sqrt(2)), 2 / (3 + Math.sqrt(2))},
                distribution(config(2f, 0, 1f, 0f), logits));
    }

    @Test
    void topKKeepsTheKBestTokens() {
        float[] logits = {0f, LN2, LN4, LN3};
        assertProbs(new double[] {0, 0, 4 / 7.0, 3 / 7.0}, distribution(config(1f, 2, 1f, 0f), logits));
        assertProbs(new double[] {0, 0, 1, 0}, distribution(config(1f, 1, 1f, 0f), logits));
        // ties at the cut: the lower id wins (stable order)
        assertProbs(new double[] {0.5, 0.5, 0, 0}, distribution(config(1f, 2, 1f, 0f), new float[] {1, 1, 1, 0}));
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        float[] logits = {0f, LN2, LN3, LN4}; // p = .1 .2 .3 .4
        assertProbs(new double[] {0, 0, 0, 1}, distribution(config(1f, 0, 0.35f, 0f), logits));
        assertProbs(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, distribution(config(1f, 0, 0.65f, 0f), logits));
        assertProbs(new double[] {0, 2 / 9.0, 3 / 9.0, 4 / 9.0}, distribution(config(1f, 0, 0.85f, 0f), logits));
        // top-p is measured on the top-k set: after top-3, p = 2/9, 3/9, 4/9; 0.75 needs 4/9 + 3/9
        assertProbs(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, distribution(config(1f, 3, 0.75f, 0f), logits));
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        float[] logits = {0f, LN2, LN3, LN4}; // p = .1 .2 .3 .4; minP .6 -> keep p >= .24
        assertProbs(new double[] {0, 0, 3 / 7.0, 4 / 7.0}, distribution(config(1f, 0, 1f, 0.6f), logits));
        // min-p looks at temperature 1, the temperature then reshapes the survivors
        assertProbs(new double[] {0, 0, 9 / 25.0, 16 / 25.0}, distribution(config(0.5f, 0, 1f, 0.6f), logits));
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        float[] logits = {3f, -2f, 2f, 0f};
        SamplerConfig c = new SamplerConfig(1f, 0, 1f, 0f, 2f, 0f, 0f, 64, Map.of(), 1L);
        int[] history = {0, 1, 0};
        assertProbs(softmax(1.5, -4, 2, 0), distribution(c, logits, history));
        SamplerConfig greedy = c.withTemperature(0f);
        assertEquals(2, new Sampler(greedy, 4).sample(logits, 0, history, history.length));
        assertEquals(0, new Sampler(greedy, 4).sample(logits, 0, history, 0), "empty history: no penalty");
    }

    @Test
    void frequencyAndPresencePenaltiesCountOccurrences() {
        float[] logits = {1f, 1f, 1f, 1f};
        SamplerConfig c = new SamplerConfig(1f, 0, 1f, 0f, 1f, 0.25f, 0.5f, 64, Map.of(), 1L);
        assertProbs(softmax(1, 1, -0.25, 0.25), distribution(c, logits, 2, 2, 3));
    }

    @Test
    void penaltiesOnlyLookAtTheLastNTokens() {
        float[] logits = {1f, 1f, 1f};
        SamplerConfig lastOne = new SamplerConfig(1f, 0, 1f, 0f, 1f, 1f, 0f, 1, Map.of(), 1L);
        assertProbs(softmax(1, 1, 0), distribution(lastOne, logits, 0, 1, 2));
        SamplerConfig whole = new SamplerConfig(1f, 0, 1f, 0f, 1f, 1f, 0f, -1, Map.of(), 1L);
        assertProbs(softmax(0, 0, 1), distribution(whole, logits, 0, 1, 1));
        SamplerConfig off = new SamplerConfig(1f, 0, 1f, 0f, 1f, 1f, 0f, 0, Map.of(), 1L);
        assertProbs(softmax(1, 1, 1), distribution(off, logits, 0, 1, 2));
    }

    @Test
    void logitBiasIsAddedFirstAndMinusInfinityBans() {
        float[] logits = {5f, 1f, 1f};
        SamplerConfig ban = new SamplerConfig(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(0, Float.NEGATIVE_INFINITY), 1L);
        assertEquals(1, new Sampler(ban, 3).sample(logits, 0, new int[0], 0));
        SamplerConfig boost = new SamplerConfig(1f, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(0, Float.NEGATIVE_INFINITY, 2, LN3), 1L);
        assertProbs(new double[] {0, 0.25, 0.75}, distribution(boost, logits));
    }

    @Test
    void seededSamplingIsReproducibleAndFollowsTheDistribution() {
        float[] logits = {0f, LN2, LN3, LN4};
        Sampler a = new Sampler(config(1f, 0, 1f, 0f), 4), b = new Sampler(config(1f, 0, 1f, 0f), 4);
        int[] counts = new int[4];
        int n = 20000;
        for (int i = 0; i < n; i++) {
            int t = a.sample(logits, 0, new int[0], 0);
            assertEquals(t, b.sample(logits, 0, new int[0], 0));
            counts[t]++;
        }
        for (int i = 0; i < 4; i++) assertEquals((i + 1) / 10.0, counts[i] / (double) n, 0.015, "frequency of " + i);
        Sampler other = new Sampler(config(1f, 0, 1f, 0f).withSeed(7), 4);
        int[] seq42 = IntStream.range(0, 32).map(i -> new Sampler(config(1f, 0, 1f, 0f), 4).sample(logits, 0, new int[0], 0)).toArray();
        int[] seq7 = new int[32];
        Sampler fresh42 = new Sampler(config(1f, 0, 1f, 0f), 4);
        for (int i = 0; i < 32; i++) {
            seq7[i] = other.sample(logits, 0, new int[0], 0);
            seq42[i] = fresh42.sample(logits, 0, new int[0], 0);
        }
        assertNotEquals(Arrays.toString(seq42), Arrays.toString(seq7), "different seeds give different draws");
    }

    @Test
    void sampleFromAcceptsUnnormalisedWeightsAndNeverPicksZeros() {
        Sampler s = new Sampler(config(1f, 0, 1f, 0f), 3);
        int[] counts = new int[3];
        for (int i = 0; i < 8000; i++) counts[s.sampleFrom(new float[] {0f, 3f, 1f})]++;
        assertEquals(0, counts[0]);
        assertEquals(0.75, counts[1] / 8000.0, 0.02);
        assertThrows(IllegalArgumentException.class, () -> s.sampleFrom(new float[] {0f, 0f}));
        double u = s.nextUniform();
        assertTrue(u >= 0 && u < 1);
    }

    @Test
    void fullVocabularyTopPMatchesASortedReference() {
        Random r = new Random(5);
        int n = 3000;
        float[] logits = new float[n];
        for (int i = 0; i < n; i++) logits[i] = (float) (r.nextGaussian() * 2);
        float topP = 0.9f;
        float[] actual = distribution(config(0.7f, 0, topP, 0f), logits);
        Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer i) -> -logits[i])).toArray(Integer[]::new);
        double[] p1 = softmax(IntStream.range(0, n).mapToDouble(i -> logits[i]).toArray());
        double cumulative = 0;
        boolean[] kept = new boolean[n];
        for (Integer id : order) {
            kept[id] = true;
            cumulative += p1[id];
            if (cumulative >= topP) break;
        }
        double z = 0;
        for (int i = 0; i < n; i++) if (kept[i]) z += Math.exp((logits[i] - logits[order[0]]) / 0.7);
        for (int i = 0; i < n; i++) {
            double expected = kept[i] ? Math.exp((logits[i] - logits[order[0]]) / 0.7) / z : 0;
            assertEquals(expected, actual[i], 1e-7, "token " + i);
        }
    }

    @Test
    void topKWithTiesKeepsTheLowestIdsOfATieAndMatchesASortedReference() {
        Random r = new Random(11);
        int n = 5000;
        float[] logits = new float[n];
        for (int trial = 0; trial < 40; trial++) {
            // few distinct values: many exact ties at the top-k boundary, broken by the lower id as in a stable sort
            for (int i = 0; i < n; i++) logits[i] = r.nextInt(12) * 0.5f;
            int k = 1 + r.nextInt(trial < 20 ? 60 : n - 1);
            float[] actual = distribution(config(1f, k, 1f, 0f), logits);
            Integer[] order = IntStream.range(0, n).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i)).toArray(Integer[]::new);
            double max = logits[order[0]], z = 0;
            for (int j = 0; j < k; j++) z += Math.exp(logits[order[j]] - max);
            double[] expected = new double[n];
            for (int j = 0; j < k; j++) expected[order[j]] = Math.exp(logits[order[j]] - max) / z;
            for (int i = 0; i < n; i++) {
                assertEquals(expected[i] > 0, actual[i] > 0, "k = " + k + ": token " + i + " kept in one and not the other");
                assertEquals(expected[i], actual[i], 1e-7, "k = " + k + ", token " + i);
            }
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> config(1f, 0, 0f, 0f));
        assertThrows(IllegalArgumentException.class, () -> config(1f, 0, 1f, 1.5f));
        assertThrows(IllegalArgumentException.class, () -> new SamplerConfig(1f, 0, 1f, 0f, 0f, 0f, 0f, 64, Map.of(), 1L));
        assertThrows(IllegalArgumentException.class, () -> new SamplerConfig(1f, 0, 1f, 0f, 1f, 0f, 0f, -2, Map.of(), 1L));
        SamplerConfig bias = new SamplerConfig(1f, 0, 1f, 0f, 1f, 0f, 0f, 64, Map.of(9, 1f), 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sampler(bias, 4));
        assertTrue(e.getMessage().contains("9"), e.getMessage());
        Sampler s = new Sampler(config(1f, 0, 1f, 0f), 4);
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[3], 0, new int[0], 0));
        Sampler penal = new Sampler(new SamplerConfig(1f, 0, 1f, 0f, 1.1f, 0f, 0f, 64, Map.of(), 1L), 4);
        assertThrows(IllegalArgumentException.class, () -> penal.sample(new float[4], 0, new int[] {7}, 1));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, distribution(config(1f, 0, 1f, 0f), new float[4]));
    }
}
