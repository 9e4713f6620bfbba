package dev.specula.cli;

import dev.specula.engine.kernel.WeightMemory;
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
 * the CPU and the thread count Specula will use, whether weights and heap sit on transparent huge
 * pages, plus warnings for setups that will be slow.
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
        Optional<String> thpMode = WeightMemory.transparentHugePageMode();
        boolean weightsHuge = WeightMemory.hugePagesAvailable();
        Optional<Boolean> heapHuge = heapOnHugePages();
        t.put("transparent_huge_pages", thpMode.orElse(null));
        t.put("weights_on_huge_pages", weightsHuge);
        t.put("heap_on_huge_pages", heapHuge.orElse(null));
        List<String> warnings = warnings(vector, vector ? VectorShape.bits() : 0);
        warnings.addAll(hugePageWarnings(thpMode, weightsHuge, heapHuge.orElse(false)));
        t.put("warnings", warnings);
        return t;
    }

    /** The JVM's {@code UseTransparentHugePages} flag, when this is a HotSpot JVM that reports it. */
    static Optional<Boolean> heapOnHugePages() {
        try {
            var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Optional.of(Boolean.parseBoolean(hotspot.getVMOption("UseTransparentHugePages").getValue()));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * Why weights or heap stream through 4 KiB pages, when they do on a kernel that has transparent
     * huge pages (no warning where the kernel has none: nothing can be done about it from here).
     */
    static List<String> hugePageWarnings(Optional<String> thpMode, boolean weightsOnHugePages, boolean heapOnHugePages) {
        List<String> w = new ArrayList<>();
        if (thpMode.isEmpty()) return w;
        if (thpMode.get().equals("never")) {
            w.add("transparent huge pages are off (/sys/kernel/mm/transparent_hugepage/enabled = never): weights stream"
                    + " through 4 KiB pages and decoding is slower; 'madvise' or 'always' lets Specula use them");
            return w;
        }
        if (!weightsOnHugePages) {
            w.add("weights are not on huge pages: start Java with --enable-native-access=ALL-UNNAMED (the launchers do)"
                    + " and do not set -Dspecula.hugepages=false");
        }
        if (!heapOnHugePages) {
            w.add("the heap (weight scales, KV cache) is not on huge pages: add -XX:+UseTransparentHugePages"
                    + " (the launchers do)");
        }
        return w;
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

    private static String yesNo(Object flag) {
        return flag == null ? "unknown" : Boolean.TRUE.equals(flag) ? "yes" : "no";
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
        sb.append("Huge pages:   weights ").append(yesNo(t.get("weights_on_huge_pages"))).append(", heap ")
                .append(yesNo(t.get("heap_on_huge_pages"))).append(" (kernel transparent huge pages: ")
                .append(t.get("transparent_huge_pages") == null ? "none" : t.get("transparent_huge_pages")).append(")\n");
        sb.append("Max heap:     ").append(Format.bytes((Long) t.get("max_heap_bytes"))).append(" (raise with SPECULA_JAVA_OPTS=-Xmx...)\n");
        for (String w : (List<String>) t.get("warnings")) sb.append("WARNING: ").append(w).append('\n');
        return sb.toString();
    }
}
