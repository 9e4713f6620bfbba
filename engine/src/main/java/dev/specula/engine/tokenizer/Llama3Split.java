package dev.specula.engine.tokenizer;

import static dev.specula.engine.tokenizer.CodepointFlags.LETTER;
import static dev.specula.engine.tokenizer.CodepointFlags.NUMBER;
import static dev.specula.engine.tokenizer.CodepointFlags.WHITESPACE;

/**
 * Hand-written scanner for the Llama-3 pre-tokenizer regex
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+},
 * following llama.cpp's {@code unicode_regex_split_custom_llama3} step for step.
 */
final class Llama3Split implements SplitStage {
    static final String PATTERN_HF =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String PATTERN_LLAMA_CPP =
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @Override
    public void refine(String text, String wsFolded, IntList ends, IntList out) {
        SplitStage.scanEachSegment(text, ends, out, Llama3Split::scan);
    }

    private static int cptAt(String t, int pos, int end) {
        return pos < end ? t.codePointAt(pos) : -1;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static void scan(String t, int start, int end, IntList out) {
        int pos = start;
        int prevEnd = start;
        while (pos < end) {
            int cpt = t.codePointAt(pos);
            int flags = CodepointFlags.of(cpt);
            if (cpt == '\'' && pos + 1 < end) {
                char n1 = lower(t.charAt(pos + 1));
                if (n1 == 's' || n1 == 't' || n1 == 'm' || n1 == 'd') {
                    pos += 2;
                    out.add(pos);
                    prevEnd = pos;
                    continue;
                }
                if (pos + 2 < end) {
                    char n2 = lower(t.charAt(pos + 2));
                    if ((n1 == 'r' && n2 == 'e') || (n1 == 'v' && n2 == 'e') || (n1 == 'l' && n2 == 'l')) {
                        pos += 3;
                        out.add(pos);
                        prevEnd = pos;
                        continue;
                    }
                }
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cpt == '\r' || cpt == '\n' || (flags & NUMBER) != 0)) {
                int next = pos + Character.charCount(cpt);
                if ((flags & LETTER) != 0 || (CodepointFlags.at(t, next, end) & LETTER) != 0) {
                    pos = next;
                    while ((CodepointFlags.at(t, pos, end) & LETTER) != 0) pos += Character.charCount(t.codePointAt(pos));
                    out.add(pos);
                    prevEnd = pos;
                    continue;
                }
            }
            // \p{N}{1,3}
            if ((flags & NUMBER) != 0) {
                int count = 0;
                while ((CodepointFlags.at(t, pos, end) & NUMBER) != 0) {
                    pos += Character.charCount(t.codePointAt(pos));
                    if (++count >= 3) {
                        out.add(pos);
                        prevEnd = pos;
                        count = 0;
                    }
                }
                if (pos > prevEnd) {
                    out.add(pos);
                    prevEnd = pos;
                }
                continue;
            }
            // <space>?[^\s\p{L}\p{N}]+[\r\n]*
            int flags2 = cpt == ' ' ? CodepointFlags.at(t, pos + 1, end) : flags;
            if ((flags2 & (WHITESPACE | LETTER | NUMBER)) == 0 && flags != 0) {
                if (cpt == ' ') pos++;
                int f;
                while ((f = CodepointFlags.at(t, pos, end)) != 0 && (f & (WHITESPACE | LETTER | NUMBER)) == 0) {
                    pos += Character.charCount(t.codePointAt(pos));
                }
                int c2 = cptAt(t, pos, end);
                while (c2 == '\r' || c2 == '\n') c2 = cptAt(t, ++pos, end);
                if (pos > prevEnd) {
                    out.add(pos);
                    prevEnd = pos;
                }
                continue;
            }
            int numWhitespaces = 0;
            int lastEndRorN = 0;
            while ((CodepointFlags.at(t, pos + numWhitespaces, end) & WHITESPACE) != 0) {
                char c2 = t.charAt(pos + numWhitespaces);
                if (c2 == '\r' || c2 == '\n') lastEndRorN = pos + numWhitespaces + 1;
                numWhitespaces++;
            }
            if (lastEndRorN > 0) { // \s*[\r\n]+
                pos = lastEndRorN;
                out.add(pos);
                prevEnd = pos;
                continue;
            }
            if (numWhitespaces > 1 && pos + numWhitespaces < end) { // \s+(?!\S)
                pos += numWhitespaces - 1;
                out.add(pos);
                prevEnd = pos;
                continue;
            }
            if (numWhitespaces > 0) { // \s+
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
