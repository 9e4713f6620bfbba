package dev.specula.engine.tokenizer;

import dev.specula.gguf.GgufMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds a {@link Tokenizer} from GGUF {@code tokenizer.ggml.*} metadata with llama.cpp's defaults. */
final class GgufTokenizerLoader {
    private static final String P = "tokenizer.ggml.";

    private GgufTokenizerLoader() {}

    static Tokenizer load(GgufMetadata md) {
        String model = str(md, P + "model", null);
        if (model == null) throw new TokenizerException("GGUF metadata has no " + P + "model (no tokenizer in this file)");
        String[] tokens = md.contains(P + "tokens") ? md.getStringArray(P + "tokens") : null;
        if (tokens == null || tokens.length == 0) throw new TokenizerException("GGUF metadata has no " + P + "tokens array");
        int n = tokens.length;
        TokenType[] types = new TokenType[n];
        if (md.contains(P + "token_type")) {
            int[] codes = md.getIntArray(P + "token_type");
            if (codes.length != n) {
                throw new TokenizerException(P + "token_type has " + codes.length + " entries but " + P + "tokens has " + n);
            }
            for (int i = 0; i < n; i++) types[i] = TokenType.fromGgufCode(codes[i]);
        } else {
            java.util.Arrays.fill(types, TokenType.NORMAL);
        }
        float[] scores = null;
        if (md.contains(P + "scores")) {
            scores = md.getFloatArray(P + "scores");
            if (scores.length != n) throw new TokenizerException(P + "scores has " + scores.length + " entries but " + P + "tokens has " + n);
        }
        String source = "GGUF tokenizer (" + P + "model=" + model + ")";
        return switch (model) {
            case "llama" -> {
                Vocabulary v = new Vocabulary(source, tokens, types, scores,
                        specials(md, 1, 2, 0), bool(md, "add_bos_token", true), bool(md, "add_eos_token", false));
                applyNameHacks(md, v);
                yield new SentencePieceTokenizer(v, bool(md, "add_space_prefix", true));
            }
            case "gpt2" -> {
                String pre = str(md, P + "pre", "default");
                PreTokenizer preTok = PreTokenizer.forLlamaCppName(pre);
                String[] mergeLines = md.contains(P + "merges") ? md.getStringArray(P + "merges") : null;
                if (mergeLines == null) throw new TokenizerException("GGUF metadata has no " + P + "merges (required for model gpt2)");
                List<String[]> merges = new ArrayList<>(mergeLines.length);
                for (String line : mergeLines) {
                    // llama.cpp: first space at index >= 1 separates the two parts; a line without one gives ("", "")
                    int sp = line.indexOf(' ', 1);
                    merges.add(sp < 0 ? new String[] {"", ""} : new String[] {line.substring(0, sp), line.substring(sp + 1)});
                }
                boolean addBosDefault = PreTokenizer.ignoresMerges(pre) || "tekken".equals(pre);
                Vocabulary v = new Vocabulary(source + " pre=" + pre, tokens, types, scores,
                        specials(md, 11, 11, -1), bool(md, "add_bos_token", addBosDefault), bool(md, "add_eos_token", false));
                applyNameHacks(md, v);
                yield new ByteLevelBpeTokenizer(v, merges, preTok, PreTokenizer.ignoresMerges(pre));
            }
            case "bert" -> {
                // llama.cpp WPM defaults: [CLS]=101 as BOS, [SEP]=102 closes the sequence, [UNK]=100
                int cls = id(md, "cls_token_id", id(md, "bos_token_id", 101));
                int sepId = id(md, "seperator_token_id", 102);
                Vocabulary v = new Vocabulary(source, tokens, types, scores,
                        new Vocabulary.SpecialIds(cls, sepId, id(md, "unknown_token_id", 100), -1, -1,
                                id(md, "padding_token_id", 0), sepId),
                        bool(md, "add_bos_token", true), bool(md, "add_eos_token", true));
                yield new WordPieceTokenizer(v);
            }
            default -> throw new TokenizerException("unsupported " + P + "model '" + model
                    + "'; supported: llama (SentencePiece BPE), gpt2 (byte-level BPE), bert (WordPiece)");
        };
    }

    private static Vocabulary.SpecialIds specials(GgufMetadata md, int bosDefault, int eosDefault, int unkDefault) {
        return new Vocabulary.SpecialIds(id(md, "bos_token_id", bosDefault), id(md, "eos_token_id", eosDefault),
                id(md, "unknown_token_id", unkDefault), id(md, "eot_token_id", -1), id(md, "eom_token_id", -1),
                id(md, "padding_token_id", -1), id(md, "seperator_token_id", -1));
    }

    /** llama.cpp sets per-token strip flags for some models by name (phi-3: special tokens swallow following spaces). */
    private static void applyNameHacks(GgufMetadata md, Vocabulary v) {
        String name = str(md, "general.name", "").toLowerCase(Locale.ROOT);
        if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id : v.specialsLongestFirst) v.rstrip.set(id);
            int eosText = v.idOf("</s>");
            if (eosText >= 0) v.rstrip.set(eosText);
            for (String t : new String[] {"<unk>", "<s>", "<|endoftext|>"}) {
                int id = v.idOf(t);
                if (id >= 0) v.rstrip.clear(id);
            }
        }
    }

    private static int id(GgufMetadata md, String key, int def) {
        String k = P + key;
        if (!md.contains(k)) return def;
        long v = md.getLong(k);
        return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static boolean bool(GgufMetadata md, String key, boolean def) {
        return md.getBoolean(P + key, def);
    }

    private static String str(GgufMetadata md, String key, String def) {
        return md.getString(key, def);
    }
}
