package dev.specula.bench.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
