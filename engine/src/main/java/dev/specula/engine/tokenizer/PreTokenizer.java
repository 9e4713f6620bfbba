package dev.specula.engine.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits raw text into the words that byte-level BPE merges independently, exactly as llama.cpp does for a
 * given {@code tokenizer.ggml.pre}: a sequence of {@link SplitStage}s, each refining the segments of the previous
 * one. Regexes for which llama.cpp has a hand-written scanner (GPT-2, Llama-3) use the same scanner here;
 * the others run as {@link java.util.regex} patterns with llama.cpp's whitespace folding.
 */
public final class PreTokenizer {
    private static final String P_DEFAULT_PUNCT = "[\\p{P}\\$\\+<=>\\^~\\|]+";
    private static final String P_FALCON_PUNCT = "[\\p{P}\\$\\+<=>\\^~\\|`]+";
    private static final String P_QWEN2 =
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String P_QWEN2_HF =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String CJK = "[\u4e00-\u9fa5\u0800-\u4e00\uac00-\ud7ff]+";
    private static final String DEEPSEEK_LLM_LETTERS = "\\s?[A-Za-z\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01ba\u01bc-\u01bf"
            + "\u01c4-\u0293\u0295-\u02af\u0370-\u0373\u0376\u0377\u037b-\u037d\u037f\u0386\u0388-\u038a\u038c\u038e-\u03a1"
            + "\u03a3-\u03f5\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u10a0-\u10c5\u13a0-\u13f5\u13f8-\u13fd\u1c90-\u1cba"
            + "\u1cbd-\u1cbf\u1d00-\u1d2b\u1d6b-\u1d77\u1d79-\u1d9a\u1e00-\u1f15\u1f18-\u1f1d\u1f20-\u1f45\u1f48-\u1f4d"
            + "\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4\u1fb6-\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc"
            + "\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec\u1ff2-\u1ff4\u1ff6-\u1ffc\u2102\u2107\u210a-\u2113\u2115\u2119-\u211d"
            + "\u2124\u2126\u2128\u212a-\u212d\u212f-\u2134\u2139\u213c-\u213f\u2145-\u2149\u214e\u2183\u2184\u2c00-\u2c7b"
            + "\u2c7e-\u2ce4\u2ceb-\u2cee\u2cf2\u2cf3\ua640-\ua66d\ua680-\ua69b\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e"
            + "\uab70-\uabbf\ufb00-\ufb06\ufb13-\ufb17\uff21-\uff3a\uff41-\uff5a\\x{10400}-\\x{1044f}\\x{104b0}-\\x{104d3}"
            + "\\x{104d8}-\\x{104fb}\\x{10c80}-\\x{10cb2}\\x{10cc0}-\\x{10cf2}\\x{118a0}-\\x{118df}\\x{1e900}-\\x{1e943}]+";

