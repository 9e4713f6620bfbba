package dev.specula.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE driven by token scores (llama.cpp {@code llm_tokenizer_spm}, {@code tokenizer.ggml.model = llama}):
 * spaces become U+2581 "▁", a dummy-prefix space is added at the start and after special tokens, then adjacent
 * symbols are merged greedily by the score of the merged token (highest first, ties leftmost) as long as the
 * merged text is a token; symbols that are not tokens fall back to {@code <0xNN>} byte tokens.
 */
public final class SentencePieceTokenizer extends AbstractTokenizer {
    private static final char SPACE_MARK = '\u2581';
    private final boolean addSpacePrefix;
    private final int[] byteTokens = new int[256];

    SentencePieceTokenizer(Vocabulary vocab, boolean addSpacePrefix) {
        super(vocab);
        if (vocab.scores == null) throw new TokenizerException(vocab.source + ": a SentencePiece vocabulary needs token scores");
        this.addSpacePrefix = addSpacePrefix;
        for (int b = 0; b < 256; b++) {
            int id = vocab.idOf(String.format("<0x%02X>", b));
            if (id < 0 && b < 128) id = vocab.idOf(String.valueOf((char) b));
            byteTokens[b] = id >= 0 ? id : vocab.unk;
        }
    }

    @Override
    boolean stripsLeadingSpace() {
        return addSpacePrefix;
    }

    private record Bigram(float score, int left, int right, int size) {}

    @Override
    void encodeText(String fragment, boolean afterSpecial, IntList out) {
        String text = ((addSpacePrefix && afterSpecial) ? " " + fragment : fragment).replace(' ', SPACE_MARK);
        int n = text.codePointCount(0, text.length());
        if (n == 0) return;
        int[] start = new int[n];
        int[] len = new int[n]; // in chars; 0 = merged away
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, pos = 0; i < n; i++) {
            int cc = Character.charCount(text.codePointAt(pos));
            start[i] = pos;
            len[i] = cc;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            pos += cc;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>((a, b) -> {
            int c = Float.compare(b.score, a.score);
            return c != 0 ? c : Integer.compare(a.left, b.left);
        });
        for (int i = 1; i < n; i++) tryAddBigram(text, start, len, i - 1, i, queue);
        while (!queue.isEmpty()) {
            Bigram bg = queue.poll();
            if (len[bg.left] == 0 || len[bg.right] == 0 || len[bg.left] + len[bg.right] != bg.size) continue;
            len[bg.left] += len[bg.right];
            len[bg.right] = 0;
            next[bg.left] = next[bg.right];
            if (next[bg.right] >= 0) prev[next[bg.right]] = bg.left;
            tryAddBigram(text, start, len, prev[bg.left], bg.left, queue);
            tryAddBigram(text, start, len, bg.left, next[bg.left], queue);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            String piece = text.substring(start[i], start[i] + len[i]);
            int id = vocab.idOf(piece);
            if (id >= 0) {
                out.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    int t = byteTokens[b & 0xFF];
                    if (t < 0) {
                        throw new TokenizerException(vocab.source + ": no byte-fallback token <0x" + String.format("%02X", b & 0xFF)
                                + "> and no unknown token for the piece '" + piece + "'");
                    }
                    out.add(t);
                }
            }
        }
    }

    private void tryAddBigram(String text, int[] start, int[] len, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) return;
        int size = len[left] + len[right];
        int id = vocab.idOf(text.substring(start[left], start[left] + size));
        if (id < 0) return;
        queue.add(new Bigram(vocab.scores[id], left, right, size));
    }

    @Override
    byte[] computePiece(int id) {
        String text = vocab.texts[id];
        return switch (vocab.types[id]) {
            case CONTROL, UNKNOWN, USER_DEFINED -> utf8(text);
            case NORMAL -> utf8(text.replace(SPACE_MARK, ' '));
            case BYTE -> new byte[] {(byte) byteValue(text, id)};
            default -> new byte[0];
        };
    }

    private int byteValue(String text, int id) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            try {
                return Integer.parseInt(text.substring(3, 5), 16);
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        if (text.length() == 1 && text.charAt(0) < 256) return text.charAt(0);
        throw new TokenizerException(vocab.source + ": byte token " + id + " has text '" + text + "', expected <0xNN>");
    }

    @Override
    public String toString() {
        return "SentencePieceTokenizer[" + vocab.source + ", " + vocab.size() + " tokens"
                + (addSpacePrefix ? ", dummy prefix" : "") + "]";
    }
}
