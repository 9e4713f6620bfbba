package dev.specula.cli;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API shape the kernels use ({@code FloatVector.SPECIES_PREFERRED}). Only call this when
 * {@link Relauncher#vectorModulePresent()} is true: loading it without the module fails.
 */
final class VectorShape {
    private static final VectorSpecies<Float> PREFERRED = FloatVector.SPECIES_PREFERRED;

    private VectorShape() {}

    static int bits() {
        return PREFERRED.vectorBitSize();
    }

    static int floatLanes() {
        return PREFERRED.length();
    }
}
