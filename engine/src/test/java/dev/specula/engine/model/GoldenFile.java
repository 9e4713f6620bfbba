package dev.specula.engine.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One llama.cpp golden JSON of ../shared/golden (schema llm-golden/1, see golden/README.md). */
record GoldenFile(String modelPath, int vocab, List<Prompt> prompts, Path folder) {

    record TopEntry(int id, double p, double logit) {}

    record Step(int id, double logit, double gapLogit, double gapP, List<TopEntry> top) {}

    record Prompt(int index, int[] promptIds, int[] generatedIds, List<Step> steps, String lastLogitsFile) {}

    static GoldenFile read(Path json) throws IOException {
        Map<String, Object> root = MiniJson.object(MiniJson.parse(Files.readString(json)));
        List<Prompt> prompts = new ArrayList<>();
        for (Object po : MiniJson.array(root.get("prompts"))) {
            Map<String, Object> p = MiniJson.object(po);
            List<Step> steps = new ArrayList<>();
            for (Object so : MiniJson.array(p.get("steps"))) {
                Map<String, Object> s = MiniJson.object(so);
                List<TopEntry> top = new ArrayList<>();
                if (s.containsKey("top")) {
                    for (Object to : MiniJson.array(s.get("top"))) {
                        Map<String, Object> t = MiniJson.object(to);
                        top.add(new TopEntry(num(t, "id").intValue(), num(t, "p"), num(t, "logit")));
                    }
                }
                steps.add(new Step(num(s, "id").intValue(), num(s, "logit"), num(s, "gap_logit"), num(s, "gap_p"), top));
            }
            prompts.add(new Prompt(num(p, "index").intValue(), MiniJson.ints(p.get("prompt_ids")),
                    MiniJson.ints(p.get("generated_ids")), steps, (String) p.get("last_prompt_logits_file")));
        }
        return new GoldenFile((String) root.get("model_path"), num(root, "n_vocab").intValue(), prompts, json.getParent());
    }

    private static Double num(Map<String, Object> o, String key) {
        Object v = o.get(key);
        if (!(v instanceof Double d)) throw new IllegalArgumentException("golden JSON field '" + key + "' is not a number: " + v);
        return d;
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
