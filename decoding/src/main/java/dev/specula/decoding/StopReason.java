package dev.specula.decoding;

/** Why a generation ended. */
public enum StopReason {
    /** maxNewTokens tokens were produced. */
    MAX_TOKENS,
    /** The model produced an end-of-generation token (not included in the output ids). */
    END_OF_GENERATION,
    /** The token listener returned false. */
    LISTENER,
    /** The sequence reached the context length. */
    CONTEXT_FULL
}
