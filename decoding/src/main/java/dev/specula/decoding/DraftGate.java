package dev.specula.decoding;

/**
 * Probing gate for an optional, more expensive kind of step whose value can only be measured while it runs (the
 * lookahead window: its n-grams only exist while its Jacobi iteration runs). The caller says each step whether the
 * current estimate says the step pays; when it does, the step runs. When it does not, the step still runs once
 * after a gap of {@value #MIN_GAP} declined steps (a probe, to re-measure), the gap doubling after every probe up
 * to {@value #MAX_GAP} and going back to {@value #MIN_GAP} as soon as the estimate says it pays again. A step
 * that never pays therefore runs about 1 + log2(n / {@value #MIN_GAP}) times in n steps.
 */
final class DraftGate {
    static final int MIN_GAP = 32;
    static final int MAX_GAP = 1024;
    private int gap = MIN_GAP;
    private int sinceRun;
    private long probes;

    /** Whether the step runs now, given whether the current estimate says it pays. */
    boolean shouldRun(boolean pays) {
        if (pays) {
            gap = MIN_GAP;
            sinceRun = 0;
            return true;
        }
        if (++sinceRun < gap) return false;
        sinceRun = 0;
        gap = Math.min(MAX_GAP, 2 * gap);
        probes++;
        return true;
    }

    /** Steps run although the estimate said they do not pay. */
    long probes() {
        return probes;
    }
}
