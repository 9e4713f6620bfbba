package dev.specula.engine.tokenizer;

import java.util.Arrays;

/**
 * GPT-2's reversible byte -> printable code point mapping ({@code bytes_to_unicode}): the bytes
 * {@code '!'..'~'}, {@code '¡'..'¬'}, {@code '®'..'ÿ'} map to themselves, the remaining 68 bytes to
 * U+0100, U+0101, ... in increasing byte order. Byte-level BPE vocabularies are written in this alphabet.
 */
final class ByteLevelMapping {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final short[] CHAR_TO_BYTE = new short[512];

    static {
        Arrays.fill(CHAR_TO_BYTE, (short) -1);
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + extra++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = (short) b;
        }
    }

    private ByteLevelMapping() {}

    static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte a mapped char stands for, or -1 when the char is not part of the mapping. */
    static int byteOf(int ch) {
        return ch >= 0 && ch < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[ch] : -1;
    }

    /** Maps UTF-8 bytes to the byte-level alphabet. */
    static String encode(byte[] utf8) {
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        return new String(out);
    }
}
