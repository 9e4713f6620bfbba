package dev.specula.cli;

import dev.specula.gguf.GgufArray;
import dev.specula.gguf.GgufFile;
import dev.specula.gguf.GgufMetadata;
import dev.specula.gguf.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code specula info MODEL} reports about a GGUF file, as a JSON-ready tree: the file, the
 * architecture with its hyper-parameters (every scalar {@code <arch>.*} key), the tokenizer
 * summary, the tensor table and totals (parameters and bytes per tensor type). Vocab-only files
 * have no tensors and report zeros.
 */
public final class ModelInfo {
    private final Map<String, Object> tree;

    private ModelInfo(Map<String, Object> tree) {
        this.tree = tree;
    }

    /** The JSON-ready tree (insertion-ordered maps, lists, strings, numbers, booleans). */
    public Map<String, Object> tree() {
        return tree;
    }

    public static ModelInfo of(Path path, GgufFile file) {
        GgufMetadata md = file.metadata();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("file", path.toString());
        t.put("file_bytes", file.fileSize());
        t.put("gguf_version", file.version());
        String arch = md.getString("general.architecture", "unknown");
        t.put("architecture", arch);
        t.put("name", md.getString("general.name", null));
        t.put("general", scalars(md, "general.", List.of("general.architecture", "general.name")));
        t.put("hyperparameters", scalars(md, arch + ".", List.of()));
        t.put("tokenizer", tokenizer(md));

        List<Map<String, Object>> tensors = new ArrayList<>();
        Map<String, Long> bytesByType = new LinkedHashMap<>();
        Map<String, Long> paramsByType = new LinkedHashMap<>();
        Map<String, Integer> countByType = new LinkedHashMap<>();
        long params = 0, bytes = 0;
        for (TensorInfo ti : file.tensors()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", ti.name());
            row.put("type", ti.type().name());
            row.put("shape", ti.dims());
            row.put("bytes", ti.byteSize());
            tensors.add(row);
            params += ti.elementCount();
            bytes += ti.byteSize();
            bytesByType.merge(ti.type().name(), ti.byteSize(), Long::sum);
            paramsByType.merge(ti.type().name(), ti.elementCount(), Long::sum);
            countByType.merge(ti.type().name(), 1, Integer::sum);
        }
        t.put("tensors", tensors);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("tensor_count", file.tensors().size());
        totals.put("params", params);
        totals.put("tensor_bytes", bytes);
        totals.put("bits_per_weight", params == 0 ? 0.0 : Math.round(bytes * 8.0 / params * 1000) / 1000.0);
        Map<String, Object> byType = new LinkedHashMap<>();
        for (String type : bytesByType.keySet()) {
            Map<String, Object> entry = new LinkedHashMap<>(); // Map.of would iterate in a different order each run
            entry.put("tensors", countByType.get(type));
            entry.put("params", paramsByType.get(type));
            entry.put("bytes", bytesByType.get(type));
            byType.put(type, entry);
        }
        totals.put("by_type", byType);
        t.put("totals", totals);
        t.put("metadata_keys", md.keys().size());
        return new ModelInfo(t);
    }