    /** {@code tokenizer.ggml.pre} value -> llama.cpp's list of regexes for it. */
    private static final Map<String, List<String>> BY_NAME = new TreeMap<>();
    /** Pre-tokenizer names whose llama.cpp vocab ignores merges for words that are whole tokens. */
    private static final List<String> IGNORE_MERGES = List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1",
            "pixtral", "midm-2.0", "lfm2");

    static {
        List<String> def = List.of(P_DEFAULT_PUNCT, Gpt2Split.PATTERN, "\\p{N}+", "[0-9][0-9][0-9]");
        List<String> gpt2 = List.of(Gpt2Split.PATTERN);
        List<String> llama3 = List.of(Llama3Split.PATTERN_LLAMA_CPP);
        List<String> qwen2 = List.of(P_QWEN2);
        List<String> starcoder = List.of("\\p{N}", Gpt2Split.PATTERN);
        BY_NAME.put("default", def);
        for (String n : List.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
                "dbrx", "smaug-bpe", "chatglm-bpe", "glm4")) BY_NAME.put(n, llama3);
        for (String n : List.of("gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de",
                "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais", "trillion", "gpt-neox")) BY_NAME.put(n, gpt2);
        for (String n : List.of("qwen2", "qwen2.5", "deepseek-r1-qwen", "stablelm2", "hunyuan", "megrez")) BY_NAME.put(n, qwen2);
        for (String n : List.of("starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b")) {
            BY_NAME.put(n, starcoder);
        }
        BY_NAME.put("falcon", List.of(P_FALCON_PUNCT, Gpt2Split.PATTERN, "[0-9][0-9][0-9]"));
        BY_NAME.put("deepseek-llm", List.of("[\\r\\n]", DEEPSEEK_LLM_LETTERS,
                "\\s?[!-/:-~\uff01-\uff0f\uff1a-\uff5e\u2018-\u201f\u3000-\u3002]+", "\\s+\\z", CJK, "\\p{N}+"));
        BY_NAME.put("deepseek-coder", List.of("[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", CJK, "\\p{N}"));
    }

    private final List<SplitStage> stages;
    private final boolean needsFolding;
    private final String description;

    private PreTokenizer(List<SplitStage> stages, String description) {
        this.stages = List.copyOf(stages);
        this.needsFolding = stages.stream().anyMatch(s -> s instanceof RegexSplit);
        this.description = description;
    }

    /** The pre-tokenizer llama.cpp uses for {@code tokenizer.ggml.pre = name}; an empty/null name means "default". */
    public static PreTokenizer forLlamaCppName(String name) {
        String key = name == null || name.isEmpty() ? "default" : name;
        List<String> regexes = BY_NAME.get(key);
        if (regexes == null) {
            throw new TokenizerException("unsupported tokenizer.ggml.pre '" + name + "'; supported: " + String.join(", ", BY_NAME.keySet()));
        }
        return fromRegexes(regexes, "pre=" + key);
    }

    /** True when llama.cpp's vocab for this pre-tokenizer name looks whole words up before merging. */
    static boolean ignoresMerges(String name) {
        return name != null && IGNORE_MERGES.contains(name);
    }

    /** Names accepted by {@link #forLlamaCppName}. */
    public static List<String> supportedNames() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * A pre-tokenizer from a list of regexes applied in sequence; the GPT-2 and Llama-3 expressions (in their
     * Hugging Face or llama.cpp spelling) get llama.cpp's hand-written scanners.
     */
    static PreTokenizer fromRegexes(List<String> regexes, String description) {
        List<SplitStage> stages = new ArrayList<>();
        for (String r : regexes) {
            if (r.equals(Gpt2Split.PATTERN)) stages.add(new Gpt2Split());
            else if (r.equals(Llama3Split.PATTERN_HF) || r.equals(Llama3Split.PATTERN_LLAMA_CPP)) stages.add(new Llama3Split());
            else if (r.equals(P_QWEN2_HF)) stages.add(new RegexSplit(P_QWEN2));
            else stages.add(new RegexSplit(r));
        }
        return new PreTokenizer(stages, description);
    }

    /** Exclusive end offsets (UTF-16 indices) of the words of {@code text}; empty for empty text. */
    int[] split(String text) {
        if (text.isEmpty()) return new int[0];
        String folded = needsFolding ? foldWhitespace(text) : text;
        IntList ends = new IntList(4);
        ends.add(text.length());
        IntList next = new IntList(Math.max(16, text.length() / 3));
        for (SplitStage stage : stages) {
            next.clear();
            stage.refine(text, folded, ends, next);
            IntList t = ends;
            ends = next;
            next = t;
        }
        return ends.toArray();
    }

    /** Splits into word strings (for tests and the CLI's debugging output). */
    public List<String> words(String text) {
        int[] ends = split(text);
        List<String> out = new ArrayList<>(ends.length);
        int start = 0;
        for (int e : ends) {
            out.add(text.substring(start, e));
            start = e;
        }
        return out;
    }

    private static String foldWhitespace(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7F && CodepointFlags.isWhitespace(c)) {
                if (chars == null) chars = text.toCharArray();
                chars[i] = '\u000B';
            }
        }
        return chars == null ? text : new String(chars);
    }

    @Override
    public String toString() {
        return description;
    }
}
