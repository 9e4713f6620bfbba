package dev.specula.gguf;

import java.io.IOException;

/** A GGUF file violates the format: the message names the file, the field and the byte offset. */
public class GgufFormatException extends IOException {
    private final long offset;

    public GgufFormatException(String message, long offset) {
        super(message);
        this.offset = offset;
    }

    /** Byte offset in the file where the problem was detected, or -1 when it concerns the file as a whole. */
    public long offset() {
        return offset;
    }
}
