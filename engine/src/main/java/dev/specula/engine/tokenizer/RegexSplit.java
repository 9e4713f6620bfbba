package dev.specula.engine.tokenizer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pre-tokenizer pass driven by a regular expression, with the semantics of llama.cpp's std::regex fallback
 * ({@code unicode_regex_split_stl}): the expression runs on each segment separately (look-arounds and {@code $}
 * cannot see past the segment), on text whose non-ASCII whitespace has been folded to U+000B; matches and the
 * gaps between them become segments.
 */
final class RegexSplit implements SplitStage {
    private final Pattern pattern;
    private final String source;

    RegexSplit(String regex) {
        this.source = regex;
        try {
            this.pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException("pre-tokenizer regex cannot be compiled: " + regex + " (" + e.getDescription() + ")", e);
        }
    }

    String source() {
        return source;
    }

    @Override
    public void refine(String text, String wsFolded, IntList ends, IntList out) {
        Matcher m = pattern.matcher(wsFolded);
        int start = 0;
        for (int s = 0; s < ends.size(); s++) {
            int end = ends.get(s);
            m.region(start, end);
            int prev = start;
            while (m.find()) {
                if (m.end() == m.start()) continue;
                if (m.start() > prev) out.add(m.start());
                out.add(m.end());
                prev = m.end();
            }
            if (prev < end) out.add(end);
            start = end;
        }
    }
}
