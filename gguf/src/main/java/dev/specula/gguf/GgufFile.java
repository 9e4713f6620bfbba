package dev.specula.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed, validated GGUF file (v2 or v3) whose bytes are memory-mapped read-only. Tensor data are
 * zero-copy slices of the mapping; they stay valid until {@link #close()}.
 */
public final class GgufFile implements AutoCloseable {
    public static final int MAGIC = 0x46554747; // "GGUF" little-endian
    public static final int DEFAULT_ALIGNMENT = 32;

    private final String source;
    private final Arena arena;
    private final MemorySegment segment;
    private final int version;
    private final GgufMetadata metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> tensorsByName;
    private final int alignment;
    private final long dataOffset;

    private GgufFile(String source, Arena arena, MemorySegment segment, GgufParser.Parsed parsed) {
        this.source = source;
        this.arena = arena;
        this.segment = segment;
        this.version = parsed.version();
        this.metadata = parsed.metadata();
        this.tensors = List.copyOf(parsed.tensors());
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : tensors) byName.put(t.name(), t);
        this.tensorsByName = Collections.unmodifiableMap(byName);
        this.alignment = parsed.alignment();
        this.dataOffset = parsed.dataOffset();
    }

    /** Maps and parses a GGUF file. Format violations throw {@link GgufFormatException}. */
    public static GgufFile open(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file");
        if (Files.isDirectory(path)) throw new GgufFormatException(path + ": is a directory, not a GGUF file", -1);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            MemorySegment seg = size == 0 ? MemorySegment.NULL.reinterpret(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            GgufParser.Parsed parsed = new GgufParser(path.toString(), seg).parse();
            return new GgufFile(path.toString(), arena, seg, parsed);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Parses GGUF bytes already in memory (tests, fuzzing). The segment must stay alive while the
     * returned file is used; {@link #close()} does not free it.
     */
    public static GgufFile parse(MemorySegment bytes, String sourceName) throws GgufFormatException {
        GgufParser.Parsed parsed = new GgufParser(sourceName, bytes).parse();
        return new GgufFile(sourceName, null, bytes, parsed);
    }

    public String source() {
        return source;
    }

    public int version() {
        return version;
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    public List<TensorInfo> tensors() {
        return tensors;
    }

    public int alignment() {
        return alignment;
    }

    /** Absolute file offset of the data section. */
    public long dataOffset() {
        return dataOffset;
    }

    public long fileSize() {
        return segment.byteSize();
    }

    /** The tensor with this name, or null. */
    public TensorInfo findTensor(String name) {
        return tensorsByName.get(name);
    }

    /** The tensor with this name; a missing tensor is a format error naming it. */
    public TensorInfo tensor(String name) throws GgufFormatException {
        TensorInfo t = tensorsByName.get(name);
        if (t == null) throw new GgufFormatException(source + ": missing tensor '" + name + "'", -1);
        return t;
    }

    /** Zero-copy read-only slice of the tensor's bytes. */
    public MemorySegment data(TensorInfo t) {
        return segment.asSlice(dataOffset + t.offset(), t.byteSize()).asReadOnly();
    }

    /** The whole mapped file. */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
