package dev.specula.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * decode(encode(s)) == s for 10,000 seeded random Unicode strings per vocabulary (ASCII, whitespace runs, Latin,
 * combining marks, CJK, Hangul, emoji incl. ZWJ sequences, random BMP and supplementary code points, unpaired
 * surrogates, which are compared as U+FFFD). No exception may occur. SentencePiece vocabularies round-trip too:
 * decode drops the dummy-prefix space that encode adds.
 */
class RoundTripTest {
    static final int STRINGS = 10_000;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "models/pycode/pycode-7m-q8_0.gguf",
        "models/tinystories-260K/stories260K-f32.gguf",
        "models/gguf-fixtures/llama-2-tiny-random.gguf",
        "models/llama.cpp-vocab/ggml-vocab-llama-spm.gguf",
        "models/llama.cpp-vocab/ggml-vocab-phi-3.gguf",
        "models/llama.cpp-vocab/ggml-vocab-baichuan.gguf",
        "models/llama.cpp-vocab/ggml-vocab-gpt-2.gguf",
        "models/llama.cpp-vocab/ggml-vocab-gpt-neox.gguf",
        "models/llama.cpp-vocab/ggml-vocab-falcon.gguf",
        "models/llama.cpp-vocab/ggml-vocab-mpt.gguf",
        "models/llama.cpp-vocab/ggml-vocab-refact.gguf",
        "models/llama.cpp-vocab/ggml-vocab-starcoder.gguf",
        "models/llama.cpp-vocab/ggml-vocab-deepseek-coder.gguf",
        "models/llama.cpp-vocab/ggml-vocab-deepseek-llm.gguf",
        "models/llama3-tokenizer/tokenizer.json",
        "models/qwen3-tokenizer/tokenizer.json",
    })
    void decodeInvertsEncode(String vocab) {
        Tokenizer tok = vocab.endsWith(".json") ? TokenizerTestData.hfJson(vocab) : TokenizerTestData.gguf(vocab);
        SplittableRandom rnd = new SplittableRandom(vocab.hashCode());
        boolean[] representable = representableBytes(tok);
        List<String> failures = new ArrayList<>();
        int tested = 0;
        for (int i = 0; i < STRINGS; i++) {
            String s = randomText(rnd);
            if (!allBytesRepresentable(s, representable)) {
                tok.encode(s, false, false); // still must not throw
                continue;
            }
            tested++;
            String expected = Utf16.replaceUnpairedSurrogates(s);
            String back = tok.decode(tok.encode(s, false, false));
            if (!expected.equals(back) && failures.size() < 5) {
                failures.add(TokenizerTestData.show(expected) + " -> " + TokenizerTestData.show(back));
            }
        }
        assertEquals(List.of(), failures, vocab);
        assertTrue(tested >= 1_000, vocab + ": only " + tested + " strings were representable");
    }

    /**
     * Bytes the vocabulary can express at all. Some byte-level vocabularies (falcon, starcoder, refact) lack the
     * single-byte tokens of rare UTF-8 lead bytes (0xF2..0xF4 etc.); llama.cpp drops such bytes too, so strings
     * containing them cannot round-trip and are only checked for not throwing.
     */
    static boolean[] representableBytes(Tokenizer tok) {
        boolean[] ok = new boolean[256];
        java.util.Arrays.fill(ok, true);
        if (tok instanceof ByteLevelBpeTokenizer bpe) {
            for (int b = 0; b < 256; b++) ok[b] = bpe.tokenId(String.valueOf(ByteLevelMapping.charOf(b))) >= 0;
        }
        return ok;
    }

    static boolean allBytesRepresentable(String s, boolean[] ok) {
        for (byte b : Utf16.replaceUnpairedSurrogates(s).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (!ok[b & 0xFF]) return false;
        }
        return true;
    }

    static String randomText(SplittableRandom rnd) {
        int len = rnd.nextInt(0, 24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            switch (rnd.nextInt(12)) {
                case 0, 1, 2 -> sb.append((char) rnd.nextInt(0x20, 0x7F));
                case 3 -> sb.append(" \t\n\r  \u00a0\u3000\u2028".charAt(rnd.nextInt(9)));
                case 4 -> sb.append((char) rnd.nextInt(0xA0, 0x250));
                case 5 -> sb.append((char) rnd.nextInt(0x300, 0x370)); // combining marks
                case 6 -> sb.append((char) rnd.nextInt(0x4E00, 0xA000)); // CJK
                case 7 -> sb.append((char) rnd.nextInt(0xAC00, 0xD7A4)); // Hangul
                case 8 -> sb.appendCodePoint(rnd.nextInt(0x1F300, 0x1FAFF)).append(rnd.nextBoolean() ? "\u200D" : "");
                case 9 -> sb.appendCodePoint(rnd.nextInt(0x10000, 0x10FFFF));
                case 10 -> sb.append((char) rnd.nextInt(0x0, 0xFFFF)); // any BMP char, incl. lone surrogates
                default -> sb.append(rnd.nextBoolean() ? "'s " : "1234567");
            }
        }
        return sb.toString();
    }
}
