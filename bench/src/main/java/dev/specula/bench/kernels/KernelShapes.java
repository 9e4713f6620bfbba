package dev.specula.bench.kernels;

/** "ROWSxCOLS" benchmark shape strings. */
public final class KernelShapes {
    private KernelShapes() {}

    /** {rows, cols} of "8192x2048". */
    public static int[] parse(String shape) {
        int x = shape.indexOf('x');
        if (x <= 0) throw new IllegalArgumentException("shape must look like ROWSxCOLS, got '" + shape + "'");
        try {
            int rows = Integer.parseInt(shape.substring(0, x).trim()), cols = Integer.parseInt(shape.substring(x + 1).trim());
            if (rows < 1 || cols < 1) throw new IllegalArgumentException("shape dimensions must be positive: '" + shape + "'");
            return new int[] {rows, cols};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape must look like ROWSxCOLS, got '" + shape + "'", e);
        }
    }
}
