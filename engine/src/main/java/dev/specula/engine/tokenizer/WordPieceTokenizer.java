package dev.specula.engine.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT WordPiece (llama.cpp {@code llm_tokenizer_wpm}, {@code tokenizer.ggml.model = bert}). Text is lower-cased,
 * each code point is replaced by the first code point of its NFD decomposition (which drops accents), control
 * characters are removed, and it is split at whitespace and around punctuation, ASCII symbols and CJK ideographs.
 * Each word, prefixed with U+2581, is cut greedily into the longest vocabulary pieces; a word that cannot be cut
 * completely becomes the unknown token. (In GGUF, word-initial pieces carry the U+2581 prefix and continuation
 * pieces have no "##".)
 */
public final class WordPieceTokenizer extends AbstractTokenizer {
    private static final String SPACE_MARK = "\u2581";
    private final int maxTokenChars;

    WordPieceTokenizer(Vocabulary vocab) {
        super(vocab);
        int max = 1;
        for (String t : vocab.texts) max = Math.max(max, t.length());
        this.maxTokenChars = max;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        for (String word : words(text)) {
            String w = SPACE_MARK + word;
            int n = w.length();
            int before = out.size();
            IntList pieces = new IntList(8);
            boolean complete = true;
            for (int i = 0; i < n; ) {
                int matchEnd = -1;
                for (int j = Math.min(n, i + maxTokenChars); j > i; j--) {
                    if (j < n && Character.isLowSurrogate(w.charAt(j)) && Character.isHighSurrogate(w.charAt(j - 1))) {
                        continue; // never cut inside a surrogate pair
                    }
                    int id = vocab.idOf(w.substring(i, j));
                    if (id >= 0) {
                        pieces.add(id);
                        matchEnd = j;
                        break;
                    }
                }
                if (matchEnd < 0) {
                    complete = false;
                    break;
                }
                i = matchEnd;
            }
            if (complete) {
                for (int k = 0; k < pieces.size(); k++) out.add(pieces.get(k));
            }
            if (out.size() == before) out.add(vocab.unk);
        }
    }

    /** llama.cpp's WPM {@code preprocess}. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int raw = text.codePointAt(i);
            i += Character.charCount(raw);
            int cpt = firstOfNfd(raw);
            if (CodepointFlags.isWhitespace(cpt)) {
                if (!cur.isEmpty()) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
                continue;
            }
            int type = Character.getType(cpt);
            boolean control = type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                    || type == Character.SURROGATE;
            if (cpt == 0 || cpt == 0xFFFD || control) continue;
            int lower = Character.toLowerCase(cpt);
            if (isPunctuation(type) || (cpt < 0x7F && isSymbol(type)) || isChineseChar(cpt)) {
                if (!cur.isEmpty()) {
                    words.add(cur.toString());
                    cur.setLength(0);
                }
                words.add(new String(Character.toChars(lower)));
            } else {
                cur.appendCodePoint(lower);
            }
        }
        if (!cur.isEmpty()) words.add(cur.toString());
        return words;
    }

    private static int firstOfNfd(int cp) {
        if (cp < 0xC0) return cp;
        String s = new String(Character.toChars(cp));
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        return d.codePointAt(0);
    }

    private static boolean isPunctuation(int type) {
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION || type == Character.OTHER_PUNCTUATION;
    }

    private static boolean isSymbol(int type) {
        return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL || type == Character.MODIFIER_SYMBOL
                || type == Character.OTHER_SYMBOL;
    }

    private static boolean isChineseChar(int c) {
        return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
                || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
                || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    }

    @Override
    byte[] computePiece(int id) {
        String text = vocab.texts[id];
        return switch (vocab.types[id]) {
            case CONTROL, UNKNOWN, USER_DEFINED -> utf8(text);
            case NORMAL -> utf8(text.replace('\u2581', ' '));
            default -> new byte[0];
        };
    }

    @Override
    public String toString() {
        return "WordPieceTokenizer[" + vocab.source + ", " + vocab.size() + " tokens]";
    }
}
