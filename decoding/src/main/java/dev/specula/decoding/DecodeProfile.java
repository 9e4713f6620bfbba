package dev.specula.decoding;

import java.util.Locale;

/**
 * Where the decode time of one generation went (prefill excluded): every target forward and every draft-model
 * forward by batch size, and the rest of the loop.
 *
 * @param target  target forwards by rows (x_last plus every drafted node verified with it) and their wall time
 * @param draft   draft / extra model forwards by rows (drafted tokens, and catch-up rows after steps of other
 *                drafters) and their wall time
 * @param otherMs decode time outside both: drafting logic, sampling, tree walks, cache truncation and compaction,
 *                bookkeeping
 */
public record DecodeProfile(RowHistogram target, RowHistogram draft, double otherMs) {
    public static final DecodeProfile EMPTY = new DecodeProfile(RowHistogram.EMPTY, RowHistogram.EMPTY, 0);

    public DecodeProfile {
        if (target == null || draft == null) throw new IllegalArgumentException("histograms must not be null");
    }

    /** Rows of all target forwards together. */
    public long verifiedRows() {
        return target.totalRows();
    }

    /** Mean rows per target forward (NaN when none ran). */
    public double rowsPerForward() {
        return target.rowsPerForward();
    }

    public double targetForwardMs() {
        return target.totalMs();
    }

    public double draftForwardMs() {
        return draft.totalMs();
    }

    /** This profile plus another (e.g. summed over the runs of a benchmark). */
    public DecodeProfile plus(DecodeProfile o) {
        return new DecodeProfile(target.plus(o.target), draft.plus(o.draft), otherMs + o.otherMs);
    }

    /** "target rows 1x40 6x20: 812.0 ms; draft rows 1x80 2x20: 61.2 ms; other 20.5 ms". */
    public String summary() {
        return String.format(Locale.ROOT, "target rows %s: %.1f ms; draft rows %s: %.1f ms; other %.1f ms",
                target.counts(), target.totalMs(), draft.counts(), draft.totalMs(), otherMs);
    }

    /** Mutable accumulator of one generation (no allocation per forward). */
    static final class Recorder {
        private RowHistogram.Counter target = new RowHistogram.Counter();
        private RowHistogram.Counter draft = new RowHistogram.Counter();

        void reset() {
            target = new RowHistogram.Counter();
            draft = new RowHistogram.Counter();
        }

        void targetForward(int rows, long elapsed) {
            target.add(rows, elapsed);
        }

        void draftForward(int rows, long elapsed) {
            draft.add(rows, elapsed);
        }

        /** The profile of a decode loop that took {@code decodeMs} in all. */
        DecodeProfile snapshot(double decodeMs) {
            return new DecodeProfile(target.snapshot(), draft.snapshot(),
                    Math.max(0, decodeMs - (target.totalNanos() + draft.totalNanos()) / 1e6));
        }
    }
}
