package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The online cost models behind the AR fallbacks: forward cost ratio, drafting gate, adaptive lookup length. */
class CostModelTest {
    @Test
    void forwardCostLearnsTheSlopeAndClipsStalls() {
        ForwardCost cost = new ForwardCost();
        assertEquals(ForwardCost.prior(8), cost.ratio(8), 1e-12, "prior before any measurement");
        assertEquals(ForwardCost.prior(100), cost.ratio(100), 1e-12);
        for (int i = 0; i < 50; i++) {
            cost.record(1, 10_000_000);     // T(1) = 10 ms
            cost.record(9, 20_000_000);     // T(9) = 20 ms: c(9) = 2, slope 1/8
        }
        assertEquals(0.125, cost.slope(), 1e-3);
        assertEquals(2.0, cost.ratio(9), 1e-2);
        assertEquals(1.0, cost.ratio(1), 1e-12);
        // one stall of 100x moves the slope by at most the clipped sample (2x the estimate), weight 0.15
        cost.record(9, 2_000_000_000L);
        assertEquals(0.125 * 0.85 + 0.25 * 0.15, cost.slope(), 1e-3);
    }

    @Test
    void forwardCostFoldsInMultiRowForwardsSeenBeforeTheFirstSingleRow() {
        ForwardCost cost = new ForwardCost();
        cost.record(5, 30_000_000);
        assertEquals(ForwardCost.PRIOR_SLOPE, cost.slope(), 1e-12);
        cost.record(1, 20_000_000);       // c(5) = 1.5 -> slope sample 0.125
        assertEquals(0.125, cost.slope(), 1e-9);
    }

    @Test
    void forwardCostKeepsAMeasuredCurvePerRowCount() {
        ForwardCost cost = new ForwardCost();
        for (int i = 0; i < 30; i++) {
            cost.record(1, 10_000_000);   // T(1) = 10 ms
            cost.record(2, 11_000_000);   // c(2) = 1.1
            cost.record(8, 20_000_000);   // c(8) = 2.0: not on the line through c(2)
        }
        assertEquals(1.1, cost.ratio(2), 1e-9);
        assertEquals(2.0, cost.ratio(8), 1e-9);
        assertTrue(cost.measured(8));
        assertFalse(cost.measured(5));
        assertEquals(1.1 + 0.9 * 3 / 6, cost.ratio(5), 1e-9, "between measured counts: linear interpolation");
        double slope = cost.slope();
        assertEquals(2.0 + slope * 4, cost.ratio(12), 1e-9, "above them: the largest one plus the slope");
        assertEquals(cost.ratio(ForwardCost.TRACKED_ROWS) + slope * 6, cost.ratio(ForwardCost.TRACKED_ROWS + 6), 1e-9);
        // a measurement taken in a stall (c(4) = 3) is overruled by the cheaper, larger batch: more rows never cost less
        for (int i = 0; i < 30; i++) {
            cost.record(1, 10_000_000);
            cost.record(4, 30_000_000);
        }
        assertEquals(2.0, cost.ratio(4), 1e-9);
        assertEquals(2.0, cost.ratio(3), 1e-9, "interpolated towards the stalled c(4) ~ 3, then capped by c(8) too");
        assertEquals(1.1, cost.ratio(2), 1e-9);
    }

    @Test
    void forwardCostClipsEachSampleToTwiceTheCurrentEstimate() {
        ForwardCost cost = new ForwardCost();
        cost.record(1, 10_000_000);
        cost.record(3, 100_000_000); // c(3) = 10 in a stall; the prior says c(3) = 1.4
        assertEquals(1 + 2 * 0.4, cost.ratio(3), 1e-9);
        cost.record(3, 12_000_000);  // then 1.2
        assertEquals(1 + 0.85 * 0.8 + 0.15 * 0.2, cost.ratio(3), 1e-9);
    }

