package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of format violation is a {@link GgufFormatException} whose message names the file, the
 * field and the byte offset, and hostile sizes are rejected before anything is allocated.
 */
class GgufValidationTest {
    private static final String NAME = "t.gguf";

    /** Little-endian builder of raw (possibly invalid) GGUF bytes that remembers field offsets. */
    static final class Raw {
        private final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        int pos() { return b.position(); }
        Raw u8(int v) { b.put((byte) v); return this; }
        Raw i32(int v) { b.putInt(v); return this; }
        Raw i64(long v) { b.putLong(v); return this; }
        Raw str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putLong(bytes.length);
            b.put(bytes);
            return this;
        }
        Raw header(int version, long tensors, long kvs) { return i32(GgufFile.MAGIC).i32(version).i64(tensors).i64(kvs); }
        Raw padTo(int alignment) {
            while (b.position() % alignment != 0) b.put((byte) 0);
            return this;
        }
        Raw zeros(int n) { for (int i = 0; i < n; i++) b.put((byte) 0); return this; }
        byte[] bytes() { return Arrays.copyOf(b.array(), b.position()); }
    }

    private static GgufFormatException fails(byte[] bytes) {
        return assertThrows(GgufFormatException.class, () -> GgufFile.parse(MemorySegment.ofArray(bytes), NAME));
    }

    private static void assertFails(String message, long offset, byte[] bytes) {
        GgufFormatException e = fails(bytes);
        assertEquals(NAME + ": " + message + " (at byte offset " + offset + ")", e.getMessage());
        assertEquals(offset, e.offset());
    }

    /** One F32 tensor info [dims] at the given offset, then padding and {@code dataBytes} of data. */
    private static Raw oneTensor(long[] dims, int typeId, long offset) {
        Raw r = new Raw().header(3, 1, 0).str("w").i32(dims.length);
        for (long d : dims) r.i64(d);
        return r.i32(typeId).i64(offset);
    }

    @Test
    void badMagic() {
        byte[] bytes = new Raw().i32(0x58554747).i32(3).i64(0).i64(0).bytes();
        assertFails("not a GGUF file: magic is 0x58554747, expected 0x46554747 (\"GGUF\")", 0, bytes);
        assertFails("not a GGUF file: 2 bytes is shorter than the 4-byte magic", 0, new byte[] {'G', 'G'});
    }

    @Test
    void unsupportedVersions() {
        assertFails("GGUF version 1 is not supported (only 2 and 3); re-convert the model with a current llama.cpp", 4,
                new Raw().header(1, 0, 0).bytes());
        assertFails("unsupported GGUF version 99 (supported: 2, 3)", 4, new Raw().header(99, 0, 0).bytes());
    }

    @Test
    void truncationAtEveryByteOfAValidFileFails() throws IOException {
        byte[] full = new GgufWriter().putString("general.architecture", "llama").putStrings("tokens", "a", "bc")
                .putUInt32("n", 7).putArray("nested", new GgufArray(GgufValueType.ARRAY,
                        java.util.List.of(new GgufArray(GgufValueType.BOOL, new boolean[] {true}))))
                .addTensor("w", GgmlType.Q8_0, new long[] {32, 2}, new byte[68])
                .addTensor("b", GgmlType.F32, new long[] {3}, new byte[12]).toByteArray();
        try (GgufFile ok = GgufFile.parse(MemorySegment.ofArray(full), NAME)) {
            assertEquals(2, ok.tensors().size());
        }
        for (int cut = 0; cut < full.length - 20; cut++) {
            // The last tensor ends 20 bytes of padding before the end of the file, so every shorter prefix is invalid.
            fails(Arrays.copyOf(full, cut));
        }
        assertFails("truncated file: version needs 4 bytes but only 2 remain of 6", 4, Arrays.copyOf(full, 6));
        assertFails("truncated file: tensor_count needs 8 bytes but only 0 remain of 8", 8, Arrays.copyOf(full, 8));
        assertFails("tensor_count 2 is impossible for a file of 20 bytes", 8, Arrays.copyOf(full, 20));
        assertFails("truncated file: metadata_kv_count needs 8 bytes but only 4 remain of 20", 16,
                Arrays.copyOf(new Raw().header(3, 0, 0).bytes(), 20));
    }

    @Test
    void truncatedTensorData() {
        byte[] bytes = oneTensor(new long[] {8}, 0, 0).padTo(32).zeros(16).bytes();
        assertFails("tensor 'w' (32 bytes at data offset 0) extends past the end of the file (data section holds 16 bytes)", 24, bytes);
    }

    @Test
    void hostileStringLength() {
        byte[] bytes = new Raw().header(3, 0, 1).i64(1L << 62).zeros(8).bytes();
        assertFails("metadata key #0: string length 4611686018427387904 exceeds the 8 bytes left in the file", 24, bytes);
        byte[] value = new Raw().header(3, 0, 1).str("k").i32(GgufValueType.STRING.id).i64(-1L).bytes();
        assertFails("metadata 'k': string length 18446744073709551615 exceeds the 0 bytes left in the file", 37, value);
    }

    @Test
    void hostileCounts() {
        assertFails("tensor_count 1099511627776 is impossible for a file of 24 bytes", 8, new Raw().header(3, 1L << 40, 0).bytes());
        assertFails("metadata_kv_count 18446744073709551615 is impossible for a file of 24 bytes", 16, new Raw().header(3, 0, -1L).bytes());
        byte[] array = new Raw().header(3, 0, 1).str("a").i32(GgufValueType.ARRAY.id).i32(GgufValueType.INT64.id).i64(1L << 61).bytes();
        assertFails("metadata 'a': array length 2305843009213693952 of INT64 exceeds the 0 bytes left", 41, array);
    }

    @Test
    void hostileDims() {
        Raw r = oneTensor(new long[] {1L << 63}, 0, 0);
        assertFails("tensor 'w' dim 0 = 9223372036854775808 is not a positive size", 37, r.padTo(32).bytes());
        Raw overflow = oneTensor(new long[] {1L << 32, 1L << 32}, 0, 0);
        assertFails("tensor 'w' element count overflows (dims [4294967296, 4294967296, 0])".replace(", 0]", "]"), 45,
                overflow.padTo(32).bytes());
        Raw fiveDims = oneTensor(new long[] {1, 1, 1, 1, 1}, 0, 0);
        assertFails("tensor 'w' has n_dims 5 (allowed 1..4)", 33, fiveDims.padTo(32).bytes());
        Raw huge = oneTensor(new long[] {1L << 20, 1L << 20}, 0, 0);
        assertFails("tensor 'w' (4398046511104 bytes at data offset 0) extends past the end of the file (data section holds 0 bytes)",
                24, huge.padTo(32).bytes());
    }

    @Test
    void tensorTypes() {
        assertFails("tensor 'w' has unknown type id 99", 45, oneTensor(new long[] {32}, 99, 0).padTo(32).zeros(64).bytes());
        GgufFormatException e = fails(oneTensor(new long[] {32}, 9, 0).padTo(32).zeros(64).bytes());
        assertInstanceOf(UnsupportedTensorTypeException.class, e);
        assertEquals(NAME + ": unsupported tensor type Q8_1 in tensor w (at byte offset 45)", e.getMessage());
        assertFails("tensor 'w' row length 20 is not a multiple of the Q8_0 block size 32", 33,
                oneTensor(new long[] {20}, 8, 0).padTo(32).zeros(64).bytes());
    }

    @Test
    void tensorPlacement() {
        assertFails("tensor 'w' offset 8 is not aligned to 32", 49, oneTensor(new long[] {4}, 0, 8).padTo(32).zeros(64).bytes());
        Raw two = new Raw().header(3, 2, 0);
        two.str("a").i32(1).i64(16).i32(0).i64(0);
        int bAt = two.pos();
        two.str("b").i32(1).i64(8).i32(0).i64(32);
        assertFails("tensor 'b' at data offset 32 overlaps tensor 'a' which ends at 64", bAt, two.padTo(32).zeros(96).bytes());
        Raw dup = new Raw().header(3, 2, 0);
        dup.str("a").i32(1).i64(8).i32(0).i64(0);
        int dupAt = dup.pos();
        dup.str("a").i32(1).i64(8).i32(0).i64(32);
        assertFails("duplicate tensor name 'a'", dupAt, dup.padTo(32).zeros(64).bytes());
    }

    @Test
    void metadataViolations() {
        Raw dup = new Raw().header(3, 0, 2).str("k").i32(GgufValueType.UINT8.id).u8(1);
        int at = dup.pos();
        dup.str("k").i32(GgufValueType.UINT8.id).u8(2);
        assertFails("duplicate metadata key 'k'", at, dup.bytes());
        assertFails("unknown value type 13 for metadata key 'k'", 33, new Raw().header(3, 0, 1).str("k").i32(13).zeros(4).bytes());
        assertFails("metadata 'k': BOOL value 2 is neither 0 nor 1", 37,
                new Raw().header(3, 0, 1).str("k").i32(GgufValueType.BOOL.id).u8(2).bytes());
        Raw align = new Raw().header(3, 0, 1).str("general.alignment").i32(GgufValueType.UINT32.id);
        int alignAt = align.pos();
        assertFails("general.alignment = 48 (UINT32) is not a positive power of two up to 2^30", alignAt, align.i32(48).bytes());
        Raw zero = new Raw().header(3, 0, 1).str("general.alignment").i32(GgufValueType.UINT32.id);
        assertFails("general.alignment = 0 (UINT32) is not a positive power of two up to 2^30", zero.pos(), zero.i32(0).bytes());
    }

    @Test
    void nestedArrayDepthIsLimited() {
        Raw r = new Raw().header(3, 0, 1).str("deep").i32(GgufValueType.ARRAY.id);
        int depthAt = 0;
        for (int d = 0; d < 9; d++) {
            depthAt = r.pos();
            r.i32(GgufValueType.ARRAY.id).i64(1);
        }
        r.zeros(64);
        assertFails("metadata 'deep' element element element element element element element element: arrays nested deeper than 8",
                depthAt, r.bytes());
        Raw unknown = new Raw().header(3, 0, 1).str("a").i32(GgufValueType.ARRAY.id).i32(42).i64(0);
        assertFails("metadata 'a': unknown array element type 42", 37, unknown.bytes());
    }

    /** A sparse file of {@code size} bytes starting with {@code head}: large without using disk or memory. */
    private static Path sparse(Path dir, byte[] head, long size) throws IOException {
        Path p = java.nio.file.Files.createTempFile(dir, "big", ".gguf");
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(head));
            ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
        }
        return p;
    }

    private static void assertOpenFails(String message, long offset, Path p) {
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p).close());
        assertEquals(p + ": " + message + " (at byte offset " + offset + ")", e.getMessage());
    }

    @Test
    void limitsStopHostileLengthsInsideLargeFiles(@TempDir Path dir) throws IOException {
        long big = 1L << 31; // 2 GiB sparse: every length below is "possible" for the file size
        assertOpenFails("tensor_count 2097152 exceeds the limit of 1048576", 8, sparse(dir, new Raw().header(3, 1 << 21, 0).bytes(), big));
        assertOpenFails("metadata_kv_count 2097152 exceeds the limit of 1048576", 16, sparse(dir, new Raw().header(3, 0, 1 << 21).bytes(), big));
        assertOpenFails("metadata key #0: string length 1073741824 exceeds the limit of 67108864 bytes", 24,
                sparse(dir, new Raw().header(3, 0, 1).i64(1L << 30).bytes(), big));
        byte[] array = new Raw().header(3, 0, 1).str("a").i32(GgufValueType.ARRAY.id).i32(GgufValueType.UINT8.id).i64(1L << 30).bytes();
        assertOpenFails("metadata 'a': array length 1073741824 exceeds the limit of 16777216 elements", 41, sparse(dir, array, big));
    }
}
