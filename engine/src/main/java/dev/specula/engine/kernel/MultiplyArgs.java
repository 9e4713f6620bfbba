package dev.specula.engine.kernel;

/** Argument checks shared by the {@link WeightMatrix} implementations, with messages that name the limit. */
final class MultiplyArgs {
    private MultiplyArgs() {}

    static void check(WeightMatrix w, float[] x, int xStride, float[] out, int outStride, int k, int rowStart, int rowEnd) {
        if (k < 1) throw new IllegalArgumentException("activation row count k must be >= 1, got " + k);
        if (rowStart < 0 || rowEnd > w.rows() || rowStart > rowEnd) {
            throw new IndexOutOfBoundsException("output row range [" + rowStart + ", " + rowEnd + ") is outside [0, "
                    + w.rows() + ") of a " + w.type() + " " + w.rows() + "x" + w.cols() + " matrix");
        }
        if (k > 1 && xStride < w.cols()) {
            throw new IllegalArgumentException("xStride " + xStride + " is smaller than cols " + w.cols());
        }
        if (k > 1 && outStride < w.rows()) {
            throw new IllegalArgumentException("outStride " + outStride + " is smaller than rows " + w.rows());
        }
        long xNeed = (long) (k - 1) * xStride + w.cols();
        if (x.length < xNeed) {
            throw new IndexOutOfBoundsException("activation array holds " + x.length + " floats, but k=" + k
                    + " rows of stride " + xStride + " and " + w.cols() + " cols need " + xNeed);
        }
        long outNeed = (long) (k - 1) * outStride + rowEnd;
        if (out.length < outNeed) {
            throw new IndexOutOfBoundsException("output array holds " + out.length + " floats, but k=" + k
                    + " rows of stride " + outStride + " up to row " + rowEnd + " need " + outNeed);
        }
    }

    static void checkRow(WeightMatrix w, int row, float[] dst, int dstOffset) {
        if (row < 0 || row >= w.rows()) {
            throw new IndexOutOfBoundsException("row " + row + " is outside [0, " + w.rows() + ") of a "
                    + w.type() + " " + w.rows() + "x" + w.cols() + " matrix");
        }
        if (dstOffset < 0 || (long) dstOffset + w.cols() > dst.length) {
            throw new IndexOutOfBoundsException("destination [" + dstOffset + ", " + ((long) dstOffset + w.cols())
                    + ") does not fit an array of " + dst.length);
        }
    }
}
