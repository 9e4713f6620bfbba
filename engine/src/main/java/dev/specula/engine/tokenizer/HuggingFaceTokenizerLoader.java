package dev.specula.engine.tokenizer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Imports a Hugging Face {@code tokenizer.json} with a BPE model: byte-level (GPT-2, Llama-3, Qwen2/3, ...) or
 * SentencePiece-style with the U+2581 space marker ({@link MetaspaceBpeTokenizer}). Byte-level files are read the way
 * llama.cpp's converter would turn it into GGUF: regular vocabulary entries are NORMAL tokens, added tokens are CONTROL
 * when {@code special} and USER_DEFINED otherwise, id gaps become UNUSED {@code [PADi]} tokens. The Split regexes of the
 * pre-tokenizer select the pre-tokenizer (llama.cpp's scanners for the GPT-2 and Llama-3 expressions). BOS/EOS come from a
 * {@code tokenizer_config.json} beside the file when there is one, else from the post-processor template.
 * A Unicode normalizer (Qwen's NFC) is not applied, like in llama.cpp.
 */
final class HuggingFaceTokenizerLoader {
    private HuggingFaceTokenizerLoader() {}

    /** tokenizer.json with model.vocab and model.merges kept as flat arrays (they hold 100k+ entries). */
    private record Document(Map<String, Object> top, Map<String, Object> model, List<String> vocabTexts, IntList vocabIds,
                            List<Object> merges) {}

    /** Streams the document; model.vocab and model.merges go into compact lists instead of generic maps. */
    private static Document readDocument(Path json) throws IOException {
        Map<String, Object> top = new java.util.LinkedHashMap<>();
        Map<String, Object> model = null;
        List<String> vocabTexts = new ArrayList<>();
        IntList vocabIds = new IntList(1 << 16);
        List<Object> merges = null;
        try (JsonParser p = JsonValues.parser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new TokenizerException(json + ": top level is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!name.equals("model") || t != JsonToken.START_OBJECT) {
                    top.put(name, JsonValues.value(p, t));
                    continue;
                }
                model = new java.util.LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    if (field.equals("vocab") && v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            vocabTexts.add(p.currentName());
                            if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                                throw new TokenizerException(json + ": model.vocab['" + p.currentName() + "'] is not an integer id");
                            }
                            long id = p.getLongValue();
                            if (id < 0 || id > 50_000_000) throw new TokenizerException(json + ": model.vocab has an invalid token id " + id);
                            vocabIds.add((int) id);
                        }
                        model.put("vocab", Boolean.TRUE);
                    } else if (field.equals("merges") && v == JsonToken.START_ARRAY) {
                        merges = new ArrayList<>(1 << 16);
                        JsonToken m;
                        while ((m = p.nextToken()) != JsonToken.END_ARRAY) {
                            if (m == JsonToken.VALUE_STRING) {
                                merges.add(p.getText());
                            } else if (m == JsonToken.START_ARRAY) {
                                String a = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                                String b = p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
                                if (a == null || b == null || p.nextToken() != JsonToken.END_ARRAY) {
                                    throw new TokenizerException(json + ": model.merges[" + merges.size() + "] is not a pair of strings");
                                }
                                merges.add(new String[] {a, b});
                            } else {
                                throw new TokenizerException(json + ": model.merges[" + merges.size() + "] is neither \"a b\" nor [a, b]");
                            }
                        }
                    } else {
                        model.put(field, JsonValues.value(p, v));
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenizerException(json + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (model == null) throw new TokenizerException(json + ": model is missing or not an object");
        if (!model.containsKey("vocab")) throw new TokenizerException(json + ": model.vocab is missing or not an object");
        if (merges == null) throw new TokenizerException(json + ": model.merges is missing or not a list");
        return new Document(top, model, vocabTexts, vocabIds, merges);
    }

    @SuppressWarnings("unchecked")
    static Tokenizer load(Path json) throws IOException {
        Document d = readDocument(json);
        Map<String, Object> doc = d.top();
        Map<String, Object> model = d.model();
        String type = String.valueOf(model.get("type"));
        if (!"BPE".equals(type)) {
            throw new TokenizerException(json + ": model.type is '" + type + "'; only BPE tokenizer.json files are supported");
        }
        List<Object> added = doc.get("added_tokens") instanceof List<?> l ? (List<Object>) l : List.of();

        int size = 0;
        for (int i = 0; i < d.vocabIds().size(); i++) size = Math.max(size, d.vocabIds().get(i) + 1);
        for (Object a : added) size = Math.max(size, idValue(((Map<String, Object>) a).get("id"), json, "added_tokens") + 1);
        String[] texts = new String[size];
        TokenType[] types = new TokenType[size];
        for (int i = 0; i < d.vocabIds().size(); i++) {
            int id = d.vocabIds().get(i);
            texts[id] = d.vocabTexts().get(i);
            types[id] = TokenType.NORMAL;
        }
        for (Object a : added) {
            Map<String, Object> t = (Map<String, Object>) a;
            int id = idValue(t.get("id"), json, "added_tokens");
            texts[id] = String.valueOf(t.get("content"));
            types[id] = Boolean.TRUE.equals(t.get("special")) ? TokenType.CONTROL : TokenType.USER_DEFINED;
        }
        for (int i = 0; i < size; i++) {
            if (texts[i] == null) {
                texts[i] = "[PAD" + i + "]";
                types[i] = TokenType.UNUSED;
            }
        }

        boolean metaspace = MetaspaceStyle.detect(doc.get("normalizer"), doc.get("pre_tokenizer"), json);
        if (metaspace) {
            for (int i = 0; i < size; i++) {
                if (types[i] == TokenType.NORMAL && texts[i].length() == 6 && texts[i].matches("<0x[0-9A-F]{2}>")) types[i] = TokenType.BYTE;
            }
        }
        List<String> regexes = metaspace ? List.of() : preTokenizerRegexes(doc.get("pre_tokenizer"), json);
        boolean llama3Style = regexes.size() == 1
                && (regexes.get(0).equals(Llama3Split.PATTERN_HF) || regexes.get(0).equals(Llama3Split.PATTERN_LLAMA_CPP));

        List<String[]> merges = merges(d.merges(), json);
        Map<String, Object> config = readConfig(json.resolveSibling("tokenizer_config.json"));
        Lookup lookup = new Lookup(texts);
        int bos = lookup.id(tokenName(config.get("bos_token")));
        int eos = lookup.id(tokenName(config.get("eos_token")));
        int pad = lookup.id(tokenName(config.get("pad_token")));
        int unk = lookup.id(tokenName(config.get("unk_token") != null ? config.get("unk_token") : model.get("unk_token")));
        String templateBos = templateLeadingSpecial(doc.get("post_processor"));
        if (bos < 0 && templateBos != null) bos = lookup.id(templateBos);
        if (eos < 0) eos = lookup.firstOf("<|endoftext|>", "<|end_of_text|>", "</s>");
        boolean addBos = config.get("add_bos_token") instanceof Boolean b ? b : (templateBos != null || (llama3Style && bos >= 0));
        boolean addEos = config.get("add_eos_token") instanceof Boolean b && b;

        Vocabulary vocab = new Vocabulary("tokenizer.json " + json.getFileName(), texts, types, null,
                new Vocabulary.SpecialIds(bos, eos, unk, -1, -1, pad, -1), addBos, addEos);
        boolean ignoreMerges = Boolean.TRUE.equals(model.get("ignore_merges"));
        if (metaspace) {
            return new MetaspaceBpeTokenizer(vocab, merges, Boolean.TRUE.equals(model.get("byte_fallback")),
                    !Boolean.FALSE.equals(model.get("fuse_unk")), ignoreMerges);
        }
        PreTokenizer pre = PreTokenizer.fromRegexes(regexes, "tokenizer.json pre_tokenizer");
        return new ByteLevelBpeTokenizer(vocab, merges, pre, ignoreMerges);
    }

    /** The Split regexes of the pre-tokenizer; a ByteLevel pre-tokenizer with use_regex contributes the GPT-2 regex. */
    @SuppressWarnings("unchecked")
    private static List<String> preTokenizerRegexes(Object node, Path json) {
        List<String> out = new ArrayList<>();
        boolean[] byteLevel = {false};
        collect(node, out, byteLevel, json);
        if (!byteLevel[0]) {
            throw new TokenizerException(json + ": pre_tokenizer has no ByteLevel step; only byte-level BPE tokenizer.json files are supported");
        }
        if (out.isEmpty()) throw new TokenizerException(json + ": pre_tokenizer defines no split regex");
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<String> out, boolean[] byteLevel, Path json) {
        if (!(node instanceof Map<?, ?> m)) return;
        String type = String.valueOf(m.get("type"));
        switch (type) {
            case "Sequence" -> {
                Object list = m.get("pretokenizers");
                if (list instanceof List<?> l) for (Object o : l) collect(o, out, byteLevel, json);
            }
            case "Split" -> {
                Object pattern = m.get("pattern");
                if (!(pattern instanceof Map<?, ?> p)) throw new TokenizerException(json + ": Split pre-tokenizer without pattern");
                if (p.get("Regex") instanceof String r) out.add(r);
                else if (p.get("String") instanceof String s) out.add(java.util.regex.Pattern.quote(s));
                else throw new TokenizerException(json + ": Split pattern is neither Regex nor String");
                Object behavior = m.get("behavior");
                if (behavior != null && !"Isolated".equals(behavior)) {
                    throw new TokenizerException(json + ": Split behavior '" + behavior + "' is not supported (only Isolated)");
                }
                if (Boolean.TRUE.equals(m.get("invert"))) throw new TokenizerException(json + ": inverted Split is not supported");
            }
            case "ByteLevel" -> {
                byteLevel[0] = true;
                if (!Boolean.FALSE.equals(m.get("use_regex"))) out.add(Gpt2Split.PATTERN);
                if (Boolean.TRUE.equals(m.get("add_prefix_space"))) {
                    throw new TokenizerException(json + ": ByteLevel add_prefix_space=true is not supported");
                }
            }
            case "Digits" -> out.add(Boolean.TRUE.equals(m.get("individual_digits")) ? "\\p{N}" : "\\p{N}+");
            default -> throw new TokenizerException(json + ": pre-tokenizer type '" + type + "' is not supported");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String[]> merges(Object node, Path json) {
        if (!(node instanceof List<?> list)) throw new TokenizerException(json + ": model.merges is missing or not a list");
        List<String[]> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object m = list.get(i);
            if (m instanceof String s) {
                int sp = s.indexOf(' ', 1);
                if (sp < 0) throw new TokenizerException(json + ": model.merges[" + i + "] = '" + s + "' has no space");
                out.add(new String[] {s.substring(0, sp), s.substring(sp + 1)});
            } else if (m instanceof String[] pair) {
                out.add(pair);
            } else {
                throw new TokenizerException(json + ": model.merges[" + i + "] is neither \"a b\" nor [a, b]");
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readConfig(Path config) throws IOException {
        if (!Files.isRegularFile(config)) return Map.of();
        Object o = JsonValues.read(config);
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A token given as "text" or {"content": "text", ...} in tokenizer_config.json. */
    private static String tokenName(Object o) {
        if (o instanceof String s) return s;
        if (o instanceof Map<?, ?> m && m.get("content") instanceof String s) return s;
        return null;
    }

    @SuppressWarnings("unchecked")
    private static String templateLeadingSpecial(Object node) {
        if (!(node instanceof Map<?, ?> m)) return null;
        if ("Sequence".equals(m.get("type")) && m.get("processors") instanceof List<?> l) {
            for (Object p : l) {
                String s = templateLeadingSpecial(p);
                if (s != null) return s;
            }
            return null;
        }
        if (!"TemplateProcessing".equals(m.get("type")) || !(m.get("single") instanceof List<?> single) || single.isEmpty()) return null;
        if (single.get(0) instanceof Map<?, ?> first && first.get("SpecialToken") instanceof Map<?, ?> st && st.get("id") instanceof String id) {
            return id;
        }
        return null;
    }

    private static int idValue(Object o, Path json, String field) {
        if (!(o instanceof Number n) || n.longValue() < 0 || n.longValue() > 50_000_000) {
            throw new TokenizerException(json + ": " + field + " has an invalid token id " + o);
        }
        return n.intValue();
    }

    /** Text -> id over the assembled vocabulary by a linear scan (only a handful of lookups; last duplicate wins). */
    private record Lookup(String[] texts) {
        int id(String text) {
            if (text == null) return -1;
            for (int i = texts.length - 1; i >= 0; i--) if (texts[i].equals(text)) return i;
            return -1;
        }

        int firstOf(String... candidates) {
            return Arrays.stream(candidates).mapToInt(this::id).filter(i -> i >= 0).findFirst().orElse(-1);
        }
    }
}
