package dev.specula.engine.tokenizer;

import dev.specula.gguf.GgufMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Text <-> token ids, matching llama.cpp's {@code llama_tokenize} / {@code llama_token_to_piece} for the same vocabulary.
 * Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

    /** The tokenizer described by a GGUF file's {@code tokenizer.ggml.*} metadata (SPM "llama" or byte-level BPE "gpt2"). */
    static Tokenizer fromGguf(GgufMetadata md) {
        return GgufTokenizerLoader.load(md);
    }

    /** A Hugging Face {@code tokenizer.json} (BPE model; ByteLevel or Metaspace/SentencePiece style). */
    static Tokenizer fromHuggingFaceJson(Path tokenizerJson) {
        try {
            return HuggingFaceTokenizerLoader.load(tokenizerJson);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * Token ids of {@code text}.
     *
     * @param addSpecial   add BOS / EOS as the vocabulary asks ({@code add_bos_token} / {@code add_eos_token})
     * @param parseSpecial recognise control tokens such as {@code <|im_start|>} written in the text (user-defined
     *                     tokens are always recognised, like in llama.cpp)
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /**
     * The text of a sequence of ids: the concatenated {@link #tokenBytes} decoded as UTF-8 (invalid sequences
     * become U+FFFD). For SentencePiece vocabularies the dummy-prefix space that encoding adds is removed from
     * the first text token. No clean-up of spaces is done, so decode(encode(s)) == s.
     */
    String decode(int[] ids);

    /**
     * Like {@link #decode(int[])}; with {@code renderSpecialTokens = false} control and unknown tokens (BOS, EOS,
     * {@code <|im_start|>}, ...) contribute nothing, like llama.cpp's {@code token_to_piece(..., special=false)}.
     */
    String decode(int[] ids, boolean renderSpecialTokens);

    /** The raw bytes a token contributes to the output (llama.cpp {@code token_to_piece} with special = true). */
    byte[] tokenBytes(int id);

    /** The vocabulary string of a token (as stored, e.g. "Ġthe" or "▁the"). */
    String tokenText(int id);

    TokenType tokenType(int id);

    int vocabSize();

    /** Beginning-of-sequence id, or -1. */
    int bos();

    /** End-of-sequence id, or -1. */
    int eos();

    /** End-of-turn id ({@code <|eot_id|>}, {@code <|im_end|>}, ...), or -1. */
    int eot();

    /** Padding id, or -1. */
    int pad();

    /** Unknown-token id, or -1. */
    int unk();

    /** Whether {@code encode(.., addSpecial=true, ..)} prepends BOS. */
    boolean addsBos();

    /** Whether {@code encode(.., addSpecial=true, ..)} appends EOS. */
    boolean addsEos();

    /** The id whose vocabulary string is exactly {@code text}, or -1. */
    int tokenId(String text);

    /** True for ids that end generation (EOS, EOT, EOM and llama.cpp's well-known end-of-turn tokens). */
    boolean isEndOfGeneration(int id);

    /** All end-of-generation ids, ascending. */
    java.util.List<Integer> endOfGenerationIds();

    /** A decoder for a stream of generated ids that only ever returns complete UTF-8 characters. */
    default StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this);
    }
}
