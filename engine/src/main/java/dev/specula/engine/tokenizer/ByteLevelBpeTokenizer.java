package dev.specula.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Byte-level BPE (GPT-2 style, llama.cpp vocab type BPE / {@code tokenizer.ggml.model = gpt2}): pre-tokenize into
 * words, map each word's UTF-8 bytes to the byte-level alphabet, merge by rank. Results per word are cached.
 */
public final class ByteLevelBpeTokenizer extends AbstractTokenizer {
    private final PreTokenizer preTokenizer;
    private final BpeMerger merger;
    private final boolean ignoreMerges;
    private final int[] byteSymbol = new int[256];
    private final BpeMerger.WordCache cache = new BpeMerger.WordCache();

    ByteLevelBpeTokenizer(Vocabulary vocab, List<String[]> merges, PreTokenizer preTokenizer, boolean ignoreMerges) {
        super(vocab);
        this.preTokenizer = preTokenizer;
        this.ignoreMerges = ignoreMerges;
        this.merger = new BpeMerger(vocab.ids, vocab.size(), merges);
        for (int b = 0; b < 256; b++) byteSymbol[b] = merger.intern(String.valueOf(ByteLevelMapping.charOf(b)));
    }

    public PreTokenizer preTokenizer() {
        return preTokenizer;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        int[] ends = preTokenizer.split(text);
        int start = 0;
        for (int end : ends) {
            String word = text.substring(start, end);
            start = end;
            int[] ids = cache.get(word);
            if (ids == null) {
                ids = encodeWord(word);
                cache.put(word, ids);
            }
            out.addAll(ids);
        }
    }

    private int[] encodeWord(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        if (ignoreMerges) {
            int whole = merger.tokenId(ByteLevelMapping.encode(utf8));
            if (whole >= 0) return new int[] {whole};
        }
        int[] symbols = new int[utf8.length];
        for (int i = 0; i < utf8.length; i++) symbols[i] = byteSymbol[utf8[i] & 0xFF];
        int[] merged = merger.merge(symbols);
        IntList out = new IntList(merged.length);
        merger.finish(merged, out);
        return out.toArray();
    }

    @Override
    byte[] computePiece(int id) {
        String text = vocab.texts[id];
        return switch (vocab.types[id]) {
            case CONTROL, UNKNOWN, USER_DEFINED -> utf8(text);
            case UNUSED -> new byte[0];
            default -> decodeByteLevel(text);
        };
    }

    /** Inverse of the byte-level mapping; characters outside the mapping are kept as their UTF-8 bytes. */
    static byte[] decodeByteLevel(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int b = ByteLevelMapping.byteOf(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(raw, 0, raw.length);
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "ByteLevelBpeTokenizer[" + vocab.source + ", " + vocab.size() + " tokens, " + merger.mergeCount() + " merges, "
                + preTokenizer + (ignoreMerges ? ", ignore_merges" : "") + "]";
    }
}
