package dev.specula.engine.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SentencePiece-style tokenizer.json (TinyStories-656K: U+2581 normalizer, merge ranks, unknown token). */
class MetaspaceTokenizerTest {
    private static final String JSON = "models/tinystories-656K/tokenizer.json";

    @Test
    void greedyContinuationIsTheCanonicalTokenizationOfItsText() throws IOException {
        Tokenizer tok = TokenizerTestData.hfJson(JSON);
        Map<String, Object> golden = TokenizerTestData.json("models/tinystories-656K/golden-greedy-bos.json");
        int[] generated = TokenizerTestData.ints(golden.get("generated_ids"));
        String text = (String) golden.get("text");
        assertEquals(text, tok.decode(generated));
        // encoding prepends "▁" (a token of its own here, the merges attach "▁" to the end of words);
        // the rest is exactly what the model generated after BOS
        int[] encoded = tok.encode(text, false, false);
        assertEquals("\u2581", tok.tokenText(encoded[0]));
        assertArrayEquals(generated, Arrays.copyOfRange(encoded, 1, encoded.length));
        assertEquals(text, tok.decode(encoded));
    }

    @Test
    void bosComesFromTheConfigAndUnknownCharactersFuse() {
        Tokenizer tok = TokenizerTestData.hfJson(JSON);
        assertEquals(1, tok.bos());
        assertEquals(2, tok.eos());
        assertEquals(1, tok.encode("Hi", true, false)[0]);
        assertTrue(tok.isEndOfGeneration(2));
        int unk = 0;
        int[] ids = tok.encode("a\u4e2d\u6587b", false, false);
        assertEquals(1, Arrays.stream(ids).filter(i -> i == unk).count(), Arrays.toString(ids)); // two CJK chars -> one fused <unk>
    }

    @Test
    void asciiTextRoundTrips() {
        Tokenizer tok = TokenizerTestData.hfJson(JSON);
        SplittableRandom rnd = new SplittableRandom(11);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'\n";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(1, 40);
            for (int k = 0; k < len; k++) sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            String s = sb.toString();
            assertEquals(s, tok.decode(tok.encode(s, false, false)), TokenizerTestData.show(s));
        }
    }
}
