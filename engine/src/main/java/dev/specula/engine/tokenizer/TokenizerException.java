package dev.specula.engine.tokenizer;

/** A tokenizer description (GGUF metadata or tokenizer.json) that cannot be used; the message names the source and field. */
public final class TokenizerException extends IllegalArgumentException {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
