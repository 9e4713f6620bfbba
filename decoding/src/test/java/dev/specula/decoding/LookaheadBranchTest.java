package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.SamplerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lookahead's branch choice (full window + verification, verification only, plain AR) and Jacobi's AR fallback, with
 * exact expectations: on {@link CountingModel} the text a generation produces is known in advance, so which
 * n-grams are right, and therefore every forward, can be counted.
 */
class LookaheadBranchTest {
    /** The expectations below count n-grams of N = 3 (two tokens after the key), not the default size. */
    private static final DecodingOptions N3 = DecodingOptions.builder().ngram(3).build();

    private static final int V = 64;

    @BeforeAll
    static void warmUpTheJit() {
        // the first forwards of a cold JVM are slow, which would skew the first T(1) samples of the cost model
        for (StrategyKind kind : new StrategyKind[] {StrategyKind.LOOKAHEAD, StrategyKind.JACOBI}) {
            CountingModel m = new CountingModel(V);
            Generator g = Generator.builder().target(m).strategy(kind).build();
            for (int i = 0; i < 3; i++) g.generate(promptHoldingTheContinuation(m), 30, null);
        }
    }

    /** 10, 11, ..., 49, 0, 1, ..., 9: the counting model continues with 10, 11, ..., whose n-grams the prompt holds. */
    private static int[] promptHoldingTheContinuation(CountingModel m) {
        int[] p = new int[50];
        System.arraycopy(m.count(10, 40), 0, p, 0, 40);
        System.arraycopy(m.count(0, 10), 0, p, 40, 10);
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void poolSeededWithTheTrueContinuationIsAcceptedWholeInVerificationOnlySteps(boolean sampled) {
        CountingModel m = new CountingModel(V);
        Generator g = Generator.builder().target(m).strategy(StrategyKind.LOOKAHEAD).options(N3)
                .sampler(sampled ? SamplerConfig.pure(1f, 7) : SamplerConfig.greedy()).build();
        GenerationResult r = g.generate(promptHoldingTheContinuation(m), 30, null);
        assertArrayEquals(m.count(10, 30), r.ids());
        // step 1: x_last = 9 starts no prompt n-gram, an AR step (1 row) commits 10; steps 2-10 verify the prompt's
        // n-gram [t+1, t+2] keyed by t (3 rows) and commit it plus the bonus token; step 11 has room for 2 more tokens
        // only, so it verifies [38] (2 rows) and commits 38, 39. No window: it has not shown it helps.
        assertEquals(11, r.stats().targetForwards(), r.stats().summary());
        assertEquals(1, m.forwardsByRows[1]);
        assertEquals(1, m.forwardsByRows[2]);
        assertEquals(9, m.forwardsByRows[3]);
        assertEquals(19, r.stats().proposedDrafts());
        assertEquals(1.0, r.stats().acceptanceRate());
        assertTrue(r.stats().detail().startsWith("window steps 0 (probes 0), verification-only steps 10, AR steps 1,"), r.stats().detail());
    }

    @Test
    void classicLookaheadRunsTheWindowOnEveryStep() {
        CountingModel m = new CountingModel(V);
        Generator g = Generator.builder().target(m).strategy(StrategyKind.LOOKAHEAD)
                .options(DecodingOptions.builder().ngram(3).fallbackToAr(false).build()).build();
        GenerationResult r = g.generate(promptHoldingTheContinuation(m), 30, null);
        assertArrayEquals(m.count(10, 30), r.ids());
        // the same 11 steps, each with the window's W - 1 + W (N - 2) = 7 rows added
        assertEquals(11, r.stats().targetForwards());
        assertEquals(1, m.forwardsByRows[8], "step 1: x_last and the window");
        assertEquals(0, m.forwardsByRows[1]);
        assertEquals(1.0, r.stats().acceptanceRate());
        assertTrue(r.stats().detail().startsWith("window steps 11 (probes 0), verification-only steps 0, AR steps 0,"), r.stats().detail());
    }

    @Test
    void wrongPoolNgramsFallBackToArSteps() {
        CountingModel m = new CountingModel(V);
        int[] prompt = new int[50];
        for (int i = 0; i < 50; i++) prompt[i] = 49 - i; // counts down: every prompt n-gram keyed by t says t-1, t-2
        Generator g = Generator.builder().target(m).strategy(StrategyKind.LOOKAHEAD).options(N3).build();
        GenerationResult r = g.generate(prompt, 40, null);
        assertArrayEquals(m.count(1, 40), r.ids());
        assertEquals(40, r.stats().targetForwards(), "no n-gram is ever right: one token per forward");
        assertEquals(0, r.stats().acceptedDrafts());
        // the prior (E = 1.96 for both tokens, c(3) = 1.4 before any multi-row forward) lets the first step verify;
        // its n-gram fails at once, which is known as soon as the token is committed: then E = 1 + 0.96 / 2 = 1.48
        // < c(3) ~ 2 and E = 1 + 0.6 / 2 = 1.3 < c(2) ~ 1.5
        assertEquals(1, m.forwardsByRows[3], r.stats().detail());
        // the window is probed once, after DraftGate.MIN_GAP = 32 steps without it (x_last + 7 window rows)
        assertEquals(1, m.forwardsByRows[8]);
        assertEquals(40 - 1 - 1, m.forwardsByRows[1]);
        assertTrue(r.stats().detail().startsWith("window steps 1 (probes 1), verification-only steps 1, AR steps 38,"), r.stats().detail());
    }

    @Test
    void jacobiOnANonConvergingModelRunsOnlyArForwards() {
        // on the counting model a row's prediction is right only if the guess before it was: random guesses from the
        // text are right ~1/50 of the time, far below what a 2-row forward costs, so no Jacobi step ever runs
        CountingModel m = new CountingModel(V);
        Generator g = Generator.builder().target(m).strategy(StrategyKind.JACOBI).build();
        GenerationResult r = g.generate(promptHoldingTheContinuation(m), 40, null);
        assertArrayEquals(m.count(10, 40), r.ids());
        assertEquals(40, r.stats().targetForwards());
        assertEquals(40, m.forwardsByRows[1], "every decode forward is a single row, as in AR: " + r.stats().detail());
        assertEquals(41, m.forwards, "the prefill and 40 decode forwards");
        assertTrue(r.stats().detail().startsWith("Jacobi steps 0, AR fallback steps 40,"), r.stats().detail());
    }

    /** A cost curve of T(1) = 10 ms and the given c(r) at the given row counts. */
    private static ForwardCost cost(int[] rows, double[] ratio) {
        ForwardCost cost = new ForwardCost();
        for (int rep = 0; rep < 30; rep++) {
            cost.record(1, 10_000_000);
            for (int i = 0; i < rows.length; i++) cost.record(rows[i], Math.round(10_000_000 * ratio[i]));
        }
        return cost;
    }

    @Test
    void treeRowsCountSharedPrefixesOnce() {
        int[] lcp = {0, 1, 0, 2}; // candidate 1 shares its first token with 0; candidate 3 is a duplicate of 0 or 1 at depth 2
        assertEquals(1, LookaheadCostModel.rows(lcp, 0, 2));
        assertEquals(3, LookaheadCostModel.rows(lcp, 1, 2));
        assertEquals(4, LookaheadCostModel.rows(lcp, 2, 2));
        assertEquals(6, LookaheadCostModel.rows(lcp, 4, 2));
        assertEquals(3, LookaheadCostModel.rows(lcp, 4, 1), "cut to one token: candidates 0 and 2 differ, 1 and 3 repeat");
    }

    @Test
    void candidatesAndDepthFollowMeasuredAcceptanceAndCost() {
        ForwardCost cost = cost(new int[] {2, 3, 5, 7, 9}, new double[] {1.1, 1.2, 1.5, 1.8, 2.2});
        int[] lcp = {0, 0, 0, 0};
        LookaheadCostModel model = new LookaheadCostModel(4, 2);
        assertEquals(1.6, model.expectedTokens(1, 1), 1e-12, "prior: each token accepted with probability 0.6");
        assertEquals(1.96, model.expectedTokens(1, 2), 1e-12);
        assertEquals(1, model.chooseCandidates(cost, lcp, 4, 2, 100), "prior: 1.96 / c(3) = 1.63 is the best");
        assertEquals(2, model.chosenDepth());
        assertEquals(1, model.chooseCandidates(cost, lcp, 4, 2, 2), "only 2 rows fit: one token of one candidate");
        assertEquals(1, model.chosenDepth());
        // the second candidate is always right (2 tokens), the others never
        for (int i = 0; i < 100; i++) model.observe(new int[] {0, 2, 0, 0}, 4, 2, 0);
        assertEquals(1 + 0.6 / (10 + 1), model.expectedTokens(1, 1), 1e-3);
        assertEquals(1 + (20 + 0.96) / (10 + 1), model.expectedTokens(2, 2), 1e-3);
        assertEquals(1 + (10 + 0.6) / (10 + 1), model.expectedTokens(2, 1), 1e-3);
        assertEquals(model.expectedTokens(2, 2), model.expectedTokens(4, 2), 1e-12, "more candidates add nothing");
        assertEquals(2, model.chooseCandidates(cost, lcp, 4, 2, 100), "2.91 tokens for c(5) = 1.5");
        assertEquals(2, model.chosenDepth());
        assertEquals(0, model.chooseCandidates(cost, lcp, 1, 2, 100), "the right one is not offered");
        assertEquals(0, model.chosenDepth());
    }

    @Test
    void shorterCandidatesAreVerifiedWhenOnlyTheirFirstTokensAreRight() {
        ForwardCost cost = cost(new int[] {2, 3, 4, 5}, new double[] {1.1, 1.4, 1.7, 2.0});
        LookaheadCostModel model = new LookaheadCostModel(1, 4);
        for (int i = 0; i < 100; i++) model.observe(new int[] {1}, 1, 4, 0); // the first token right, the second never
        assertEquals(1, model.chooseCandidates(cost, new int[] {0}, 1, 4, 100));
        assertEquals(1, model.chosenDepth(), "E = 1.96 for c(2) = 1.1; longer candidates add rows, not tokens");
    }

    @Test
    void candidatesThatNeverMatchGiveArStepsWithARareCostReprobe() {
        ForwardCost cost = cost(new int[] {3}, new double[] {1.2});
        LookaheadCostModel model = new LookaheadCostModel(2, 2);
        for (int i = 0; i < 50; i++) model.observe(new int[] {0, 0}, 2, 2, 0);
        int verified = 0;
        for (int i = 0; i < 2 * DraftLengthModel.EXPLORE_AFTER; i++) if (model.chooseCandidates(cost, new int[] {0, 0}, 2, 2, 100) > 0) verified++;
        // E = 1.055 for one token: not even the prior cost curve (c(2) = 1.2) makes it pay
        assertEquals(0, verified);
    }

    @Test
    void windowRunsOnlyWhileItsNgramsPayForItsRows() {
        ForwardCost cost = cost(new int[] {3, 10}, new double[] {1.2, 2.4});
        LookaheadCostModel model = new LookaheadCostModel(4, 2);
        assertEquals(0, model.windowValue());
        int runs = 0;
        for (int step = 1; step <= DraftGate.MIN_GAP; step++) {
            boolean run = model.runWindow(cost, 3, 7);
            if (run) runs++;
            model.stepDone(run);
        }
        assertEquals(1, runs, "a probe after MIN_GAP steps, not before");
        // the probe's n-grams then verify 2 tokens beyond the text's on each of the next 3 steps, against a marginal
        // cost c(10) - c(3) = 1.2 per window step; both sums decay by 0.97 per step, so the credit arriving 1, 2 and 3
        // steps after the window step counts 1/0.97^3, 1/0.97^2 and 1/0.97 relative to it
        for (int i = 0; i < 3; i++) {
            model.observe(new int[] {2}, 1, 2, 2);
            model.stepDone(false);
        }
        double d = 0.97;
        assertEquals(2 * (1 + 1 / d + 1 / (d * d)), model.windowValue(), 1e-9);
        assertTrue(model.runWindow(cost, 3, 7));
        model.stepDone(true);
        // with nothing credited any more, each window step adds one to the step sum and the window stops once the
        // value drops to 1.05 x 1.2: values 2.91, 1.88, 1.38 still pay, 1.08 does not
        int more = 0;
        boolean run = true;
        while (run && more < 10) {
            run = model.runWindow(cost, 3, 7);
            model.stepDone(run);
            if (run) more++;
        }
        assertFalse(run);
        assertEquals(3, more);
    }

    @Test
    void pendingCandidatesAreJudgedOnceTheirPositionsAreCommitted() {
        NgramPool pool = new NgramPool(16, 4, 2);
        pool.add(new int[] {5, 6, 7}, 0);
        pool.add(new int[] {5, 8, 9}, 0, NgramPool.WINDOW); // more recent, but the text's n-gram is offered first
        PendingCandidates pending = new PendingCandidates(4, 2);
        LookaheadCostModel model = new LookaheadCostModel(4, 2);
        pending.add(pool, 5, pool.count(5), 2, 3);
        int[] text = {1, 2, 5, 8, 9, 0};
        pending.resolve(text, 4, model); // position 4 not committed yet
        assertEquals(1.96, model.expectedTokens(1, 2), 1e-12);
        model.stepDone(true);
        pending.resolve(text, 5, model);
        // candidate 0 = [6, 7] (text) matched 0 tokens, candidate 1 = [8, 9] (window) 2: the window gets 2 tokens
        assertEquals(1 + 0.96 / 2, model.expectedTokens(1, 2), 1e-12);
        assertEquals(1 + 2.96 / 2, model.expectedTokens(2, 2), 1e-12);
        assertEquals(1 + 1.6 / 2, model.expectedTokens(2, 1), 1e-12);
        assertEquals(2.0, model.windowValue(), 1e-12);
        pending.resolve(text, 6, model); // resolved sets are forgotten
        assertEquals(1 + 2.96 / 2, model.expectedTokens(2, 2), 1e-12);
    }
}
