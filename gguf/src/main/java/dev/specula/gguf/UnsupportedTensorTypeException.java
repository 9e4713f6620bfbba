package dev.specula.gguf;

/** A tensor uses a GGML type that exists in the format but that Specula cannot compute with. */
public final class UnsupportedTensorTypeException extends GgufFormatException {
    public UnsupportedTensorTypeException(String message, long offset) {
        super(message, offset);
    }
}
