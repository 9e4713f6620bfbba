package dev.specula.engine.tokenizer;

/**
 * One pre-tokenizer pass in llama.cpp's {@code unicode_regex_split} sense: every segment of the input
 * (given by its exclusive end offsets) is cut further; the matched pieces and the unmatched gaps between
 * them both become segments. Offsets are UTF-16 char indices into the text.
 */
interface SplitStage {
    /**
     * @param text      the text being split (original code points)
     * @param wsFolded  the same text with every non-ASCII White_Space char replaced by U+000B, as llama.cpp
     *                  feeds its std::regex fallback (same length as {@code text})
     * @param ends      exclusive end offsets of the current segments, ascending, the last = text length
     * @param out       receives the refined end offsets
     */
    void refine(String text, String wsFolded, IntList ends, IntList out);

    /** A hand-written scanner that appends the end offsets of the pieces of {@code text[start, end)}. */
    @FunctionalInterface
    interface SegmentScanner {
        void scan(String text, int start, int end, IntList out);
    }

    /** Runs {@code scanner} over every current segment in order (the refine step of the scanner stages). */
    static void scanEachSegment(String text, IntList ends, IntList out, SegmentScanner scanner) {
        int start = 0;
        for (int s = 0; s < ends.size(); s++) {
            int end = ends.get(s);
            scanner.scan(text, start, end, out);
            start = end;
        }
    }
}