    @Test
    void gateProbesWithDoublingGapsWhileItDoesNotPay() {
        DraftGate gate = new DraftGate();
        int runs = 0;
        int firstProbe = -1;
        for (int step = 1; step <= 7 * DraftGate.MIN_GAP; step++) {
            if (gate.shouldRun(false)) {
                runs++;
                if (firstProbe < 0) firstProbe = step;
            }
        }
        assertEquals(DraftGate.MIN_GAP, firstProbe);
        assertEquals(3, runs, "probes after MIN_GAP, 2 MIN_GAP and 4 MIN_GAP declined steps");
        assertEquals(3, gate.probes());
        // once it pays it runs on every step, and the gap is back to MIN_GAP
        for (int step = 0; step < 10; step++) assertTrue(gate.shouldRun(true));
        int declined = 0;
        while (!gate.shouldRun(false)) declined++;
        assertEquals(DraftGate.MIN_GAP - 1, declined);
        assertEquals(4, gate.probes());
    }

    @Test
    void draftLengthFollowsAcceptanceAndCost() {
        ForwardCost cost = new ForwardCost();
        for (int i = 0; i < 20; i++) {
            cost.record(1, 10_000_000);
            cost.record(5, 14_000_000); // slope 0.1
        }
        DraftLengthModel model = new DraftLengthModel(0.5, 0.5);
        int[] tokens = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        int[] right = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
        int[] wrong = {8, 8, 8, 8};
        for (int i = 0; i < 40; i++) {
            model.observe(0, right, 16, tokens, 0, 16); // bucket 0 always right
            model.observe(1, wrong, 4, tokens, 0, 16);  // bucket 1 always wrong at once
        }
        assertTrue(model.alpha(0) > 0.99);
        assertTrue(model.alpha(1) < 0.1);
        assertEquals(12, model.choose(cost, 0, 12), "a reliable draft is verified whole when rows are cheap");
        assertEquals(0, model.choose(cost, 1, 12), "an unreliable one gives a plain AR step");
        // observation stops at the first mismatch: successes 2, one failed trial
        DraftLengthModel fresh = new DraftLengthModel(0.5);
        double before = fresh.alpha(0);
        fresh.observe(0, new int[] {7, 7, 9, 7}, 4, tokens, 0, 16);
        assertEquals((2 + before * 2) / (3 + 2), fresh.alpha(0), 1e-12);
    }

    @Test
    void draftLengthReexploresAfterDecliningManyTimes() {
        ForwardCost cost = new ForwardCost();
        for (int i = 0; i < 20; i++) {
            cost.record(1, 10_000_000);
            cost.record(2, 30_000_000); // measured c(2) = 3: nothing pays
        }
        DraftLengthModel model = new DraftLengthModel(0.5);
        int[] tokens = {1, 1, 1, 1};
        for (int i = 0; i < 40; i++) model.observe(0, tokens, 4, tokens, 0, 4);
        int verified = 0;
        for (int i = 0; i < DraftLengthModel.EXPLORE_AFTER * 2; i++) if (model.choose(cost, 0, 4) > 0) verified++;
        assertEquals(2, verified, "one draft per " + DraftLengthModel.EXPLORE_AFTER + " declined ones re-measures the cost");
    }

    @Test
    void longestMatchPrefersTheLongestSuffixThenTheLongerContinuation() {
        //            0  1  2  3  4  5  6  7  8  9 10 11
        int[] text = {5, 1, 2, 3, 9, 4, 2, 3, 8, 1, 2, 3};
        long m = PromptLookup.longestMatch(text, text.length, 32, 8);
        assertEquals(3, (int) (m >>> 32), "suffix 1 2 3 also occurs at 1..3");
        assertEquals(4, (int) m, "continuation starts after it");
        int[] none = {1, 2, 3};
        assertEquals(-1, PromptLookup.longestMatch(none, none.length, 32, 8));
        int[] tie = {2, 3, 7, 2, 3, 6, 6, 2, 3};
        long t = PromptLookup.longestMatch(tie, tie.length, 32, 2);
        assertEquals(2, (int) (t >>> 32));
        assertEquals(5, (int) t, "equal matches and continuations: the most recent one");
    }
}
