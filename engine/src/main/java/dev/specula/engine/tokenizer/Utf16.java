package dev.specula.engine.tokenizer;

/** UTF-16 helpers. */
final class Utf16 {
    private Utf16() {}

    /** Replaces unpaired surrogates (which have no UTF-8 form) by U+FFFD; returns the same string when there are none. */
    static String replaceUnpairedSurrogates(String s) {
        int n = s.length();
        int i = 0;
        for (; i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) break;
        }
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n);
        sb.append(s, 0, i);
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(i + 1));
                i += 2;
            } else {
                sb.append(Character.isSurrogate(c) ? '\uFFFD' : c);
                i++;
            }
        }
        return sb.toString();
    }
}
