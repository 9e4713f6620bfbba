package dev.specula.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Typed, read-only access to the key/value metadata of a GGUF file.
 *
 * <p>Scalar values are stored boxed: UINT8, INT8, UINT16, INT16, INT32 as {@link Integer}; UINT32,
 * INT64 and UINT64 as {@link Long} (UINT64 above 2^63 wraps negative, as in Java); FLOAT32 as
 * {@link Float}; FLOAT64 as {@link Double}; BOOL as {@link Boolean}; STRING as {@link String}.
 * Arrays are {@link GgufArray}s.
 */
public final class GgufMetadata {
    private final String source;
    private final Map<String, Object> values;
    private final Map<String, GgufValueType> types;

    public GgufMetadata(String source, Map<String, Object> values, Map<String, GgufValueType> types) {
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.types = Collections.unmodifiableMap(new LinkedHashMap<>(types));
    }

    public Set<String> keys() {
        return values.keySet();
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    /** The raw value (see class comment), or null when absent. */
    public Object get(String key) {
        return values.get(key);
    }

    public GgufValueType type(String key) {
        return types.get(key);
    }

    /** All values in file order. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String key) {
        Object v = values.get(key);
        if (v == null) throw new MetadataException(source + ": missing metadata key '" + key + "'");
        return v;
    }

    private MetadataException mistyped(String key, String expected) {
        return new MetadataException(source + ": metadata key '" + key + "' is " + types.get(key)
                + ", expected " + expected);
    }

    /** An integer value of any integer type that fits in an int. */
    public int getInt(String key) {
        Object v = require(key);
        if (v instanceof Integer i) return i;
        if (v instanceof Long l && l == (int) (long) l) return (int) (long) l;
        if (v instanceof Long) throw new MetadataException(source + ": metadata key '" + key + "' = " + v + " does not fit in an int");
        throw mistyped(key, "an integer");
    }

    public int getInt(String key, int defaultValue) {
        return values.containsKey(key) ? getInt(key) : defaultValue;
    }

    public long getLong(String key) {
        Object v = require(key);
        if (v instanceof Integer i) return i;
        if (v instanceof Long l) return l;
        throw mistyped(key, "an integer");
    }

    public long getLong(String key, long defaultValue) {
        return values.containsKey(key) ? getLong(key) : defaultValue;
    }

    /** A FLOAT32 or FLOAT64 value (integers are accepted too). */
    public float getFloat(String key) {
        Object v = require(key);
        if (v instanceof Float f) return f;
        if (v instanceof Double d) return (float) (double) d;
        if (v instanceof Integer i) return i;
        if (v instanceof Long l) return l;
        throw mistyped(key, "a number");
    }

    public float getFloat(String key, float defaultValue) {
        return values.containsKey(key) ? getFloat(key) : defaultValue;
    }

    public boolean getBoolean(String key) {
        Object v = require(key);
        if (v instanceof Boolean b) return b;
        throw mistyped(key, "BOOL");
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return values.containsKey(key) ? getBoolean(key) : defaultValue;
    }

    public String getString(String key) {
        Object v = require(key);
        if (v instanceof String s) return s;
        throw mistyped(key, "STRING");
    }

    public String getString(String key, String defaultValue) {
        return values.containsKey(key) ? getString(key) : defaultValue;
    }

    public GgufArray getArray(String key) {
        Object v = require(key);
        if (v instanceof GgufArray a) return a;
        throw mistyped(key, "ARRAY");
    }

    public String[] getStringArray(String key) {
        return getArray(key).asStrings(source + ": " + key);
    }

    public float[] getFloatArray(String key) {
        return getArray(key).asFloats(source + ": " + key);
    }

    public int[] getIntArray(String key) {
        return getArray(key).asInts(source + ": " + key);
    }

    /** Raised for a missing or mistyped key. */
    public static final class MetadataException extends IllegalArgumentException {
        public MetadataException(String message) {
            super(message);
        }
    }
}
