package dev.specula.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.GgufArray;
import dev.specula.gguf.GgufMetadata;
import dev.specula.gguf.GgufValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Special tokens, BOS/EOS, streaming decode and error reporting. */
class TokenizerBehaviourTest {

    @Test
    void controlTokensAreOnlyParsedWhenAsked() {
        Tokenizer qwen = TokenizerTestData.hfJson("models/qwen3-tokenizer/tokenizer.json");
        int imStart = 151644;
        int imEnd = 151645;
        int[] parsed = qwen.encode("<|im_start|>user\nhi<|im_end|>", false, true);
        assertEquals(imStart, parsed[0]);
        assertEquals(imEnd, parsed[parsed.length - 1]);
        int[] plain = qwen.encode("<|im_start|>user\nhi<|im_end|>", false, false);
        for (int id : plain) assertTrue(id < 151643, "control token " + id + " produced without parseSpecial");
        assertEquals("<|im_start|>user\nhi<|im_end|>", qwen.decode(plain));
        assertEquals(qwen.decode(parsed), qwen.decode(plain));
        assertTrue(qwen.isEndOfGeneration(imEnd));
        assertTrue(qwen.isEndOfGeneration(151643)); // <|endoftext|>
        assertFalse(qwen.isEndOfGeneration(imStart));
    }

    @Test
    void bosAndEosFollowTheVocabularyFlags() {
        Tokenizer pycode = TokenizerTestData.gguf("models/pycode/pycode-7m-q8_0.gguf");
        assertEquals(0, pycode.bos());
        assertEquals(0, pycode.eos());
        assertEquals(16384, pycode.vocabSize());
        assertArrayEquals(new int[] {0}, pycode.encode("", true, false));
        assertArrayEquals(new int[0], pycode.encode("", false, false));
        assertEquals("<|endoftext|>", pycode.tokenText(0));
        int[] withBos = pycode.encode("x = 1", true, false);
        assertEquals("<|endoftext|>x = 1", pycode.decode(withBos));
        assertEquals("x = 1", pycode.decode(withBos, false));
        assertEquals(TokenType.CONTROL, pycode.tokenType(0));
        Tokenizer llama3 = TokenizerTestData.hfJson("models/llama3-tokenizer/tokenizer.json");
        assertEquals(128000, llama3.encode("Hi", true, false)[0]); // llama-bpe adds <|begin_of_text|>
        Tokenizer qwen = TokenizerTestData.hfJson("models/qwen3-tokenizer/tokenizer.json");
        assertEquals(1, qwen.encode("Hi", true, false).length); // add_bos_token=false
    }

    @Test
    void streamingDecoderNeverSplitsAUtf8Character() {
        Tokenizer spm = TokenizerTestData.gguf("models/tinystories-260K/stories260K-f32.gguf");
        String text = "a😀b é中";
        int[] ids = spm.encode(text, false, false); // the tiny vocab spells emoji/CJK with <0xNN> byte tokens
        StreamingDecoder dec = spm.streamingDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String piece = dec.push(id);
            for (int i = 0; i < piece.length(); i++) assertFalse(piece.charAt(i) == '\uFFFD', "replacement char emitted");
            sb.append(piece);
        }
        sb.append(dec.flush());
        assertEquals(" " + text, sb.toString()); // streamed pieces keep the dummy-prefix space
        assertEquals(text, spm.decode(ids));
        StreamingDecoder cut = spm.streamingDecoder();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        int first = ((AbstractTokenizer) spm).tokenId(String.format("<0x%02X>", euro[0] & 0xFF));
        assertEquals("", cut.push(first));
        assertEquals("\uFFFD", cut.flush()); // an incomplete character at the end becomes U+FFFD
    }

    @Test
    void wordPieceLowercasesStripsAccentsAndWrapsInClsSep() {
        Tokenizer bert = TokenizerTestData.gguf("models/llama.cpp-vocab/ggml-vocab-bert-bge.gguf");
        int[] ids = bert.encode("Héllo, WORLD!", true, false);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[ids.length - 1]);
        assertEquals("[CLS] hello , world ![SEP]", bert.decode(ids)); // raw pieces: no clean-up of spaces before punctuation
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) { // WordPiece is lossy (case, accents), so only "never throws, ids in range"
            for (int id : bert.encode(RoundTripTest.randomText(rnd), false, false)) {
                assertTrue(id >= 0 && id < bert.vocabSize());
            }
        }
    }

    @Test
    void unknownPreTokenizerIsAClearError() {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromGguf(bpeMetadata("no-such-pre")));
        assertTrue(e.getMessage().contains("no-such-pre") && e.getMessage().contains("llama-bpe") && e.getMessage().contains("qwen2"),
                e.getMessage());
    }

    @Test
    void unsupportedModelAndBrokenArraysAreClearErrors() {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, GgufValueType> t = new LinkedHashMap<>();
        v.put("tokenizer.ggml.model", "t5");
        t.put("tokenizer.ggml.model", GgufValueType.STRING);
        v.put("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, new String[] {"a"}));
        t.put("tokenizer.ggml.tokens", GgufValueType.ARRAY);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.fromGguf(new GgufMetadata("test", v, t)));
        assertTrue(e.getMessage().contains("t5") && e.getMessage().contains("gpt2"), e.getMessage());

        GgufMetadata md = bpeMetadata("gpt-2");
        Map<String, Object> values = new LinkedHashMap<>(md.asMap());
        values.put("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, new int[] {1}));
        Map<String, GgufValueType> types = new LinkedHashMap<>();
        for (String k : values.keySet()) types.put(k, values.get(k) instanceof String ? GgufValueType.STRING : GgufValueType.ARRAY);
        TokenizerException e2 = assertThrows(TokenizerException.class, () -> Tokenizer.fromGguf(new GgufMetadata("test", values, types)));
        assertTrue(e2.getMessage().contains("token_type"), e2.getMessage());

        assertThrows(TokenizerException.class, () -> Tokenizer.fromGguf(new GgufMetadata("empty", Map.of(), Map.of())));
        Tokenizer ok = Tokenizer.fromGguf(bpeMetadata("gpt-2"));
        assertThrows(IndexOutOfBoundsException.class, () -> ok.tokenBytes(ok.vocabSize()));
    }

    /** A tiny byte-level BPE vocabulary: the 256 byte symbols plus "ab" from one merge. */
    private static GgufMetadata bpeMetadata(String pre) {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(String.valueOf(ByteLevelMapping.charOf(b)));
        tokens.add("ab");
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, GgufValueType> t = new LinkedHashMap<>();
        v.put("tokenizer.ggml.model", "gpt2");
        v.put("tokenizer.ggml.pre", pre);
        v.put("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens.toArray(String[]::new)));
        v.put("tokenizer.ggml.merges", new GgufArray(GgufValueType.STRING, new String[] {"a b"}));
        for (String k : v.keySet()) t.put(k, v.get(k) instanceof String ? GgufValueType.STRING : GgufValueType.ARRAY);
        return new GgufMetadata("synthetic", v, t);
    }
}
