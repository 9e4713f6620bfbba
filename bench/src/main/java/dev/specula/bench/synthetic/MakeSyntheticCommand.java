package dev.specula.bench.synthetic;

import dev.specula.gguf.GgmlType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code specula bench make-synthetic}: a random-weight GGUF with a real model's shapes, for speed tests. */
@Command(name = "make-synthetic", mixinStandardHelpOptions = true,
        description = {"Write a random-weight GGUF file with the exact tensor shapes of a real model and a valid byte-level BPE tokenizer.",
                "Speed measurements only: the weights are noise. Shapes: llama-3.2-1b, llama-3.2-3b, llama-3.1-8b, qwen2.5-0.5b, "
                        + "qwen2.5-1.5b, qwen2.5-7b, pycode-88m, tiny."})
public final class MakeSyntheticCommand implements Callable<Integer> {
    @Option(names = "--shape", required = true, paramLabel = "NAME", description = "Model shape (see above).")
    String shape;

    @Option(names = "--type", required = true, paramLabel = "TYPE",
            description = "Weight type of every matrix: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K..Q6_K, IQ4_NL, IQ4_XS.")
    String type;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.gguf", description = "File to write (overwritten).")
    Path output;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        ModelShape s = ModelShape.named(shape);
        GgmlType t = parseType(type);
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        System.err.println("writing " + s + " as " + t + ", ~" + s.parameterCount() / 1_000_000 + "M parameters, to " + output);
        long t0 = System.nanoTime();
        List<SyntheticModelWriter.TensorPlan> plan = SyntheticModelWriter.write(s, t, seed, output);
        long fallbacks = plan.stream().filter(p -> p.dims().length == 2 && p.type() != t).count();
        System.out.printf(Locale.ROOT, "wrote %s: %d tensors, %.1f MiB in %.1f s%s%n", output, plan.size(),
                Files.size(output) / 1048576.0, (System.nanoTime() - t0) / 1e9,
                fallbacks == 0 ? "" : " (" + fallbacks + " matrices fell back to Q8_0/F16: row length not a multiple of the " + t + " block)");
        return 0;
    }

    static GgmlType parseType(String name) {
        try {
            return GgmlType.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder known = new StringBuilder();
            for (GgmlType g : GgmlType.values()) known.append(known.isEmpty() ? "" : ", ").append(g.name());
            throw new IllegalArgumentException("unknown weight type '" + name + "' (known: " + known + ")");
        }
    }
}
