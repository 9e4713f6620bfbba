package dev.specula.engine.model;

import java.util.Locale;

/**
 * How a session stores its keys and values. F32 keeps the attention inputs exactly as computed; F16 (IEEE half,
 * round to nearest even, as llama.cpp's default {@code f16} cache) halves the cache's memory at the price of
 * rounding each stored key and value to 11 significant bits (magnitudes above 65504 become infinite).
 */
public enum KvCacheType {
    F32(4),
    F16(2);

    private final int bytesPerValue;

    KvCacheType(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    /** Bytes per stored key or value element. */
    public int bytesPerValue() {
        return bytesPerValue;
    }

    /** {@code f32} or {@code f16} (any case). */
    public static KvCacheType parse(String name) {
        if (name != null) {
            for (KvCacheType t : values()) if (t.name().equalsIgnoreCase(name.trim())) return t;
        }
        throw new IllegalArgumentException("unknown KV cache type '" + name + "'; expected one of: f32, f16");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
