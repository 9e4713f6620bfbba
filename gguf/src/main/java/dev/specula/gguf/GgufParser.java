package dev.specula.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the GGUF header, metadata and tensor infos from a memory segment. Every size
 * read from the file is checked against the bytes that remain before anything is allocated, so a
 * hostile length (a string of 2^62 bytes, 2^40 tensors) fails at once with the field and offset.
 */
final class GgufParser {
    /** GGML_MAX_DIMS. */
    static final int MAX_DIMS = 4;
    /** Nesting limit for arrays of arrays (the format allows it; nothing real goes deeper than 2). */
    static final int MAX_ARRAY_DEPTH = 8;
    /**
     * Limits far above any real model (which have at most tens of thousands of tensors, a few
     * hundred keys, vocabularies of a few 100k entries and templates of some KB) that keep a hostile
     * length from allocating gigabytes even inside a large file.
     */
    static final long MAX_TENSORS = 1 << 20;
    static final long MAX_KEYS = 1 << 20;
    static final long MAX_ARRAY_LENGTH = 1 << 24;
    static final long MAX_STRING_BYTES = 1 << 26;

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    record Parsed(int version, GgufMetadata metadata, List<TensorInfo> tensors, int alignment, long dataOffset) {}

    private final String source;
    private final MemorySegment seg;
    private final long size;
    private long pos;

    GgufParser(String source, MemorySegment seg) {
        this.source = source;
        this.seg = seg;
        this.size = seg.byteSize();
    }

    private GgufFormatException error(String message, long offset) {
        return new GgufFormatException(source + ": " + message + " (at byte offset " + offset + ")", offset);
    }

    private void need(long bytes, String field) throws GgufFormatException {
        if (bytes < 0 || bytes > size - pos)
            throw error("truncated file: " + field + " needs " + Long.toUnsignedString(bytes) + " bytes but only "
                    + (size - pos) + " remain of " + size, pos);
    }

    private int u8(String field) throws GgufFormatException {
        need(1, field);
        return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
    }

    private int i32(String field) throws GgufFormatException {
        need(4, field);
        int v = seg.get(I32, pos);
        pos += 4;
        return v;
    }

    private long i64(String field) throws GgufFormatException {
        need(8, field);
        long v = seg.get(I64, pos);
        pos += 8;
        return v;
    }

    private String string(String field) throws GgufFormatException {
        long at = pos;
        long len = i64(field + " length");
        if (len < 0 || len > size - pos)
            throw error(field + ": string length " + Long.toUnsignedString(len) + " exceeds the " + (size - pos)
                    + " bytes left in the file", at);
        if (len > MAX_STRING_BYTES) throw error(field + ": string length " + len + " exceeds the limit of " + MAX_STRING_BYTES + " bytes", at);
        byte[] b = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        return new String(b, StandardCharsets.UTF_8);
    }

