package dev.specula.decoding;

/**
 * Prompt lookup drafting (apoorvumang's prompt-lookup-decoding, doc §6.1): take the last n tokens
 * (n = maxNgram down to 1) as a key, find its earliest earlier occurrence in the text so far that has a full
 * continuation (else the occurrence with the longest one), and draft the tokens that followed it.
 */
final class PromptLookup {
    private PromptLookup() {}

    /**
     * Writes up to {@code maxDraft} draft tokens into {@code out[0..)} and returns how many; 0 when no suffix
     * of length 1..maxNgram occurs earlier in {@code tokens[0..count)}.
     */
    static int draft(int[] tokens, int count, int maxNgram, int maxDraft, int[] out) {
        return draft(tokens, count, maxNgram, 1, maxDraft, out);
    }

    /** As {@link #draft(int[], int, int, int, int[])} with suffix lengths maxNgram down to minNgram only. */
    static int draft(int[] tokens, int count, int maxNgram, int minNgram, int maxDraft, int[] out) {
        if (maxDraft <= 0) return 0;
        for (int n = Math.min(maxNgram, count - 1); n >= minNgram; n--) {
            int keyStart = count - n;
            int bestStart = -1;
            int bestLength = 0;
            // occurrence at i: tokens[i..i+n) == key, continuation tokens[i+n..count), i < keyStart
            for (int i = 0; i < keyStart; i++) {
                if (!matches(tokens, i, keyStart, n)) continue;
                int length = Math.min(maxDraft, count - (i + n));
                if (length > bestLength) {
                    bestLength = length;
                    bestStart = i + n;
                    if (length == maxDraft) break; // earliest full continuation
                }
            }
            if (bestLength > 0) {
                System.arraycopy(tokens, bestStart, out, 0, bestLength);
                return bestLength;
            }
        }
        return 0;
    }

    private static boolean matches(int[] tokens, int a, int b, int n) {
        for (int k = 0; k < n; k++) if (tokens[a + k] != tokens[b + k]) return false;
        return true;
    }

    /**
     * Finds the earlier position whose preceding tokens share the longest suffix with {@code tokens[0..count)}
     * (llama.cpp-style: every n-gram size from {@code maxLength} down to 1 at once). Ties go to the occurrence
     * with the longer available continuation, then to the most recent one. Returns
     * {@code (matchLength << 32) | continuationStart}, or -1 when the last token never occurred before.
     */
    static long longestMatch(int[] tokens, int count, int maxLength, int wantedContinuation) {
        if (count < 2) return -1;
        int last = tokens[count - 1];
        int bestLength = 0, bestStart = -1, bestContinuation = 0;
        for (int j = count - 2; j >= 0; j--) { // j: the occurrence's counterpart of tokens[count - 1]
            if (tokens[j] != last) continue;
            int length = 1;
            while (length < maxLength && j - length >= 0 && tokens[j - length] == tokens[count - 1 - length]) length++;
            int continuation = Math.min(wantedContinuation, count - 1 - j);
            if (length > bestLength || (length == bestLength && continuation > bestContinuation)) {
                bestLength = length;
                bestStart = j + 1;
                bestContinuation = continuation;
            }
        }
        return bestLength == 0 ? -1 : ((long) bestLength << 32) | bestStart;
    }
}
