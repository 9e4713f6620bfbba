package dev.specula.bench.kernels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which JMH benchmarks run, with which parameters: the quick preset (a few minutes on 2 cores) or the
 * full suite (every type, shape, k and thread count given in the benchmark classes' {@code @Param}s).
 */
public final class KernelSuite {
    /** One JMH invocation: a benchmark-name regex plus parameter overrides (empty = the annotations' values). */
    public record Run(String label, String include, Map<String, List<String>> params) {}

    private KernelSuite() {}

    static final List<String> QUICK_TYPES = List.of("F16", "Q8_0", "Q4_0", "Q4_K", "Q6_K");
    static final List<String> OTHER_TYPES = List.of("F32", "BF16", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q5_K", "IQ4_NL", "IQ4_XS");

    public static List<Run> quick(List<Integer> threads) {
        List<String> t = strings(threads);
        String maxThreads = t.getLast();
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("mat-vec, main types", matMul(), params("type", QUICK_TYPES, "shape", List.of("2048x2048", "8192x2048"),
                "k", List.of("1"), "threads", t)));
        runs.add(new Run("mat-vec, vocabulary head", matMul(), params("type", List.of("Q8_0", "Q4_0"), "shape", List.of("16384x768"),
                "k", List.of("1"), "threads", t)));
        runs.add(new Run("k-row mat-mat", matMul(), params("type", List.of("Q8_0", "Q4_0", "Q4_K"), "shape", List.of("2048x2048"),
                "k", List.of("2", "4", "8", "16"), "threads", List.of(maxThreads))));
        runs.add(new Run("mat-vec, other types", matMul(), params("type", OTHER_TYPES, "shape", List.of("2048x2048"),
                "k", List.of("1"), "threads", List.of("1"))));
        runs.add(new Run("attention", regex(AttentionBenchmark.class, "decodeStep"), params("positions", List.of("512", "4096"), "threads", t)));
        runs.add(new Run("vector math", regex(VectorMathBenchmark.class, ".*"), params("n", List.of("2048", "128256"))));
        runs.add(new Run("sampling", regex(SamplingBenchmark.class, ".*"), Map.of()));
        runs.add(new Run("rope", regex(RopeBenchmark.class, ".*"), Map.of()));
        return runs;
    }

    /** Every benchmark with its annotated parameters; thread counts replaced when given. */
    public static List<Run> full(List<Integer> threads) {
        Map<String, List<String>> t = threads == null ? Map.of() : Map.of("threads", strings(threads));
        return List.of(
                new Run("mat-vec and k-row mat-mat", matMul(), t),
                new Run("attention", regex(AttentionBenchmark.class, "decodeStep"), t),
                new Run("vector math", regex(VectorMathBenchmark.class, ".*"), Map.of()),
                new Run("sampling", regex(SamplingBenchmark.class, ".*"), Map.of()),
                new Run("rope", regex(RopeBenchmark.class, ".*"), Map.of()),
                new Run("tokenizer (run from the repository root)", regex(TokenizerBenchmark.class, ".*"), Map.of()));
    }

    private static String matMul() {
        return regex(MatMulBenchmark.class, "multiply");
    }

    static String regex(Class<?> benchmark, String method) {
        return "^\\Q" + benchmark.getName() + ".\\E" + method + "$";
    }

    private static List<String> strings(List<Integer> values) {
        return values.stream().map(String::valueOf).toList();
    }

    private static Map<String, List<String>> params(Object... keyValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> v = (List<String>) keyValues[i + 1];
            m.put((String) keyValues[i], v);
        }
        return m;
    }
}
