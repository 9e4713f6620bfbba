package dev.specula.engine.tokenizer;

/**
 * The code point classes llama.cpp's pre-tokenizers look at ({@code unicode_cpt_flags}): letter = Unicode general
 * category L*, number = N*, whitespace = the Unicode White_Space property. Every valid code point has a non-zero
 * flag word ({@link #DEFINED}); positions outside the current segment have flags 0.
 */
final class CodepointFlags {
    static final int LETTER = 1;
    static final int NUMBER = 2;
    static final int WHITESPACE = 4;
    static final int DEFINED = 8;

    private static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) ASCII[c] = (byte) compute(c);
    }

    private CodepointFlags() {}

    static int of(int cp) {
        return cp < 128 ? ASCII[cp] : compute(cp);
    }

    /** Flags of the code point at {@code pos}, or 0 at or past {@code end} (the scanners' lookahead). */
    static int at(String text, int pos, int end) {
        return pos < end ? of(text.codePointAt(pos)) : 0;
    }

    /** Unicode White_Space (what llama.cpp's unicode_set_whitespace holds). */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    private static int compute(int cp) {
        int flags = DEFINED;
        if (isWhitespace(cp)) flags |= WHITESPACE;
        switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> flags |= LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> flags |= NUMBER;
            default -> { }
        }
        return flags;
    }
}
