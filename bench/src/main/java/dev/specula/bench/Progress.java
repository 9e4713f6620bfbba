package dev.specula.bench;

import dev.specula.bench.report.Fmt;
import java.io.PrintStream;

/**
 * Progress lines on stderr for long runs: "[3/12] decode t=2 rep 2 ... ETA 1m20s". The ETA assumes
 * the remaining steps take as long as the finished ones did on average.
 */
public final class Progress {
    private final PrintStream err;
    private final int total;
    private final long startNanos = System.nanoTime();
    private int started;

    public Progress(PrintStream err, int total) {
        this.err = err;
        this.total = Math.max(1, total);
    }

    /** Announces the next step. */
    public void step(String what) {
        int done = started;
        started++;
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        String eta = done == 0 ? "" : " ETA " + Fmt.duration(elapsed / done * (total - done));
        err.println("[" + started + "/" + total + "] " + what + " (elapsed " + Fmt.duration(elapsed) + eta + ")");
        err.flush();
    }

    public void done() {
        err.println("done in " + Fmt.duration((System.nanoTime() - startNanos) / 1e9));
        err.flush();
    }
}
