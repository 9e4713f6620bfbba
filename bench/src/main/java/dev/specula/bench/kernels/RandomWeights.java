package dev.specula.bench.kernels;

import dev.specula.gguf.GgmlType;
import dev.specula.gguf.RandomBlocks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/**
 * Random inputs for kernel benchmarks: valid GGML-encoded weights of any type (the gguf module's
 * {@link RandomBlocks}: every block decodes to finite values) and float activations.
 */
public final class RandomWeights {
    private RandomWeights() {}

    /** A segment of {@code type.bytesFor(rows * cols)} bytes in GGML layout, allocated in {@code arena}. */
    public static MemorySegment create(GgmlType type, int rows, int cols, long seed, Arena arena) {
        if (rows < 1 || cols < 1) throw new IllegalArgumentException("shape " + rows + "x" + cols + " must be positive");
        long bytes = type.bytesFor((long) rows * cols);
        if (type.bytesFor(cols) < 0) {
            throw new IllegalArgumentException(type + " needs cols to be a multiple of " + type.blockSize + ", got " + cols);
        }
        MemorySegment data = arena.allocate(bytes, 64);
        RandomBlocks.fill(type, RandomBlocks.generator(seed), (long) rows * cols, 0.02f, data, 0);
        return data;
    }

    /** {@code n} normal samples with standard deviation 0.02 (a typical weight scale). */
    public static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i += 2) {
            // Box-Muller: two independent normals from two uniforms
            double u1 = 1.0 - random.nextDouble(), u2 = random.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1)) * 0.02;
            v[i] = (float) (radius * Math.cos(2 * Math.PI * u2));
            if (i + 1 < n) v[i + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
        }
        return v;
    }

    /** {@code n} uniform activations in [-1, 1). */
    public static float[] activations(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextDouble() * 2 - 1);
        return v;
    }
}
