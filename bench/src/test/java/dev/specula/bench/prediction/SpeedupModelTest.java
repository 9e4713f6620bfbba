package dev.specula.bench.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.specula.decoding.RowHistogram;
import org.junit.jupiter.api.Test;

class SpeedupModelTest {
    private final CostCurve curve = new CostCurve(new int[] {1, 2, 4, 8}, new double[] {10, 12, 14, 20});

    @Test
    void costCurveInterpolatesBetweenMeasuredPoints() {
        assertEquals(10.0, curve.millis(1));
        assertEquals(11.0, curve.millis(1.5));
        assertEquals(14.0, curve.millis(4));
        assertEquals(15.5, curve.millis(5)); // 14 + (20 - 14) / 4
        assertEquals(1.55, curve.ratio(5), 1e-15);
    }

    @Test
    void costCurveExtendsTheLastSlopeBeyondTheLargestK() {
        assertEquals(26.0, curve.millis(12)); // 20 + 1.5 * 4
    }

    @Test
    void predictedSpeedupWithoutDraftModel() {
        // 3 tokens per forward, 5 rows per forward: 3 * 10 / 15.5
        assertEquals(30.0 / 15.5, SpeedupModel.predictedSpeedup(3, 5, 0, 99, curve), 1e-15);
    }

    @Test
    void predictedSpeedupChargesDraftForwards() {
        // 2.5 tokens per forward, 4 rows (14 ms) plus 3 draft forwards of 2 ms: 25 / 20
        assertEquals(1.25, SpeedupModel.predictedSpeedup(2.5, 4, 3, 2, curve), 1e-15);
    }

    @Test
    void histogramPredictionAveragesTheCurveOverTheForwards() {
        // 10 forwards of 1 row and 10 of 9 rows: mean 5 rows, but the mean cost is (C(1) + C(9)) / 2 = (10 + 21.5) / 2
        // = 15.75 ms, not C(5) = 15.5 ms (the curve is convex)
        RowHistogram mixed = new RowHistogram(new long[] {0, 10, 0, 0, 0, 0, 0, 0, 0, 10}, new double[10]);
        assertEquals(5.0, mixed.rowsPerForward());
        assertEquals(315.0, SpeedupModel.predictedMs(mixed, curve));
        // 60 tokens: 60 * 10 / 315
        assertEquals(600.0 / 315, SpeedupModel.predictedSpeedup(60, mixed, curve, RowHistogram.EMPTY, null), 1e-15);
        // plus 40 draft forwards of 2 rows at 1.5 ms each
        CostCurve draft = new CostCurve(new int[] {1, 2}, new double[] {1, 1.5});
        RowHistogram drafts = new RowHistogram(new long[] {0, 0, 40}, new double[3]);
        assertEquals(600.0 / 375, SpeedupModel.predictedSpeedup(60, mixed, curve, drafts, draft), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> SpeedupModel.predictedSpeedup(60, mixed, curve, drafts, null));
    }

    @Test
    void plainDecodingPredictsNoSpeedup() {
        assertEquals(1.0, SpeedupModel.predictedSpeedup(1, 1, 0, 0, curve));
    }

    @Test
    void expectedTokensPerForwardFollowsTheGeometricSeries() {
        assertEquals(1.875, SpeedupModel.expectedTokensPerForward(0.5, 3), 1e-15); // 1 + .5 + .25 + .125
        assertEquals(5.0, SpeedupModel.expectedTokensPerForward(1.0, 4));
        assertEquals(1.0, SpeedupModel.expectedTokensPerForward(0.0, 4));
        // i.i.d. acceptance 0.5, gamma 3: 1.875 tokens for a 4-row forward (14 ms) plus 3 draft forwards of 1 ms
        assertEquals(1.875 * 10 / 17, SpeedupModel.predictedSpeedup(0.5, 3, 1.0, curve), 1e-15);
    }

    @Test
    void rejectsMeaninglessInputs() {
        assertThrows(IllegalArgumentException.class, () -> new CostCurve(new int[] {2, 4}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new CostCurve(new int[] {1, 1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> new CostCurve(new int[] {1}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> curve.millis(0.5));
        assertThrows(IllegalArgumentException.class, () -> SpeedupModel.expectedTokensPerForward(1.5, 2));
        assertThrows(IllegalArgumentException.class, () -> SpeedupModel.predictedSpeedup(0, 1, 0, 0, curve));
    }
}
