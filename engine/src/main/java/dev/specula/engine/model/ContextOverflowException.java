package dev.specula.engine.model;

/** A forward call would write past the session's KV cache capacity. */
public final class ContextOverflowException extends IllegalStateException {
    private final int capacity;

    public ContextOverflowException(int length, int requested, int capacity) {
        super("context overflow: " + length + " cached rows + " + requested + " new rows exceed the context limit of "
                + capacity + " tokens (start a session with a larger context, or truncate)");
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }
}
