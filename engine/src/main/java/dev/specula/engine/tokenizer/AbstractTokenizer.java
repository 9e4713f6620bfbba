package dev.specula.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What SentencePiece and byte-level BPE tokenizers share: special-token splitting, BOS/EOS handling
 * (llama.cpp {@code tokenize_impl}), per-token output bytes and decoding.
 */
abstract sealed class AbstractTokenizer implements Tokenizer permits ByteLevelBpeTokenizer, SentencePieceTokenizer, WordPieceTokenizer, MetaspaceBpeTokenizer {
    final Vocabulary vocab;
    private final SpecialTokenSplitter splitter;
    /** Output bytes per token, computed on first use (loading a 150k vocabulary stays fast). */
    private final AtomicReferenceArray<byte[]> pieces;

    AbstractTokenizer(Vocabulary vocab) {
        this.vocab = vocab;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.pieces = new AtomicReferenceArray<>(vocab.size());
    }

    private byte[] piece(int id) {
        byte[] p = pieces.get(id);
        if (p == null) {
            p = computePiece(id);
            pieces.set(id, p);
        }
        return p;
    }

    /** The bytes token {@code id} renders as (special tokens render their text). */
    abstract byte[] computePiece(int id);

    /**
     * Encodes one run of plain text (no special tokens inside).
     *
     * @param afterSpecial true when the run starts the input or follows a special token
     */
    abstract void encodeText(String text, boolean afterSpecial, IntList out);

    @Override
    public final int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        if (text == null) throw new NullPointerException("text");
        String clean = Utf16.replaceUnpairedSurrogates(text);
        IntList out = new IntList(Math.max(16, clean.length() / 3));
        if (addSpecial && vocab.addBos) out.add(vocab.bos);
        boolean afterSpecial = true;
        for (SpecialTokenSplitter.Fragment f : splitter.split(clean, parseSpecial)) {
            if (f.isToken()) {
                out.add(f.token());
                afterSpecial = true;
            } else {
                encodeText(clean.substring(f.start(), f.end()), afterSpecial, out);
                afterSpecial = false;
            }
        }
        if (addSpecial && vocab.addEos) out.add(vocab.eos);
        return out.toArray();
    }

    @Override
    public String decode(int[] ids) {
        return decode(ids, true);
    }

    @Override
    public String decode(int[] ids, boolean renderSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        boolean first = true;
        for (int id : ids) {
            vocab.checkId(id);
            if (!renderSpecialTokens && vocab.types[id].isControlOrUnknown()) continue;
            byte[] p = piece(id);
            if (first && stripsLeadingSpace() && !(id == vocab.bos && vocab.types[id] == TokenType.CONTROL)) {
                first = false;
                if (p.length > 0 && p[0] == ' ') {
                    bytes.write(p, 1, p.length - 1);
                    continue;
                }
            }
            bytes.write(p, 0, p.length);
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    /** True when decoding should drop the dummy-prefix space of the first text token. */
    boolean stripsLeadingSpace() {
        return false;
    }

    @Override
    public byte[] tokenBytes(int id) {
        vocab.checkId(id);
        return piece(id).clone();
    }

    /** The internal piece (not copied) for hot paths inside the package. */
    byte[] pieceUnsafe(int id) {
        return piece(id);
    }

    @Override
    public String tokenText(int id) {
        vocab.checkId(id);
        return vocab.texts[id];
    }

    @Override
    public TokenType tokenType(int id) {
        vocab.checkId(id);
        return vocab.types[id];
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int bos() {
        return vocab.bos;
    }

    @Override
    public int eos() {
        return vocab.eos;
    }

    /** End-of-turn id, or -1. */
    @Override
    public int eot() {
        return vocab.eot;
    }

    /** Unknown-token id, or -1. */
    @Override
    public int unk() {
        return vocab.unk;
    }

    /** Padding id, or -1. */
    @Override
    public int pad() {
        return vocab.pad;
    }

    /** Whether {@code encode(.., addSpecial=true, ..)} prepends BOS / appends EOS. */
    @Override
    public boolean addsBos() {
        return vocab.addBos;
    }

    @Override
    public boolean addsEos() {
        return vocab.addEos;
    }

    /** The id of a token text, or -1. */
    @Override
    public int tokenId(String text) {
        return vocab.idOf(text);
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && vocab.endOfGeneration.get(id);
    }

    /** Ids of all end-of-generation tokens. */
    @Override
    public List<Integer> endOfGenerationIds() {
        return vocab.endOfGeneration.stream().boxed().toList();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