    private static Map<String, Object> scalars(GgufMetadata md, String prefix, List<String> skip) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : md.asMap().entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(prefix) || skip.contains(key)) continue;
            Object v = e.getValue();
            out.put(key.substring(prefix.length()), v instanceof GgufArray a ? describe(a) : v);
        }
        return out;
    }

    private static String describe(GgufArray a) {
        return "array of " + a.length() + " " + a.elementType();
    }

    private static Map<String, Object> tokenizer(GgufMetadata md) {
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("model", md.getString("tokenizer.ggml.model", null));
        tok.put("pre", md.getString("tokenizer.ggml.pre", null));
        tok.put("tokens", arrayLength(md, "tokenizer.ggml.tokens"));
        tok.put("merges", arrayLength(md, "tokenizer.ggml.merges"));
        tok.put("bos_id", md.contains("tokenizer.ggml.bos_token_id") ? md.getLong("tokenizer.ggml.bos_token_id") : null);
        tok.put("eos_id", md.contains("tokenizer.ggml.eos_token_id") ? md.getLong("tokenizer.ggml.eos_token_id") : null);
        tok.put("add_bos", md.contains("tokenizer.ggml.add_bos_token") ? md.getBoolean("tokenizer.ggml.add_bos_token") : null);
        tok.put("chat_template", md.contains("tokenizer.chat_template"));
        return tok;
    }

    private static int arrayLength(GgufMetadata md, String key) {
        return md.get(key) instanceof GgufArray a ? a.length() : 0;
    }

    /** Human-readable report. */
    @SuppressWarnings("unchecked")
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("file:          ").append(tree.get("file")).append(" (").append(Format.bytes((Long) tree.get("file_bytes")))
                .append(", GGUF v").append(tree.get("gguf_version")).append(")\n");
        sb.append("architecture:  ").append(tree.get("architecture"));
        if (tree.get("name") != null) sb.append("  (").append(tree.get("name")).append(")");
        sb.append('\n');
        Map<String, Object> general = (Map<String, Object>) tree.get("general");
        if (general.get("description") != null) sb.append("description:   ").append(general.get("description")).append('\n');
        Map<String, Object> hp = (Map<String, Object>) tree.get("hyperparameters");
        if (!hp.isEmpty()) {
            sb.append("hyper-parameters:\n");
            for (var e : hp.entrySet()) sb.append(String.format("  %-36s %s%n", e.getKey(), e.getValue()));
        }
        Map<String, Object> tok = (Map<String, Object>) tree.get("tokenizer");
        sb.append("tokenizer:     ").append(tok.get("model")).append(" (pre ").append(tok.get("pre")).append("), ")
                .append(tok.get("tokens")).append(" tokens, ").append(tok.get("merges")).append(" merges, bos ")
                .append(tok.get("bos_id")).append(", eos ").append(tok.get("eos_id")).append(", add_bos ")
                .append(tok.get("add_bos")).append(", chat template ")
                .append(Boolean.TRUE.equals(tok.get("chat_template")) ? "yes" : "no").append('\n');
        List<Map<String, Object>> tensors = (List<Map<String, Object>>) tree.get("tensors");
        Map<String, Object> totals = (Map<String, Object>) tree.get("totals");
        sb.append("tensors:       ").append(tensors.size());
        if (tensors.isEmpty()) sb.append(" (vocab-only file)");
        sb.append('\n');
        if (!tensors.isEmpty()) {
            int w = 4;
            for (var row : tensors) w = Math.max(w, ((String) row.get("name")).length());
            sb.append(String.format("  %-" + w + "s  %-6s  %-16s  %12s%n", "name", "type", "shape", "bytes"));
            for (var row : tensors) {
                sb.append(String.format("  %-" + w + "s  %-6s  %-16s  %12d%n", row.get("name"), row.get("type"),
                        Format.shape((long[]) row.get("shape")), (Long) row.get("bytes")));
            }
        }
        sb.append("totals:        ").append(Format.thousands((Long) totals.get("params"))).append(" parameters, ")
                .append(Format.bytes((Long) totals.get("tensor_bytes"))).append(" of tensor data");
        if ((Long) totals.get("params") > 0) sb.append(", ").append(totals.get("bits_per_weight")).append(" bits/weight");
        sb.append('\n');
        Map<String, Object> byType = (Map<String, Object>) totals.get("by_type");
        for (var e : byType.entrySet()) {
            Map<String, Object> v = (Map<String, Object>) e.getValue();
            sb.append(String.format("  %-6s %4d tensors  %14s params  %12s%n", e.getKey(), v.get("tensors"),
                    Format.thousands((Long) v.get("params")), Format.bytes((Long) v.get("bytes"))));
        }
        return sb.toString();
    }
}
