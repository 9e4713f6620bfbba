package dev.specula.engine.tokenizer;

/** Token types as stored in GGUF {@code tokenizer.ggml.token_type} (llama.cpp {@code llama_token_type}). */
public enum TokenType {
    UNDEFINED, NORMAL, UNKNOWN, CONTROL, USER_DEFINED, UNUSED, BYTE;

    /** GGUF code 0..6; anything else is UNDEFINED, as in llama.cpp. */
    public static TokenType fromGgufCode(int code) {
        return switch (code) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }

    /** Control and unknown tokens are only matched in input text when special-token parsing is on. */
    boolean isControlOrUnknown() {
        return this == CONTROL || this == UNKNOWN;
    }

    /** Tokens that llama.cpp keeps in its special-token cache (split out of the input before pre-tokenization). */
    boolean isSpecialForPartition() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }
}
