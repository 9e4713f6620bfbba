package dev.specula.gguf;

import java.util.List;

/**
 * A metadata array. {@code values} holds a primitive array matching {@code elementType}:
 * UINT8, INT8, UINT16, INT16, INT32 -> int[]; UINT32, INT64, UINT64 -> long[]; FLOAT32 -> float[];
 * FLOAT64 -> double[]; BOOL -> boolean[]; STRING -> String[]; ARRAY -> {@code List<GgufArray>}.
 */
public record GgufArray(GgufValueType elementType, Object values) {

    public int length() {
        return switch (values) {
            case int[] a -> a.length;
            case long[] a -> a.length;
            case float[] a -> a.length;
            case double[] a -> a.length;
            case boolean[] a -> a.length;
            case String[] a -> a.length;
            case List<?> a -> a.size();
            default -> throw new IllegalStateException("unexpected array storage " + values.getClass());
        };
    }

    public String[] asStrings(String what) {
        if (values instanceof String[] s) return s;
        throw new GgufMetadata.MetadataException(what + " is an array of " + elementType + ", expected STRING");
    }

    public float[] asFloats(String what) {
        return switch (values) {
            case float[] a -> a;
            case double[] a -> {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
                yield f;
            }
            case int[] a -> {
                float[] f = new float[a.length];
                for (int i = 0; i < a.length; i++) f[i] = a[i];
                yield f;
            }
            default -> throw new GgufMetadata.MetadataException(what + " is an array of " + elementType + ", expected numbers");
        };
    }

    public int[] asInts(String what) {
        return switch (values) {
            case int[] a -> a;
            case long[] a -> {
                int[] r = new int[a.length];
                for (int i = 0; i < a.length; i++) {
                    if (a[i] != (int) a[i]) throw new GgufMetadata.MetadataException(what + "[" + i + "] = " + a[i] + " does not fit in an int");
                    r[i] = (int) a[i];
                }
                yield r;
            }
            default -> throw new GgufMetadata.MetadataException(what + " is an array of " + elementType + ", expected integers");
        };
    }
}
