/**
 * Tokenizers and chat templates that reproduce llama.cpp.
 *
 * <ul>
 *   <li>{@link dev.specula.engine.tokenizer.Tokenizer#fromGguf} reads {@code tokenizer.ggml.*}: {@code llama}
 *       (SentencePiece score-merging with dummy prefix and {@code <0xNN>} byte fallback), {@code gpt2} (byte-level
 *       BPE with the pre-tokenizer chosen by {@code tokenizer.ggml.pre}, see {@link dev.specula.engine.tokenizer.PreTokenizer}),
 *       {@code bert} (WordPiece).</li>
 *   <li>{@link dev.specula.engine.tokenizer.Tokenizer#fromHuggingFaceJson} imports a tokenizer.json (byte-level BPE,
 *       or SentencePiece-style BPE with U+2581).</li>
 *   <li>{@link dev.specula.engine.tokenizer.ChatTemplate} renders {@code tokenizer.chat_template} with Jinjava.</li>
 * </ul>
 *
 * Differences from llama.cpp, on purpose: {@code decode} never applies llama.cpp's clean-up of spaces before
 * punctuation (so that decode(encode(s)) == s), and control tokens render as their text unless
 * {@code decode(ids, false)} is used. Not supported: UGM (T5) and RWKV vocabularies.
 */
package dev.specula.engine.tokenizer;
