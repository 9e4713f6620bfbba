package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The array lane sum the matrix kernels end with gives exactly the bits of the vector lane sum. */
class KernelSpeciesTest {
    @Test
    void arrayLaneSumEqualsVectorLaneSum() {
        Random rnd = new Random(7);
        float[] v = new float[KernelSpecies.LANES];
        float[] scratch = new float[KernelSpecies.LANES];
        for (int n = 0; n < 20_000; n++) {
            // wide magnitude range so the order of additions matters for the rounding
            for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6));
            FloatVector vector = FloatVector.fromArray(KernelSpecies.FLOAT, v, 0);
            vector.intoArray(scratch, 0);
            float expected = KernelSpecies.sumLanes(vector);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(KernelSpecies.sumLanes(scratch)),
                    () -> "lanes " + java.util.Arrays.toString(v));
        }
    }
}
