package dev.specula.engine.tokenizer;

import static dev.specula.engine.tokenizer.CodepointFlags.LETTER;
import static dev.specula.engine.tokenizer.CodepointFlags.NUMBER;
import static dev.specula.engine.tokenizer.CodepointFlags.WHITESPACE;

/**
 * Hand-written scanner for the GPT-2 pre-tokenizer regex
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)}, step for step what
 * llama.cpp's {@code unicode_regex_split_custom_gpt2} does (including its treatment of {@code \s+(?!\S)}:
 * a whitespace run followed by a non-space keeps its last whitespace for the next word).
 */
final class Gpt2Split implements SplitStage {
    static final String PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";

    @Override
    public void refine(String text, String wsFolded, IntList ends, IntList out) {
        SplitStage.scanEachSegment(text, ends, out, Gpt2Split::scan);
    }

    private static void scan(String t, int start, int end, IntList out) {
        int pos = start;
        int prevEnd = start;
        while (pos < end) {
            int cpt = t.codePointAt(pos);
            int flags = CodepointFlags.of(cpt);
            if (cpt == '\'' && pos + 1 < end) {
                char n1 = t.charAt(pos + 1);
                if (n1 == 's' || n1 == 't' || n1 == 'm' || n1 == 'd') {
                    pos += 2;
                    out.add(pos);
                    prevEnd = pos;
                    continue;
                }
                if (pos + 2 < end) {
                    char n2 = t.charAt(pos + 2);
                    if ((n1 == 'r' && n2 == 'e') || (n1 == 'v' && n2 == 'e') || (n1 == 'l' && n2 == 'l')) {
                        pos += 3;
                        out.add(pos);
                        prevEnd = pos;
                        continue;
                    }
                }
            }
            int flags2 = cpt == ' ' ? CodepointFlags.at(t, pos + 1, end) : flags;
            int klass = (flags2 & LETTER) != 0 ? LETTER : (flags2 & NUMBER) != 0 ? NUMBER : 0;
            if (klass != 0) {
                if (cpt == ' ') pos++;
                while ((CodepointFlags.at(t, pos, end) & klass) != 0) pos += Character.charCount(t.codePointAt(pos));
                out.add(pos);
                prevEnd = pos;
                continue;
            }
            if ((flags2 & (WHITESPACE | LETTER | NUMBER)) == 0 && flags2 != 0) {
                if (cpt == ' ') pos++;
                int f;
                while ((f = CodepointFlags.at(t, pos, end)) != 0 && (f & (WHITESPACE | LETTER | NUMBER)) == 0) {
                    pos += Character.charCount(t.codePointAt(pos));
                }
                out.add(pos);
                prevEnd = pos;
                continue;
            }
            int numWhitespaces = 0;
            while ((CodepointFlags.at(t, pos + numWhitespaces, end) & WHITESPACE) != 0) numWhitespaces++; // all BMP
            if (numWhitespaces > 1 && pos + numWhitespaces < end) {
                pos += numWhitespaces - 1;
                out.add(pos);
                prevEnd = pos;
                continue;
            }
            if (numWhitespaces > 0) {
                pos += numWhitespaces;
                out.add(pos);
                prevEnd = pos;
                continue;
            }
            pos += Character.charCount(cpt);
            out.add(pos);
            prevEnd = pos;
        }
        if (prevEnd < end) out.add(end);
    }
}