    Parsed parse() throws GgufFormatException {
        pos = 0;
        if (size < 4) throw error("not a GGUF file: " + size + " bytes is shorter than the 4-byte magic", 0);
        int magic = i32("magic");
        if (magic != GgufFile.MAGIC)
            throw error(String.format("not a GGUF file: magic is 0x%08x, expected 0x%08x (\"GGUF\")", magic, GgufFile.MAGIC), 0);
        long versionAt = pos;
        int version = i32("version");
        if (version == 1) throw error("GGUF version 1 is not supported (only 2 and 3); re-convert the model with a current llama.cpp", versionAt);
        if (version != 2 && version != 3) throw error("unsupported GGUF version " + Integer.toUnsignedString(version) + " (supported: 2, 3)", versionAt);

        long countAt = pos;
        long tensorCount = i64("tensor_count");
        // A tensor info takes at least 8 (name length) + 4 (n_dims) + 4 (type) + 8 (offset) bytes.
        if (tensorCount < 0 || tensorCount > (size - pos) / 24)
            throw error("tensor_count " + Long.toUnsignedString(tensorCount) + " is impossible for a file of " + size + " bytes", countAt);
        if (tensorCount > MAX_TENSORS) throw error("tensor_count " + tensorCount + " exceeds the limit of " + MAX_TENSORS, countAt);
        long kvAt = pos;
        long kvCount = i64("metadata_kv_count");
        // A key/value takes at least 8 (key length) + 4 (type) + 1 (smallest value) bytes.
        if (kvCount < 0 || kvCount > (size - pos) / 13)
            throw error("metadata_kv_count " + Long.toUnsignedString(kvCount) + " is impossible for a file of " + size + " bytes", kvAt);
        if (kvCount > MAX_KEYS) throw error("metadata_kv_count " + kvCount + " exceeds the limit of " + MAX_KEYS, kvAt);

        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new HashMap<>();
        long alignmentAt = -1;
        for (long i = 0; i < kvCount; i++) {
            long keyAt = pos;
            String key = string("metadata key #" + i);
            if (values.containsKey(key)) throw error("duplicate metadata key '" + key + "'", keyAt);
            long typeAt = pos;
            int typeId = i32("type of metadata key '" + key + "'");
            GgufValueType type = GgufValueType.byId(typeId);
            if (type == null) throw error("unknown value type " + Integer.toUnsignedString(typeId) + " for metadata key '" + key + "'", typeAt);
            if (key.equals("general.alignment")) alignmentAt = pos;
            values.put(key, value(type, "metadata '" + key + "'", 0));
            types.put(key, type);
        }
        GgufMetadata metadata = new GgufMetadata(source, values, types);

        int alignment = GgufFile.DEFAULT_ALIGNMENT;
        if (values.containsKey("general.alignment")) {
            Object a = values.get("general.alignment");
            long al = a instanceof Integer ii ? ii : a instanceof Long ll ? ll : -1;
            if (al <= 0 || al > (1 << 30) || Long.bitCount(al) != 1)
                throw error("general.alignment = " + a + " (" + types.get("general.alignment") + ") is not a positive power of two up to 2^30", alignmentAt);
            alignment = (int) al;
        }

        List<TensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 1 << 16));
        Set<String> names = new HashSet<>();
        long[] infoOffsets = new long[(int) Math.min(tensorCount, 1024)];
        for (int i = 0; i < tensorCount; i++) {
            long infoAt = pos;
            if (i == infoOffsets.length) infoOffsets = java.util.Arrays.copyOf(infoOffsets, 2 * i);
            infoOffsets[i] = infoAt;
            String name = string("name of tensor #" + i);
            if (!names.add(name)) throw error("duplicate tensor name '" + name + "'", infoAt);
            long dimsAt = pos;
            int nDims = i32("n_dims of tensor '" + name + "'");
            if (nDims < 1 || nDims > MAX_DIMS)
                throw error("tensor '" + name + "' has n_dims " + Integer.toUnsignedString(nDims) + " (allowed 1.." + MAX_DIMS + ")", dimsAt);
            long[] dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++) {
                long dAt = pos;
                dims[d] = i64("dim " + d + " of tensor '" + name + "'");
                if (dims[d] <= 0) throw error("tensor '" + name + "' dim " + d + " = " + Long.toUnsignedString(dims[d]) + " is not a positive size", dAt);
                if (elements > Long.MAX_VALUE / dims[d]) throw error("tensor '" + name + "' element count overflows (dims " + java.util.Arrays.toString(dims) + ")", dAt);
                elements *= dims[d];
            }
            long typeAt = pos;
            int typeId = i32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId);
            if (type == null) {
                if (typeId >= 0 && typeId < 64 && !GgmlType.nameOf(typeId).startsWith("type#"))
                    throw new UnsupportedTensorTypeException(source + ": unsupported tensor type " + GgmlType.nameOf(typeId)
                            + " in tensor " + name + " (at byte offset " + typeAt + ")", typeAt);
                throw error("tensor '" + name + "' has unknown type id " + Integer.toUnsignedString(typeId), typeAt);
            }
            if (dims[0] % type.blockSize != 0)
                throw error("tensor '" + name + "' row length " + dims[0] + " is not a multiple of the " + type + " block size " + type.blockSize, dimsAt);
            long bytes = type.bytesFor(elements);
            if (bytes < 0) throw error("tensor '" + name + "' byte size overflows", dimsAt);
            long offAt = pos;
            long offset = i64("offset of tensor '" + name + "'");
            if (offset < 0 || offset % alignment != 0)
                throw error("tensor '" + name + "' offset " + Long.toUnsignedString(offset) + " is not aligned to " + alignment, offAt);
            tensors.add(new TensorInfo(name, type, dims, offset, bytes));
        }

        long dataOffset = align(pos, alignment);
        if (tensorCount > 0 && dataOffset > size)
            throw error("data section would start at " + dataOffset + ", past the end of the " + size + "-byte file", pos);
        long dataSize = Math.max(0, size - dataOffset);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) order.add(i);
        order.sort(Comparator.comparingLong(i -> tensors.get(i).offset()));
        long prevEnd = 0;
        String prevName = null;
        for (int idx : order) {
            TensorInfo t = tensors.get(idx);
            if (t.offset() > dataSize || t.byteSize() > dataSize - t.offset())
                throw error("tensor '" + t.name() + "' (" + t.byteSize() + " bytes at data offset " + t.offset()
                        + ") extends past the end of the file (data section holds " + dataSize + " bytes)", infoOffsets[idx]);
            if (t.offset() < prevEnd)
                throw error("tensor '" + t.name() + "' at data offset " + t.offset() + " overlaps tensor '" + prevName
                        + "' which ends at " + prevEnd, infoOffsets[idx]);
            prevEnd = t.offset() + t.byteSize();
            prevName = t.name();
        }
        return new Parsed(version, metadata, tensors, alignment, dataOffset);
    }

    private static long align(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    private Object value(GgufValueType type, String field, int depth) throws GgufFormatException {
        return switch (type) {
            case UINT8 -> u8(field);
            case INT8 -> (int) (byte) u8(field);
            case UINT16 -> { need(2, field); int v = seg.get(I16, pos) & 0xFFFF; pos += 2; yield v; }
            case INT16 -> { need(2, field); int v = seg.get(I16, pos); pos += 2; yield v; }
            case UINT32 -> i32(field) & 0xFFFFFFFFL;
            case INT32 -> i32(field);
            case FLOAT32 -> Float.intBitsToFloat(i32(field));
            case BOOL -> {
                long at = pos;
                int b = u8(field);
                if (b > 1) throw error(field + ": BOOL value " + b + " is neither 0 nor 1", at);
                yield b == 1;
            }
            case STRING -> string(field);
            case UINT64, INT64 -> i64(field);
            case FLOAT64 -> Double.longBitsToDouble(i64(field));
            case ARRAY -> array(field, depth);
        };
    }

    private GgufArray array(String field, int depth) throws GgufFormatException {
        long at = pos;
        if (depth >= MAX_ARRAY_DEPTH) throw error(field + ": arrays nested deeper than " + MAX_ARRAY_DEPTH, at);
        int typeId = i32(field + " element type");
        GgufValueType et = GgufValueType.byId(typeId);
        if (et == null) throw error(field + ": unknown array element type " + Integer.toUnsignedString(typeId), at);
        long lenAt = pos;
        long n = i64(field + " array length");
        long minElem = et == GgufValueType.STRING ? 8 : et == GgufValueType.ARRAY ? 12 : et.size;
        if (n < 0 || n > (size - pos) / minElem)
            throw error(field + ": array length " + Long.toUnsignedString(n) + " of " + et + " exceeds the " + (size - pos) + " bytes left", lenAt);
        if (n > MAX_ARRAY_LENGTH) throw error(field + ": array length " + n + " exceeds the limit of " + MAX_ARRAY_LENGTH + " elements", lenAt);
        int len = (int) n;
        String ef = field + " element";
        switch (et) {
            case UINT8, INT8, UINT16, INT16, INT32 -> {
                int[] a = new int[len];
                for (int i = 0; i < len; i++) a[i] = (Integer) value(et, ef, depth + 1);
                return new GgufArray(et, a);
            }
            case UINT32, INT64, UINT64 -> {
                long[] a = new long[len];
                for (int i = 0; i < len; i++) a[i] = (Long) value(et, ef, depth + 1);
                return new GgufArray(et, a);
            }
            case FLOAT32 -> {
                float[] a = new float[len];
                for (int i = 0; i < len; i++) a[i] = Float.intBitsToFloat(i32(ef));
                return new GgufArray(et, a);
            }
            case FLOAT64 -> {
                double[] a = new double[len];
                for (int i = 0; i < len; i++) a[i] = Double.longBitsToDouble(i64(ef));
                return new GgufArray(et, a);
            }
            case BOOL -> {
                boolean[] a = new boolean[len];
                for (int i = 0; i < len; i++) a[i] = (Boolean) value(et, ef, depth + 1);
                return new GgufArray(et, a);
            }
            case STRING -> {
                String[] a = new String[len];
                for (int i = 0; i < len; i++) a[i] = string(ef);
                return new GgufArray(et, a);
            }
            case ARRAY -> {
                List<GgufArray> a = new ArrayList<>(Math.min(len, 1 << 16));
                for (int i = 0; i < len; i++) a.add(array(ef, depth + 1));
                return new GgufArray(et, a);
            }
        }
        throw new AssertionError(et);
    }
}
