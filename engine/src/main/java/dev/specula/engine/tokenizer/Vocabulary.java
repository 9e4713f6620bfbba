package dev.specula.engine.tokenizer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token texts, types, scores and special ids of a vocabulary, with llama.cpp's conventions: empty texts
 * become {@code [EMPTY_i]}, the text -> id lookup keeps the LAST id of duplicated texts, special ids outside
 * the vocabulary are dropped (-1), and well-known end-of-turn texts are marked as control + end-of-generation.
 */
final class Vocabulary {
    /** Texts llama.cpp treats as end-of-generation (and as control tokens) when present. */
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>",
            "<｜end▁of▁sentence｜>");

    final String source;
    final String[] texts;
    final TokenType[] types;
    final float[] scores;
    final Map<String, Integer> ids;
    final int bos, eos, unk, eot, eom, pad, sep;
    final boolean addBos, addEos;
    final BitSet endOfGeneration = new BitSet();
    final BitSet lstrip = new BitSet();
    final BitSet rstrip = new BitSet();
    /** Control / user-defined / unknown ids, longest text first (llama.cpp's cache_special_tokens). */
    final int[] specialsLongestFirst;

    /** Special ids by role; -1 when absent. */
    record SpecialIds(int bos, int eos, int unk, int eot, int eom, int pad, int sep) {}

    Vocabulary(String source, String[] rawTexts, TokenType[] types, float[] scores, SpecialIds sp, boolean addBos, boolean addEos) {
        this.source = source;
        int n = rawTexts.length;
        if (n == 0) throw new TokenizerException(source + ": the vocabulary is empty");
        if (types.length != n) throw new TokenizerException(source + ": " + types.length + " token types for " + n + " tokens");
        if (scores != null && scores.length != n) throw new TokenizerException(source + ": " + scores.length + " scores for " + n + " tokens");
        this.texts = new String[n];
        this.types = types.clone();
        this.scores = scores;
        this.ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String t = rawTexts[i];
            if (t == null || t.isEmpty()) t = "[EMPTY_" + i + "]";
            texts[i] = t;
            ids.put(t, i);
        }
        this.bos = checked(sp.bos, "bos");
        this.eos = checked(sp.eos, "eos");
        this.unk = checked(sp.unk, "unknown");
        this.pad = checked(sp.pad, "padding");
        this.sep = checked(sp.sep, "separator");
        this.eom = checked(sp.eom, "eom");
        int eotId = checked(sp.eot, "eot");
        for (int i = 0; i < n; i++) {
            if (EOG_TEXTS.contains(texts[i])) {
                if (eotId < 0 && !texts[i].equals("<|eom_id|>")) eotId = i;
                endOfGeneration.set(i);
                if (this.types[i] != TokenType.CONTROL) this.types[i] = TokenType.CONTROL;
            }
        }
        this.eot = eotId;
        if (eos >= 0) endOfGeneration.set(eos);
        if (eot >= 0) endOfGeneration.set(eot);
        if (eom >= 0) endOfGeneration.set(eom);
        this.addBos = addBos && bos >= 0;
        this.addEos = addEos && eos >= 0;
        List<Integer> specials = new ArrayList<>();
        for (int i = 0; i < n; i++) if (this.types[i].isSpecialForPartition()) specials.add(i);
        specials.sort((a, b) -> {
            int c = Integer.compare(texts[b].length(), texts[a].length());
            return c != 0 ? c : Integer.compare(a, b);
        });
        this.specialsLongestFirst = specials.stream().mapToInt(Integer::intValue).toArray();
    }

    private int checked(int id, String what) {
        if (id < 0) return -1;
        if (id >= texts.length) return -1; // llama.cpp: "bad special token ... using default id -1"
        return id;
    }

    int size() {
        return texts.length;
    }

    int idOf(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    void checkId(int id) {
        if (id < 0 || id >= texts.length) {
            throw new IndexOutOfBoundsException(source + ": token id " + id + " outside the vocabulary [0, " + texts.length + ")");
        }
    }
}
