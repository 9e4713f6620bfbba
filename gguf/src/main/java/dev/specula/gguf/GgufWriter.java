package dev.specula.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes GGUF files (v3 by default, v2 on request): metadata of any value type, then tensor infos,
 * then the tensor data, each tensor aligned to {@code general.alignment} (default 32) in the order
 * added, as llama.cpp's gguf writer lays them out. Tensor bytes are pulled from {@link TensorSource}s
 * while writing, so multi-gigabyte files stream without being held in memory.
 *
 * <p>Metadata values use the representation of {@link GgufMetadata}: UINT8, INT8, UINT16, INT16,
 * INT32 as Integer (any Number accepted, range-checked); UINT32, INT64, UINT64 as Long; FLOAT32 as
 * Float; FLOAT64 as Double; BOOL as Boolean; STRING as String; ARRAY as {@link GgufArray}.
 */
public final class GgufWriter {
    private static final String ALIGNMENT_KEY = "general.alignment";

    private record Kv(GgufValueType type, Object value) {}

    private record PendingTensor(String name, GgmlType type, long[] dims, long byteSize, TensorSource source) {}

    private int version = 3;
    private final Map<String, Kv> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /** GGUF version to write: 3 (default) or 2 (same layout, older readers). */
    public GgufWriter version(int version) {
        if (version != 2 && version != 3) throw new IllegalArgumentException("can only write GGUF version 2 or 3, not " + version);
        this.version = version;
        return this;
    }

    /** Sets {@code general.alignment} (UINT32, a power of two) for the tensor data. */
    public GgufWriter alignment(int alignment) {
        return put(ALIGNMENT_KEY, GgufValueType.UINT32, (long) alignment);
    }

