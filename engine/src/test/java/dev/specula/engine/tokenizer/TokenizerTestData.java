package dev.specula.engine.tokenizer;

import dev.specula.gguf.GgufFile;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Loads tokenizers and llama.cpp test vectors from ../shared (cached per JVM: loading a 100k vocab takes a moment). */
final class TokenizerTestData {
    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    private TokenizerTestData() {}

    static Tokenizer gguf(String relative) {
        return CACHE.computeIfAbsent(relative, r -> {
            Path p = SharedData.require(r);
            try (GgufFile f = GgufFile.open(p)) {
                return Tokenizer.fromGguf(f.metadata());
            } catch (IOException e) {
                throw new AssertionError("cannot open " + p, e);
            }
        });
    }

    static Tokenizer hfJson(String relative) {
        return CACHE.computeIfAbsent(relative, r -> Tokenizer.fromHuggingFaceJson(SharedData.require(r)));
    }

    /** One llama.cpp tokenizer test case: input text and expected ids (no BOS/EOS). */
    record Case(String text, int[] ids) {}

    /** Reads X.inp / X.out from models/llama.cpp-vocab (format in models/SOURCES.md). */
    static List<Case> vectors(String baseName) throws IOException {
        Path dir = SharedData.require("models/llama.cpp-vocab");
        String inp = Files.readString(dir.resolve(baseName + ".inp"), StandardCharsets.UTF_8);
        List<String> outLines = Files.readAllLines(dir.resolve(baseName + ".out"), StandardCharsets.UTF_8);
        String sep = "\n__ggml_vocab_test__\n";
        List<String> texts = new ArrayList<>(Arrays.asList(inp.split(sep, -1)));
        if (!texts.isEmpty() && texts.getLast().isEmpty()) texts.removeLast();
        if (texts.size() != outLines.size()) {
            throw new AssertionError(baseName + ": " + texts.size() + " inputs but " + outLines.size() + " output lines");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String line = outLines.get(i).trim();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" +")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(texts.get(i), ids));
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String relative) throws IOException {
        return (Map<String, Object>) JsonValues.read(SharedData.require(relative));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object list) {
        return (List<Map<String, Object>>) list;
    }

    @SuppressWarnings("unchecked")
    static int[] ints(Object list) {
        return ((List<Object>) list).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
    }

    static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '\n') sb.append("\\n");
            else if (c == '\t') sb.append("\\t");
            else if (c == '\r') sb.append("\\r");
            else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.append('"').toString();
    }
}
