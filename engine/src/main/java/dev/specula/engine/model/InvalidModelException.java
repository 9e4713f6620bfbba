package dev.specula.engine.model;

import java.io.IOException;

/** A GGUF file is not a usable model: missing metadata or tensor, wrong tensor shape, bad hyper-parameter. */
public class InvalidModelException extends IOException {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
