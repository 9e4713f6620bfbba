package dev.specula.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One llama.cpp golden JSON of ../shared/golden (schema llm-golden/1, see golden/README.md). */
record GoldenFile(String modelPath, int vocab, List<Prompt> prompts, Path folder) {

    record TopEntry(int id, double p, double logit) {}

    record Step(int id, double logit, double gapLogit, double gapP, List<TopEntry> top) {}

    record Prompt(int index, int[] promptIds, int[] generatedIds, List<Step> steps, String lastLogitsFile) {}

    static GoldenFile read(Path json) throws IOException {
        JsonNode root = readJson(json);
        List<Prompt> prompts = new ArrayList<>();
        for (JsonNode p : root.get("prompts")) {
            List<Step> steps = new ArrayList<>();
            for (JsonNode s : p.get("steps")) {
                List<TopEntry> top = new ArrayList<>();
                for (JsonNode t : s.path("top")) top.add(new TopEntry(t.get("id").asInt(), t.get("p").asDouble(), t.get("logit").asDouble()));
                steps.add(new Step(s.get("id").asInt(), s.get("logit").asDouble(), s.get("gap_logit").asDouble(), s.get("gap_p").asDouble(), top));
            }
            prompts.add(new Prompt(p.get("index").asInt(), ints(p.get("prompt_ids")), ints(p.get("generated_ids")), steps,
                    p.path("last_prompt_logits_file").isTextual() ? p.get("last_prompt_logits_file").asText() : null));
        }
        return new GoldenFile(root.get("model_path").asText(), root.get("n_vocab").asInt(), prompts, json.getParent());
    }

    /** A JSON array of integers. */
    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    static JsonNode readJson(Path json) throws IOException {
        return new ObjectMapper().readTree(json.toFile());
    }

    /** The full logits vector stored beside the JSON (little-endian float32). */
    float[] lastLogits(Prompt p) throws IOException {
        byte[] bytes = Files.readAllBytes(folder.resolve(p.lastLogitsFile()));
        if (bytes.length != vocab * 4) throw new IOException(p.lastLogitsFile() + " has " + bytes.length + " bytes, expected " + vocab * 4);
        float[] out = new float[vocab];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** softmax in double precision, the golden files' probability definition. */
    static double[] softmax(float[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, logits[off + i]);
        double[] p = new double[n];
        double z = 0;
        for (int i = 0; i < n; i++) z += p[i] = Math.exp(logits[off + i] - max);
        for (int i = 0; i < n; i++) p[i] /= z;
        return p;
    }
}
