package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Write-then-parse round trips of {@link GgufWriter} for every metadata value type and tensor type. */
class GgufWriterTest {

    private static GgufFile parse(byte[] bytes) throws GgufFormatException {
        return GgufFile.parse(MemorySegment.ofArray(bytes), "written.gguf");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyMetadataTypeRoundTrips(int version) throws IOException {
        GgufArray nested = new GgufArray(GgufValueType.ARRAY, List.of(
                new GgufArray(GgufValueType.STRING, new String[] {"a", "", "ü€😀"}),
                new GgufArray(GgufValueType.ARRAY, List.of(new GgufArray(GgufValueType.INT32, new int[] {-1, 2}))),
                new GgufArray(GgufValueType.FLOAT64, new double[0])));
        GgufWriter w = new GgufWriter().version(version)
                .putUInt8("u8", 255).putInt8("i8", -128).putUInt16("u16", 65535).putInt16("i16", -32768)
                .putUInt32("u32", 0xFFFFFFFFL).putInt32("i32", Integer.MIN_VALUE)
                .putUInt64("u64", -1L).putInt64("i64", Long.MIN_VALUE)
                .putFloat32("f32", -0.0f).putFloat64("f64", Math.PI).putBool("t", true).putBool("f", false)
                .putString("s", "héllo\nwörld").putString("empty", "")
                .putArray("a.u8", new GgufArray(GgufValueType.UINT8, new int[] {0, 200, 255}))
                .putArray("a.i8", new GgufArray(GgufValueType.INT8, new int[] {-128, 0, 127}))
                .putArray("a.u16", new GgufArray(GgufValueType.UINT16, new int[] {0, 65535}))
                .putArray("a.i16", new GgufArray(GgufValueType.INT16, new int[] {-32768, 32767}))
                .putArray("a.u32", new GgufArray(GgufValueType.UINT32, new long[] {0, 0xFFFFFFFFL}))
                .putInt32s("a.i32", 1, -2, 3)
                .putArray("a.u64", new GgufArray(GgufValueType.UINT64, new long[] {-1L, 5}))
                .putArray("a.i64", new GgufArray(GgufValueType.INT64, new long[] {Long.MAX_VALUE}))
                .putFloat32s("a.f32", 1.5f, Float.NaN, Float.NEGATIVE_INFINITY)
                .putArray("a.f64", new GgufArray(GgufValueType.FLOAT64, new double[] {-2.25}))
                .putArray("a.bool", new GgufArray(GgufValueType.BOOL, new boolean[] {true, false, true}))
                .putStrings("a.str", "x", "", "日本")
                .putArray("a.empty", new GgufArray(GgufValueType.INT32, new int[0]))
                .putArray("a.nested", nested);
        try (GgufFile f = parse(w.toByteArray())) {
            GgufMetadata md = f.metadata();
            assertEquals(version, f.version());
            assertEquals(List.of("u8", "i8", "u16", "i16", "u32", "i32", "u64", "i64", "f32", "f64", "t", "f", "s", "empty",
                    "a.u8", "a.i8", "a.u16", "a.i16", "a.u32", "a.i32", "a.u64", "a.i64", "a.f32", "a.f64", "a.bool", "a.str",
                    "a.empty", "a.nested"), List.copyOf(md.keys()));
            assertEquals(255, md.get("u8"));
            assertEquals(GgufValueType.UINT8, md.type("u8"));
            assertEquals(-128, md.get("i8"));
            assertEquals(65535, md.get("u16"));
            assertEquals(-32768, md.get("i16"));
            assertEquals(0xFFFFFFFFL, md.get("u32"));
            assertEquals(GgufValueType.UINT32, md.type("u32"));
            assertEquals(Integer.MIN_VALUE, md.get("i32"));
            assertEquals(-1L, md.get("u64"));
            assertEquals(GgufValueType.UINT64, md.type("u64"));
            assertEquals(Long.MIN_VALUE, md.get("i64"));
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) md.get("f32")));
            assertEquals(Math.PI, md.get("f64"));
            assertEquals(true, md.get("t"));
            assertEquals(false, md.get("f"));
            assertEquals("héllo\nwörld", md.get("s"));
            assertEquals("", md.get("empty"));
            assertArrayEquals(new int[] {0, 200, 255}, (int[]) md.getArray("a.u8").values());
            assertEquals(GgufValueType.UINT8, md.getArray("a.u8").elementType());
            assertArrayEquals(new int[] {-128, 0, 127}, (int[]) md.getArray("a.i8").values());
            assertArrayEquals(new int[] {0, 65535}, (int[]) md.getArray("a.u16").values());
            assertArrayEquals(new int[] {-32768, 32767}, (int[]) md.getArray("a.i16").values());
            assertArrayEquals(new long[] {0, 0xFFFFFFFFL}, (long[]) md.getArray("a.u32").values());
            assertArrayEquals(new int[] {1, -2, 3}, md.getIntArray("a.i32"));
            assertArrayEquals(new long[] {-1L, 5}, (long[]) md.getArray("a.u64").values());
            assertArrayEquals(new long[] {Long.MAX_VALUE}, (long[]) md.getArray("a.i64").values());
            float[] fs = md.getFloatArray("a.f32");
            assertEquals(1.5f, fs[0]);
            assertTrue(Float.isNaN(fs[1]));
            assertEquals(Float.NEGATIVE_INFINITY, fs[2]);
            assertArrayEquals(new double[] {-2.25}, (double[]) md.getArray("a.f64").values());
            assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) md.getArray("a.bool").values());
            assertArrayEquals(new String[] {"x", "", "日本"}, md.getStringArray("a.str"));
            assertEquals(0, md.getArray("a.empty").length());
            List<?> outer = (List<?>) md.getArray("a.nested").values();
            assertEquals(3, outer.size());
            assertArrayEquals(new String[] {"a", "", "ü€😀"}, ((GgufArray) outer.get(0)).asStrings("inner"));
            GgufArray inner = (GgufArray) ((List<?>) ((GgufArray) outer.get(1)).values()).get(0);
            assertArrayEquals(new int[] {-1, 2}, (int[]) inner.values());
            assertEquals(GgufValueType.FLOAT64, ((GgufArray) outer.get(2)).elementType());
            assertEquals(0, ((GgufArray) outer.get(2)).length());
            assertEquals(0, f.tensors().size());
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void everyTensorTypeRoundTrips(GgmlType type) throws IOException {
        int cols = 512;
        byte[] a = RandomBlocks.generate(type, RandomBlocks.generator(1), cols * 3, 0.02f);
        byte[] b = RandomBlocks.generate(type, RandomBlocks.generator(2), cols, 0.02f);
        GgufWriter w = new GgufWriter().alignment(64).putString("general.architecture", "test")
                .addTensor("a", type, new long[] {cols, 3}, a)
                .addTensor("b.weight", type, new long[] {cols}, b);
        try (GgufFile f = parse(w.toByteArray())) {
            assertEquals(64, f.alignment());
            assertEquals(0, f.dataOffset() % 64);
            TensorInfo ta = f.tensor("a"), tb = f.tensor("b.weight");
            assertEquals(type, ta.type());
            assertArrayEquals(new long[] {cols, 3}, ta.dims());
            assertArrayEquals(new long[] {cols}, tb.dims());
            assertEquals(0, ta.offset());
            assertEquals((a.length + 63) / 64 * 64, tb.offset());
            assertArrayEquals(a, f.data(ta).toArray(ValueLayout.JAVA_BYTE));
            assertArrayEquals(b, f.data(tb).toArray(ValueLayout.JAVA_BYTE));
            assertEquals(f.dataOffset() + (b.length + 63) / 64 * 64 + tb.offset(), f.fileSize());
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void floatTensorsAreQuantizedByTheReferenceQuantizer(GgmlType type) throws IOException {
        float[] values = new float[256 * 2];
        var rng = RandomBlocks.generator(7);
        for (int i = 0; i < values.length; i++) values[i] = (float) rng.nextGaussian() * 0.05f;
        GgufWriter w = new GgufWriter().addFloatTensor("w", type, new long[] {256, 2}, values);
        try (GgufFile f = parse(w.toByteArray())) {
            assertArrayEquals(Quantize.fromFloat(type, values, 0, values.length), f.data(f.tensor("w")).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Test
    void streamsLargeTensorsFromSourcesToAFile(@TempDir Path dir) throws IOException {
        long elements = 4L << 20; // 4 Mi Q4_0 elements = 2.25 MiB, several chunks
        Path file = dir.resolve("big.gguf");
        new GgufWriter().addTensor("big", GgmlType.Q4_0, new long[] {4096, elements / 4096},
                RandomBlocks.source(GgmlType.Q4_0, 42, elements, 0.02f)).write(file);
        byte[] expected = RandomBlocks.generate(GgmlType.Q4_0, RandomBlocks.generator(42), (int) elements, 0.02f);
        try (GgufFile f = GgufFile.open(file)) {
            assertEquals(-1L, f.data(f.tensor("big")).mismatch(MemorySegment.ofArray(expected)));
            assertEquals(Files.size(file), f.fileSize());
        }
    }

    @Test
    void rejectsInvalidInput() {
        GgufWriter w = new GgufWriter();
        assertEquals("metadata 'k' of type UINT8: value 256 is outside 0..255",
                assertThrows(IllegalArgumentException.class, () -> w.putUInt8("k", 256)).getMessage());
        assertEquals("metadata 'k' of type UINT32: value -1 is outside 0..4294967295",
                assertThrows(IllegalArgumentException.class, () -> w.putUInt32("k", -1)).getMessage());
        assertEquals("metadata 'k' of type STRING needs a String, got Integer",
                assertThrows(IllegalArgumentException.class, () -> w.put("k", GgufValueType.STRING, 5)).getMessage());
        assertEquals("metadata 'k': array of INT32 stored as long[]",
                assertThrows(IllegalArgumentException.class,
                        () -> w.putArray("k", new GgufArray(GgufValueType.INT32, new long[] {1}))).getMessage());
        assertEquals("general.alignment must be a power of two up to 2^30, got UINT32 48",
                assertThrows(IllegalArgumentException.class, () -> w.alignment(48)).getMessage());
        assertEquals("general.alignment must be a power of two up to 2^30, got STRING 32",
                assertThrows(IllegalArgumentException.class, () -> w.putString("general.alignment", "32")).getMessage());
        assertEquals("can only write GGUF version 2 or 3, not 1",
                assertThrows(IllegalArgumentException.class, () -> w.version(1)).getMessage());
        assertEquals("tensor 't' row length 20 is not a multiple of the Q8_0 block size 32",
                assertThrows(IllegalArgumentException.class,
                        () -> w.addTensor("t", GgmlType.Q8_0, new long[] {20}, new byte[0])).getMessage());
        assertEquals("tensor 't' of Q8_0 [32, 2] needs 68 bytes, got 34",
                assertThrows(IllegalArgumentException.class,
                        () -> w.addTensor("t", GgmlType.Q8_0, new long[] {32, 2}, new byte[34])).getMessage());
        w.addTensor("t", GgmlType.F32, new long[] {4}, new byte[16]);
        assertEquals("duplicate tensor name 't'",
                assertThrows(IllegalArgumentException.class,
                        () -> w.addTensor("t", GgmlType.F32, new long[] {4}, new byte[16])).getMessage());
        w.addTensor("short", GgmlType.F32, new long[] {4}, out -> out.write(ByteBuffer.allocate(12)));
        assertEquals("tensor 'short' source wrote 12 bytes, expected 16",
                assertThrows(IOException.class, w::toByteArray).getMessage());
    }
}
