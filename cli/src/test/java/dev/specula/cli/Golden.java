package dev.specula.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.util.Arrays;

/** llama.cpp golden outputs from ../shared/golden (see its README). */
final class Golden {
    private Golden() {}

    /** Prompt {@code index} of the golden file for {@code model} (e.g. "pycode-7m-q8_0"). */
    static JsonNode prompt(String model, int index) throws IOException {
        JsonNode root = new ObjectMapper().readTree(SharedData.require("golden/" + model + ".json").toFile());
        return root.get("prompts").get(index);
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    static int[] first(JsonNode array, int n) {
        return Arrays.copyOf(ints(array), n);
    }
}
