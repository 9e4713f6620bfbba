package dev.specula.bench;

import java.util.ArrayList;
import java.util.List;

/** Thread-count lists given with {@code -t 1,2,4}: validated, defaulting to 1..cores. */
public final class ThreadCounts {
    private ThreadCounts() {}

    public static List<Integer> orDefault(List<Integer> requested) {
        if (requested == null || requested.isEmpty()) {
            List<Integer> all = new ArrayList<>();
            for (int t = 1; t <= Runtime.getRuntime().availableProcessors(); t++) all.add(t);
            return all;
        }
        for (int t : requested) {
            if (t < 1 || t > 4096) throw new IllegalArgumentException("thread count must be between 1 and 4096, got " + t);
        }
        return List.copyOf(requested);
    }
}
