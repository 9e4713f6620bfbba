package dev.specula.bench.synthetic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A valid GPT-2-style byte-level BPE vocabulary of any size: the 256 byte symbols (GPT-2's
 * bytes-to-unicode mapping), then tokens made by merging an existing token with a byte symbol (each with
 * its merge rule, so every token is reachable), then two control tokens (BOS, EOS) at the end. The
 * strings are synthetic but the tokenizer is complete: any text encodes and decodes losslessly.
 */
public final class SyntheticVocab {
    /** 256 byte symbols + BOS + EOS. */
    public static final int MIN_VOCAB = 258;
    /** GGUF token types (llama.cpp llama_token_type). */
    public static final int TYPE_NORMAL = 1, TYPE_CONTROL = 3;

    private final List<String> tokens;
    private final int[] tokenTypes;
    private final List<String> merges;

    private SyntheticVocab(List<String> tokens, int[] tokenTypes, List<String> merges) {
        this.tokens = tokens;
        this.tokenTypes = tokenTypes;
        this.merges = merges;
    }

    /** Builds a vocabulary of exactly {@code size} tokens; BOS = size - 2, EOS = size - 1. */
    public static SyntheticVocab of(int size) {
        if (size < MIN_VOCAB) throw new IllegalArgumentException("vocabulary size " + size + " below the minimum " + MIN_VOCAB);
        String[] byteSymbols = byteToUnicode();
        List<String> tokens = new ArrayList<>(size);
        List<String> merges = new ArrayList<>(size);
        Set<String> seen = new HashSet<>(size * 2);
        for (String s : byteSymbols) {
            tokens.add(s);
            seen.add(s);
        }
        int normal = size - 2;
        // breadth first: every token of length L merged with every byte symbol gives the tokens of length L + 1
        int levelStart = 0, levelEnd = tokens.size();
        outer:
        while (tokens.size() < normal) {
            for (int left = levelStart; left < levelEnd; left++) {
                for (String right : byteSymbols) {
                    if (tokens.size() >= normal) break outer;
                    String merged = tokens.get(left) + right;
                    if (seen.add(merged)) {
                        tokens.add(merged);
                        merges.add(tokens.get(left) + " " + right);
                    }
                }
            }
            levelStart = levelEnd;
            levelEnd = tokens.size();
        }
        tokens.add("<|begin_of_text|>");
        tokens.add("<|end_of_text|>");
        int[] types = new int[size];
        java.util.Arrays.fill(types, TYPE_NORMAL);
        types[size - 2] = TYPE_CONTROL;
        types[size - 1] = TYPE_CONTROL;
        return new SyntheticVocab(List.copyOf(tokens), types, List.copyOf(merges));
    }

    public List<String> tokens() {
        return tokens;
    }

    public int[] tokenTypes() {
        return tokenTypes.clone();
    }

    public List<String> merges() {
        return merges;
    }

    public int bos() {
        return tokens.size() - 2;
    }

    public int eos() {
        return tokens.size() - 1;
    }

    /**
     * GPT-2's reversible byte to printable-character mapping: printable Latin-1 bytes map to themselves,
     * the other 68 bytes to U+0100 upwards in byte order (so the space byte becomes 'Ġ').
     */
    static String[] byteToUnicode() {
        String[] map = new String[256];
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? String.valueOf((char) b) : String.valueOf((char) (256 + next++));
        }
        return map;
    }
}
