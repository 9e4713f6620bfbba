package dev.specula.decoding;

/**
 * A language model as the decoding strategies see it: a vocabulary and independent sequences (KV caches)
 * that score batches of rows. {@link LlamaDecodingModel} adapts the engine's {@code LlamaModel}; tests may
 * supply small synthetic models whose distributions can be enumerated exactly.
 */
public interface DecodingModel {
    /** A short name for messages and stats. */
    String name();

    /** Number of logits per row. */
    int vocabSize();

    /** The model's trained context length. */
    int contextLength();

    /** A fresh, empty sequence holding up to {@code contextLength} cache rows. */
    DecodingSequence newSequence(int contextLength);

    /** True when {@code id} ends a generation (EOS / end-of-turn). */
    boolean isEndOfGeneration(int id);

    /** The vocabulary string of a token, or null when the model has no tokenizer (synthetic models). */
    String tokenText(int id);

    /** Beginning-of-sequence id, or -1. */
    int bos();

    /** End-of-sequence id, or -1. */
    int eos();

    /** Tokenizes plain text without special tokens (used for corpus seeding); throws when there is no tokenizer. */
    int[] encodeText(String text);
}
