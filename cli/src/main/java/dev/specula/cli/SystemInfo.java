package dev.specula.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code specula info --system}: the JDK, whether the Vector API is usable and with which shape,
 * the CPU and the thread count Specula will use, plus warnings for setups that will be slow.
 */
public final class SystemInfo {
    /** Vectors narrower than this make the SIMD kernels no faster than scalar code. */
    static final int MIN_USEFUL_VECTOR_BITS = 128;

    private SystemInfo() {}

    /** The default number of compute threads: one per available processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static Map<String, Object> collect() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("specula_version", VersionProvider.version());
        t.put("java_version", Runtime.version().toString());
        t.put("java_vendor", System.getProperty("java.vendor"));
        t.put("java_home", System.getProperty("java.home"));
        t.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        boolean vector = Relauncher.vectorModulePresent();
        t.put("vector_api", vector);
        t.put("vector_bits", vector ? VectorShape.bits() : null);
        t.put("float_lanes", vector ? VectorShape.floatLanes() : null);
        t.put("cpu_model", cpuModel().orElse(null));
        t.put("cores", Runtime.getRuntime().availableProcessors());
        t.put("threads", defaultThreads());
        t.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        t.put("warnings", warnings(vector, vector ? VectorShape.bits() : 0));
        return t;
    }

    static List<String> warnings(boolean vectorPresent, int vectorBits) {
        List<String> w = new ArrayList<>();
        if (!vectorPresent) {
            w.add("the Vector API (jdk.incubator.vector) is not available: start Java with"
                    + " --add-modules jdk.incubator.vector (java -jar specula.jar and ./specula do this for you)");
        } else if (vectorBits < MIN_USEFUL_VECTOR_BITS) {
            w.add("the preferred vector shape is only " + vectorBits + " bits (< " + MIN_USEFUL_VECTOR_BITS
                    + "): the SIMD kernels will be slow; check -XX:MaxVectorSize and the CPU's SIMD support");
        }
        return w;
    }

    /** The "model name" line of /proc/cpuinfo, when that file exists. */
    static Optional<String> cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return Optional.empty();
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    @SuppressWarnings("unchecked")
    public static String toText(Map<String, Object> t) {
        StringBuilder sb = new StringBuilder();
        sb.append("Specula:      ").append(t.get("specula_version")).append('\n');
        sb.append("Java:         ").append(t.get("java_version")).append(" (").append(t.get("java_vendor")).append(", ")
                .append(t.get("java_home")).append(")\n");
        sb.append("OS:           ").append(t.get("os")).append('\n');
        if (Boolean.TRUE.equals(t.get("vector_api"))) {
            sb.append("Vector API:   yes (jdk.incubator.vector), preferred shape ").append(t.get("vector_bits")).append(" bits = ")
                    .append(t.get("float_lanes")).append(" float lanes\n");
        } else {
            sb.append("Vector API:   NOT available (jdk.incubator.vector is not loaded)\n");
        }
        sb.append("CPU:          ").append(t.get("cpu_model") == null ? "unknown" : t.get("cpu_model")).append(", ")
                .append(t.get("cores")).append(" cores\n");
        sb.append("Threads:      ").append(t.get("threads")).append(" (change with -t)\n");
        sb.append("Max heap:     ").append(Format.bytes((Long) t.get("max_heap_bytes"))).append(" (raise with SPECULA_JAVA_OPTS=-Xmx...)\n");
        for (String w : (List<String>) t.get("warnings")) sb.append("WARNING: ").append(w).append('\n');
        return sb.toString();
    }
}
