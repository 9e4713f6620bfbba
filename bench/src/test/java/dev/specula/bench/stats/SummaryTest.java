package dev.specula.bench.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void oddCountMedianIsTheMiddleSample() {
        Summary s = Summary.of(9, 1, 5, 3, 7);
        assertEquals(5, s.count());
        assertEquals(5.0, s.median());
        assertEquals(1.0, s.min());
        assertEquals(9.0, s.max());
        assertEquals(5.0, s.mean());
        // deviations -4,-2,0,2,4 -> squares 40 / (n-1 = 4) = 10
        assertEquals(Math.sqrt(10), s.stddev());
        assertEquals(0.8, s.relativeSpread()); // (9-1) / (2*5)
    }

    @Test
    void evenCountMedianIsTheMeanOfTheTwoMiddleSamples() {
        Summary s = Summary.of(4, 1, 3, 2);
        assertEquals(2.5, s.median());
        assertEquals(2.5, s.mean());
        assertEquals(1.0, s.min());
        assertEquals(4.0, s.max());
    }

    @Test
    void singleSampleHasNoSpread() {
        Summary s = Summary.of(12.5);
        assertEquals(12.5, s.median());
        assertEquals(0.0, s.stddev());
        assertEquals(0.0, s.relativeSpread());
    }

    @Test
    void inputIsNotReordered() {
        double[] samples = {3, 1, 2};
        Summary.of(samples);
        assertArrayEquals(new double[] {3, 1, 2}, samples);
    }

    @Test
    void ratesDivideWorkByEachTime() {
        assertArrayEquals(new double[] {50, 25, 100}, Summary.rates(100, new double[] {2, 4, 1}));
        assertEquals(50.0, Summary.of(Summary.rates(100, new double[] {2, 4, 1})).median());
    }

    @Test
    void rejectsEmptyAndNonFiniteSamples() {
        assertThrows(IllegalArgumentException.class, () -> Summary.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Summary.of(1, Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Summary.rates(1, new double[] {0}));
    }
}
