package dev.specula.decoding;

/**
 * The outcome of one {@link Generator#generate} call.
 *
 * @param ids   the generated token ids (prompt excluded; an end-of-generation token is not included)
 * @param stats counters and timings of the run
 * @param stopReason why generation ended
 */
public record GenerationResult(int[] ids, DecodeStats stats, StopReason stopReason) {
    public GenerationResult {
        ids = ids.clone();
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }
}
