package dev.specula.gguf;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Totals of a GGUF file for {@code specula info} and reports: parameter count, tensor bytes and
 * average bits per weight, overall and per tensor type. Computed from the tensor infos only.
 *
 * @param architecture {@code general.architecture}, or null
 * @param name {@code general.name}, or null
 * @param byType per tensor type, in {@link GgmlType} order; only types that occur
 */
public record GgufSummary(String architecture, String name, int version, long fileSize, int metadataKeys, int tensorCount,
                          long parameterCount, long tensorBytes, Map<GgmlType, TypeStats> byType) {

    /** Tensors of one type: how many, their elements and bytes. */
    public record TypeStats(int tensors, long elements, long bytes) {
        /** Average storage bits per element (e.g. 8.5 for Q8_0, 4.5 for Q4_0). */
        public double bitsPerWeight() {
            return elements == 0 ? 0 : bytes * 8.0 / elements;
        }
    }

    public static GgufSummary of(GgufFile file) {
        Map<GgmlType, TypeStats> byType = new EnumMap<>(GgmlType.class);
        long params = 0, bytes = 0;
        for (TensorInfo t : file.tensors()) {
            params += t.elementCount();
            bytes += t.byteSize();
            TypeStats s = byType.getOrDefault(t.type(), new TypeStats(0, 0, 0));
            byType.put(t.type(), new TypeStats(s.tensors() + 1, s.elements() + t.elementCount(), s.bytes() + t.byteSize()));
        }
        GgufMetadata md = file.metadata();
        String arch = md.get("general.architecture") instanceof String s ? s : null;
        String name = md.get("general.name") instanceof String s ? s : null;
        return new GgufSummary(arch, name, file.version(), file.fileSize(), md.keys().size(), file.tensors().size(),
                params, bytes, Collections.unmodifiableMap(byType));
    }

    /** Average storage bits per parameter over all tensors. */
    public double bitsPerWeight() {
        return parameterCount == 0 ? 0 : tensorBytes * 8.0 / parameterCount;
    }

    /** The type holding the most bytes (what a model is usually named after), or null without tensors. */
    public GgmlType dominantType() {
        GgmlType best = null;
        long most = -1;
        for (Map.Entry<GgmlType, TypeStats> e : byType.entrySet()) {
            if (e.getValue().bytes() > most) {
                most = e.getValue().bytes();
                best = e.getKey();
            }
        }
        return best;
    }
}
