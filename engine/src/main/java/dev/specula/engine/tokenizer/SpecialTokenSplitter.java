package dev.specula.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts special tokens out of raw text before pre-tokenization (llama.cpp {@code tokenizer_st_partition}):
 * special tokens are tried longest text first; each one splits every remaining text fragment at its
 * non-overlapping occurrences, left to right. Control and unknown tokens are only recognised when
 * {@code parseSpecial}; user-defined tokens always are. LSTRIP/RSTRIP tokens swallow adjacent ASCII whitespace.
 */
final class SpecialTokenSplitter {
    /** A piece of the input: either a token id ({@code token >= 0}) or the text range [start, end). */
    record Fragment(int token, int start, int end) {
        boolean isToken() {
            return token >= 0;
        }
    }

    private final Vocabulary vocab;

    SpecialTokenSplitter(Vocabulary vocab) {
        this.vocab = vocab;
    }

    List<Fragment> split(String text, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        if (text.isEmpty()) return frags;
        frags.add(new Fragment(-1, 0, text.length()));
        for (int id : vocab.specialsLongestFirst) {
            if (!parseSpecial && vocab.types[id].isControlOrUnknown()) continue;
            String tok = vocab.texts[id];
            if (!text.contains(tok)) continue;
            List<Fragment> next = new ArrayList<>(frags.size() + 4);
            for (Fragment f : frags) {
                if (f.isToken()) {
                    next.add(f);
                    continue;
                }
                int start = f.start();
                int end = f.end();
                while (true) {
                    int match = text.indexOf(tok, start);
                    if (match < 0 || match + tok.length() > end) break;
                    int leftEnd = match;
                    if (vocab.lstrip.get(id)) while (leftEnd > start && isAsciiSpace(text.charAt(leftEnd - 1))) leftEnd--;
                    if (leftEnd > start) next.add(new Fragment(-1, start, leftEnd));
                    next.add(new Fragment(id, 0, 0));
                    start = match + tok.length();
                    if (vocab.rstrip.get(id)) while (start < end && isAsciiSpace(text.charAt(start))) start++;
                }
                if (start < end) next.add(new Fragment(-1, start, end));
            }
            frags = next;
        }
        return frags;
    }

    /** C isspace in the "C" locale. */
    private static boolean isAsciiSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
