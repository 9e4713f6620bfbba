package dev.specula.cli;

import java.util.List;

/**
 * Holds back streamed text that might be the start of a stop string (e.g. {@code <|im_end|>} of a
 * ChatML conversation the model writes as plain text), so a stop string is never shown. Feed pieces
 * with {@link #push}; it returns what is safe to show. Once a stop string appeared, {@link #stopped()}
 * is true and the rest is dropped.
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    StopStrings(List<String> stops) {
        for (String s : stops) if (s.isEmpty()) throw new IllegalArgumentException("empty stop string");
        this.stops = List.copyOf(stops);
    }

    /** Adds {@code piece}; returns the text that can be shown now. */
    String push(String piece) {
        if (stopped) return "";
        pending.append(piece);
        int cut = -1;
        for (String s : stops) {
            int i = pending.indexOf(s);
            if (i >= 0 && (cut < 0 || i < cut)) cut = i;
        }
        if (cut >= 0) {
            stopped = true;
            String shown = pending.substring(0, cut);
            pending.setLength(0);
            return shown;
        }
        int keep = longestSuffixThatStartsAStop();
        String shown = pending.substring(0, pending.length() - keep);
        pending.delete(0, pending.length() - keep);
        return shown;
    }

    /** Everything still held back (call at the end when no stop string came). */
    String flush() {
        String rest = stopped ? "" : pending.toString();
        pending.setLength(0);
        return rest;
    }

    boolean stopped() {
        return stopped;
    }

    private int longestSuffixThatStartsAStop() {
        int best = 0;
        String text = pending.toString();
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, text.length()); k > best; k--) {
                if (text.regionMatches(text.length() - k, s, 0, k)) {
                    best = k;
                    break;
                }
            }
        }
        return best;
    }
}
