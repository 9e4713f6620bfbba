package dev.specula.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hugging Face BPE in SentencePiece style (tokenizer.json with U+2581 for spaces, e.g. TinyStories, older HF Llama
 * exports): each text run (between special tokens) gets a leading U+2581 and its spaces replaced by U+2581, then
 * characters are merged by merge rank (lowest first, ties leftmost) as in the {@code tokenizers} library. A character
 * missing from the vocabulary becomes its {@code <0xNN>} byte tokens when byte fallback is on, else the unknown
 * token (consecutive unknowns fused into one when {@code fuse_unk}). Decoding drops the leading space.
 */
public final class MetaspaceBpeTokenizer extends AbstractTokenizer {
    private final BpeMerger merger;
    private final boolean byteFallback;
    private final boolean fuseUnknown;
    private final boolean ignoreMerges;
    private final int[] byteTokens = new int[256];
    private final BpeMerger.WordCache cache = new BpeMerger.WordCache();

    MetaspaceBpeTokenizer(Vocabulary vocab, List<String[]> merges, boolean byteFallback, boolean fuseUnknown, boolean ignoreMerges) {
        super(vocab);
        this.merger = new BpeMerger(vocab.ids, vocab.size(), merges);
        this.byteFallback = byteFallback;
        this.fuseUnknown = fuseUnknown;
        this.ignoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++) byteTokens[b] = vocab.idOf(String.format("<0x%02X>", b));
    }

    @Override
    boolean stripsLeadingSpace() {
        return true;
    }

    @Override
    void encodeText(String fragment, boolean afterSpecial, IntList out) {
        if (fragment.isEmpty()) return;
        String text = MetaspaceStyle.MARK + fragment.replace(" ", MetaspaceStyle.MARK);
        int[] cached = text.length() <= 256 ? cache.get(text) : null;
        if (cached == null) {
            cached = encodeWord(text);
            if (text.length() <= 256) cache.put(text, cached);
        }
        out.addAll(cached);
    }

    private int[] encodeWord(String text) {
        if (ignoreMerges) {
            int whole = vocab.idOf(text);
            if (whole >= 0) return new int[] {whole};
        }
        IntList symbols = new IntList(text.length());
        int pendingUnknown = 0; // characters of a pending (fused) unknown
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            String ch = text.substring(i, i + Character.charCount(cp));
            i += ch.length();
            int id = vocab.idOf(ch);
            if (id >= 0) {
                if (pendingUnknown > 0) {
                    symbols.add(vocab.unk);
                    pendingUnknown = 0;
                }
                symbols.add(id);
                continue;
            }
            if (byteFallback && addBytes(ch, symbols)) continue;
            if (vocab.unk < 0) {
                throw new TokenizerException(vocab.source + ": character U+" + Integer.toHexString(cp).toUpperCase()
                        + " is not in the vocabulary and there is neither byte fallback nor an unknown token");
            }
            if (pendingUnknown > 0 && !fuseUnknown) symbols.add(vocab.unk);
            pendingUnknown++;
        }
        if (pendingUnknown > 0) symbols.add(vocab.unk);
        int[] merged = merger.merge(symbols.toArray());
        IntList out = new IntList(merged.length);
        merger.finish(merged, out);
        return out.toArray();
    }

    private boolean addBytes(String ch, IntList symbols) {
        byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) if (byteTokens[b & 0xFF] < 0) return false;
        for (byte b : bytes) symbols.add(byteTokens[b & 0xFF]);
        return true;
    }

    @Override
    byte[] computePiece(int id) {
        String text = vocab.texts[id];
        return switch (vocab.types[id]) {
            case CONTROL, UNKNOWN, USER_DEFINED -> utf8(text);
            case BYTE -> new byte[] {(byte) Integer.parseInt(text.substring(3, 5), 16)};
            case NORMAL -> utf8(text.replace('\u2581', ' '));
            default -> new byte[0];
        };
    }

    @Override
    public String toString() {
        return "MetaspaceBpeTokenizer[" + vocab.source + ", " + vocab.size() + " tokens, " + merger.mergeCount() + " merges"
                + (byteFallback ? ", byte fallback" : "") + "]";
    }
}
