package dev.specula.bench.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.bench.report.BenchReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class BandwidthProbeTest {
    @Test
    void triadComputesBPlusThreeCAndEveryRepetitionIsTimed() {
        try (BandwidthProbe probe = new BandwidthProbe(3L << 20)) {
            assertEquals(3L << 20, probe.workingSetBytes());
            BandwidthProbe.Result r = probe.measure(2, 3);
            assertEquals(2, r.threads());
            assertEquals(3, r.readGBs().count());
            assertEquals(3, r.triadGBs().count());
            assertTrue(r.readGBs().min() > 0 && r.triadGBs().min() > 0);
            // b and c hold the float with bits 0x01010101, so a = b + 3c = 4b exactly, in every thread's slice
            float b = Float.intBitsToFloat(0x01010101);
            long elements = probe.triadElements();
            for (long i : new long[] {0, elements / 2 - 1, elements / 2, elements - 1}) assertEquals(4 * b, probe.triadOutput(i), "a[" + i + "]");
        }
    }

    @Test
    void reportHasOneRowPerThreadCountAndAChartWithoutRoofline() {
        try (BandwidthProbe probe = new BandwidthProbe(3L << 20)) {
            BenchReport report = BandwidthCommand.report(List.of(probe.measure(1, 1), probe.measure(2, 1)));
            assertEquals(2, report.tables().getFirst().rows().size());
            assertEquals(List.of("1", "2"), report.chart().categories());
            assertEquals(null, report.chart().roofline());
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new BandwidthProbe(100));
        try (BandwidthProbe probe = new BandwidthProbe(3L << 20)) {
            assertThrows(IllegalArgumentException.class, () -> probe.measure(0, 1));
            assertThrows(IllegalArgumentException.class, () -> probe.measure(1, 0));
        }
    }
}