    /** Adds (or replaces, keeping its position) a metadata key with a value of the given type. */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("metadata key must be a non-empty string");
        Object normalized = normalize(key, type, value, 0);
        if (key.equals(ALIGNMENT_KEY)) {
            // llama.cpp writes UINT32; any integer type is accepted (as the parser does) so files copy unchanged.
            long a = normalized instanceof Integer || normalized instanceof Long ? ((Number) normalized).longValue() : -1;
            if (a <= 0 || Long.bitCount(a) != 1 || a > (1 << 30))
                throw new IllegalArgumentException(ALIGNMENT_KEY + " must be a power of two up to 2^30, got " + type + " " + value);
        }
        metadata.put(key, new Kv(type, normalized));
        return this;
    }

    public GgufWriter putString(String key, String value) { return put(key, GgufValueType.STRING, value); }
    public GgufWriter putBool(String key, boolean value) { return put(key, GgufValueType.BOOL, value); }
    public GgufWriter putUInt8(String key, int value) { return put(key, GgufValueType.UINT8, value); }
    public GgufWriter putInt8(String key, int value) { return put(key, GgufValueType.INT8, value); }
    public GgufWriter putUInt16(String key, int value) { return put(key, GgufValueType.UINT16, value); }
    public GgufWriter putInt16(String key, int value) { return put(key, GgufValueType.INT16, value); }
    public GgufWriter putUInt32(String key, long value) { return put(key, GgufValueType.UINT32, value); }
    public GgufWriter putInt32(String key, int value) { return put(key, GgufValueType.INT32, value); }
    public GgufWriter putUInt64(String key, long value) { return put(key, GgufValueType.UINT64, value); }
    public GgufWriter putInt64(String key, long value) { return put(key, GgufValueType.INT64, value); }
    public GgufWriter putFloat32(String key, float value) { return put(key, GgufValueType.FLOAT32, value); }
    public GgufWriter putFloat64(String key, double value) { return put(key, GgufValueType.FLOAT64, value); }
    public GgufWriter putArray(String key, GgufArray value) { return put(key, GgufValueType.ARRAY, value); }
    public GgufWriter putStrings(String key, String... values) { return putArray(key, new GgufArray(GgufValueType.STRING, values)); }
    public GgufWriter putInt32s(String key, int... values) { return putArray(key, new GgufArray(GgufValueType.INT32, values)); }
    public GgufWriter putFloat32s(String key, float... values) { return putArray(key, new GgufArray(GgufValueType.FLOAT32, values)); }

    /** Copies every key of {@code md} with its original type, in order (e.g. to rewrite a model). */
    public GgufWriter putAll(GgufMetadata md) {
        for (Map.Entry<String, Object> e : md.asMap().entrySet()) put(e.getKey(), md.type(e.getKey()), e.getValue());
        return this;
    }

    /** Removes a metadata key if present. */
    public GgufWriter remove(String key) {
        metadata.remove(key);
        return this;
    }

    /**
     * Adds a tensor whose bytes come from {@code source} at write time. {@code dims[0]} is the
     * innermost dimension (GGML order) and must be a multiple of the type's block size.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, TensorSource source) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("tensor name must be a non-empty string");
        if (tensorNames.contains(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        if (dims.length < 1 || dims.length > GgufParser.MAX_DIMS)
            throw new IllegalArgumentException("tensor '" + name + "' has " + dims.length + " dims (allowed 1.." + GgufParser.MAX_DIMS + ")");
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) throw new IllegalArgumentException("tensor '" + name + "' has a non-positive dim in " + java.util.Arrays.toString(dims));
            elements = Math.multiplyExact(elements, d);
        }
        if (dims[0] % type.blockSize != 0)
            throw new IllegalArgumentException("tensor '" + name + "' row length " + dims[0] + " is not a multiple of the "
                    + type + " block size " + type.blockSize);
        long bytes = type.bytesFor(elements);
        if (bytes < 0) throw new IllegalArgumentException("tensor '" + name + "' byte size overflows");
        tensorNames.add(name);
        tensors.add(new PendingTensor(name, type, dims.clone(), bytes, source));
        return this;
    }

    /** Adds a tensor from its raw bytes, which must be exactly the tensor's byte size. */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] data) {
        checkSize(name, type, dims, data.length);
        return addTensor(name, type, dims, TensorSource.of(data));
    }

    /** Adds a tensor from a segment holding exactly its bytes (e.g. {@link GgufFile#data} of another file). */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, java.lang.foreign.MemorySegment data) {
        checkSize(name, type, dims, data.byteSize());
        return addTensor(name, type, dims, TensorSource.of(data));
    }

    /** Adds a tensor given as floats, stored as {@code type} via the reference quantizers. */
    public GgufWriter addFloatTensor(String name, GgmlType type, long[] dims, float[] values) {
        checkSize(name, GgmlType.F32, dims, 4L * values.length);
        return addTensor(name, type, dims, TensorSource.quantized(type, values));
    }

    private static void checkSize(String name, GgmlType type, long[] dims, long actual) {
        long elements = 1;
        for (long d : dims) elements = d > 0 ? Math.multiplyExact(elements, d) : -1;
        long expected = elements > 0 ? type.bytesFor(elements) : -1;
        if (expected >= 0 && expected != actual)
            throw new IllegalArgumentException("tensor '" + name + "' of " + type + " " + java.util.Arrays.toString(dims)
                    + " needs " + expected + " bytes, got " + actual);
    }

    /** Alignment of the tensor data: {@code general.alignment} when set, else 32. */
    public int alignmentValue() {
        Kv a = metadata.get(ALIGNMENT_KEY);
        return a == null ? GgufFile.DEFAULT_ALIGNMENT : ((Number) a.value()).intValue();
    }

    /** Writes the file to {@code path} (created or truncated). */
    public void write(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch);
        }
    }

    /** The whole file as bytes (for small files: tests, fuzzing). */
    public byte[] toByteArray() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        write(Channels.newChannel(bos));
        return bos.toByteArray();
    }

    /** Writes the file to a channel, starting at its current position. */
    public void write(WritableByteChannel out) throws IOException {
        int alignment = alignmentValue();
        HeaderBuffer h = new HeaderBuffer();
        h.i32(GgufFile.MAGIC);
        h.i32(version);
        h.i64(tensors.size());
        h.i64(metadata.size());
        for (Map.Entry<String, Kv> e : metadata.entrySet()) {
            h.string(e.getKey());
            h.i32(e.getValue().type().id);
            writeValue(h, e.getValue().type(), e.getValue().value());
        }
        long[] offsets = new long[tensors.size()];
        long dataSize = 0;
        for (int i = 0; i < tensors.size(); i++) {
            PendingTensor t = tensors.get(i);
            offsets[i] = dataSize;
            dataSize = align(dataSize + t.byteSize(), alignment);
            h.string(t.name());
            h.i32(t.dims().length);
            for (long d : t.dims()) h.i64(d);
            h.i32(t.type().id);
            h.i64(offsets[i]);
        }
        long headerSize = h.size();
        // The data section starts aligned; a file without tensors ends right after the header (as gguf-py writes it).
        if (!tensors.isEmpty()) h.zeros((int) (align(headerSize, alignment) - headerSize));
        h.writeTo(out);

        CountingChannel counted = new CountingChannel(out);
        for (int i = 0; i < tensors.size(); i++) {
            PendingTensor t = tensors.get(i);
            long before = counted.count;
            t.source().writeTo(counted);
            long written = counted.count - before;
            if (written != t.byteSize())
                throw new IOException("tensor '" + t.name() + "' source wrote " + written + " bytes, expected " + t.byteSize());
            long padded = align(t.byteSize(), alignment);
            TensorSource.writeFully(counted, ByteBuffer.allocate((int) (padded - t.byteSize())));
        }
    }

    private static long align(long x, int alignment) {
        return (x + alignment - 1) / alignment * alignment;
    }

    // ---- values ----

    private static Object normalize(String key, GgufValueType type, Object value, int depth) {
        if (value == null) throw new IllegalArgumentException("metadata '" + key + "': null value");
        String what = "metadata '" + key + "' of type " + type;
        return switch (type) {
            case UINT8 -> Integer.valueOf((int) ranged(what, value, 0, 255));
            case INT8 -> Integer.valueOf((int) ranged(what, value, -128, 127));
            case UINT16 -> Integer.valueOf((int) ranged(what, value, 0, 65535));
            case INT16 -> Integer.valueOf((int) ranged(what, value, -32768, 32767));
            case INT32 -> Integer.valueOf((int) ranged(what, value, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> Long.valueOf(ranged(what, value, 0, 0xFFFFFFFFL));
            case INT64, UINT64 -> Long.valueOf(ranged(what, value, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT32 -> {
                if (value instanceof Number n) yield Float.valueOf(n.floatValue());
                throw new IllegalArgumentException(what + " needs a number, got " + value.getClass().getSimpleName());
            }
            case FLOAT64 -> {
                if (value instanceof Number n) yield Double.valueOf(n.doubleValue());
                throw new IllegalArgumentException(what + " needs a number, got " + value.getClass().getSimpleName());
            }
            case BOOL -> {
                if (value instanceof Boolean b) yield b;
                throw new IllegalArgumentException(what + " needs a Boolean, got " + value.getClass().getSimpleName());
            }
            case STRING -> {
                if (value instanceof String s) yield s;
                throw new IllegalArgumentException(what + " needs a String, got " + value.getClass().getSimpleName());
            }
            case ARRAY -> {
                if (!(value instanceof GgufArray a)) throw new IllegalArgumentException(what + " needs a GgufArray, got " + value.getClass().getSimpleName());
                checkArray(key, a, depth);
                yield a;
            }
        };
    }

    private static long ranged(String what, Object value, long min, long max) {
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte))
            throw new IllegalArgumentException(what + " needs an integer, got " + value.getClass().getSimpleName());
        long v = ((Number) value).longValue();
        if (v < min || v > max) throw new IllegalArgumentException(what + ": value " + v + " is outside " + min + ".." + max);
        return v;
    }

    /** Validates that an array's storage matches its element type (see {@link GgufArray}) and its elements fit. */
    private static void checkArray(String key, GgufArray a, int depth) {
        if (depth >= GgufParser.MAX_ARRAY_DEPTH)
            throw new IllegalArgumentException("metadata '" + key + "': arrays nested deeper than " + GgufParser.MAX_ARRAY_DEPTH);
        GgufValueType et = a.elementType();
        Object v = a.values();
        boolean ok = switch (et) {
            case UINT8, INT8, UINT16, INT16, INT32 -> v instanceof int[];
            case UINT32, INT64, UINT64 -> v instanceof long[];
            case FLOAT32 -> v instanceof float[];
            case FLOAT64 -> v instanceof double[];
            case BOOL -> v instanceof boolean[];
            case STRING -> v instanceof String[];
            case ARRAY -> v instanceof List<?>;
        };
        if (!ok) throw new IllegalArgumentException("metadata '" + key + "': array of " + et + " stored as " + v.getClass().getSimpleName());
        switch (v) {
            case int[] ints -> { for (int x : ints) normalize(key, et, x, depth + 1); }
            case long[] longs -> { if (et == GgufValueType.UINT32) for (long x : longs) normalize(key, et, x, depth + 1); }
            case String[] strings -> { for (String s : strings) normalize(key, et, s, depth + 1); }
            case List<?> list -> { for (Object o : list) normalize(key, GgufValueType.ARRAY, o, depth + 1); }
            default -> { }
        }
    }

    private static void writeValue(HeaderBuffer h, GgufValueType type, Object value) {
        switch (type) {
            case UINT8, INT8 -> h.u8((Integer) value);
            case UINT16, INT16 -> h.i16((Integer) value);
            case INT32 -> h.i32((Integer) value);
            case UINT32 -> h.i32((int) (long) (Long) value);
            case INT64, UINT64 -> h.i64((Long) value);
            case FLOAT32 -> h.i32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> h.i64(Double.doubleToRawLongBits((Double) value));
            case BOOL -> h.u8((Boolean) value ? 1 : 0);
            case STRING -> h.string((String) value);
            case ARRAY -> {
                GgufArray a = (GgufArray) value;
                h.i32(a.elementType().id);
                h.i64(a.length());
                switch (a.values()) {
                    case int[] ints -> { for (int x : ints) writeValue(h, a.elementType(), x); }
                    case long[] longs -> { for (long x : longs) writeValue(h, a.elementType(), x); }
                    case float[] fs -> { for (float x : fs) h.i32(Float.floatToRawIntBits(x)); }
                    case double[] ds -> { for (double x : ds) h.i64(Double.doubleToRawLongBits(x)); }
                    case boolean[] bs -> { for (boolean x : bs) h.u8(x ? 1 : 0); }
                    case String[] ss -> { for (String s : ss) h.string(s); }
                    case List<?> list -> { for (Object o : list) writeValue(h, GgufValueType.ARRAY, o); }
                    default -> throw new IllegalStateException("unexpected array storage " + a.values().getClass());
                }
            }
        }
    }

    /** Growable little-endian buffer for the header (metadata + tensor infos). */
    private static final class HeaderBuffer {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (buf.remaining() >= n) return;
            long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            if (want > Integer.MAX_VALUE - 16) throw new IllegalStateException("GGUF header larger than 2 GiB");
            ByteBuffer bigger = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }

        void u8(int v) { ensure(1); buf.put((byte) v); }
        void i16(int v) { ensure(2); buf.putShort((short) v); }
        void i32(int v) { ensure(4); buf.putInt(v); }
        void i64(long v) { ensure(8); buf.putLong(v); }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            ensure(b.length);
            buf.put(b);
        }

        void zeros(int n) {
            ensure(n);
            for (int i = 0; i < n; i++) buf.put((byte) 0);
        }

        long size() {
            return buf.position();
        }

        void writeTo(WritableByteChannel out) throws IOException {
            ByteBuffer b = buf.duplicate().flip();
            TensorSource.writeFully(out, b);
        }
    }

    /** Counts the bytes passed through to the underlying channel. */
    private static final class CountingChannel implements WritableByteChannel {
        private final WritableByteChannel out;
        long count;

        CountingChannel(WritableByteChannel out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = out.write(src);
            count += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() {
            // the writer's caller owns the underlying channel
        }
    }
}
