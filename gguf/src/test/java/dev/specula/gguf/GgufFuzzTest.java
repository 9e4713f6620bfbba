package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the parser with real files from ../shared: bit flips, length and count
 * fields set to hostile values, type ids replaced, truncation at every structure boundary, byte
 * insertions and deletions. Every case must parse or throw {@link GgufFormatException}, within 1 s.
 *
 * <p>The corpus is small on purpose: the golden quant files, stories260K, the tiny random llama
 * fixture, and shrunken copies of the vocab files and the pycode-7m model (arrays cut to 300
 * elements, each tensor cut to one row) made with {@link GgufWriter}, so that 10,000+ cases run in
 * seconds while covering every metadata and tensor-info structure those files use.
 */
class GgufFuzzTest {
    private static final int CASES_PER_FILE = 600;
    private static final long SEED = 0x5EED_F022L;

    /** A field of the file layout: where it starts and how many bytes it has. */
    record Field(int offset, int width, String what) {}

    @Test
    void mutatedFilesParseOrFailWithAFormatException() throws IOException {
        List<byte[]> corpus = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path p : corpusFiles()) {
            byte[] bytes = Files.size(p) > (2 << 20) || p.toString().contains("vocab") ? shrunk(p) : Files.readAllBytes(p);
            corpus.add(bytes);
            names.add(p.getFileName().toString());
        }
        Random rng = new Random(SEED);
        int cases = 0, parsed = 0;
        for (int f = 0; f < corpus.size(); f++) {
            byte[] original = corpus.get(f);
            List<Field> fields = layout(original);
            // Truncation at every structure boundary.
            for (Field field : fields) {
                check(names.get(f), "truncate at " + field.offset() + " (" + field.what() + ")", Arrays.copyOf(original, field.offset()));
                cases++;
            }
            for (int i = 0; i < CASES_PER_FILE; i++) {
                long caseSeed = rng.nextLong();
                Random r = new Random(caseSeed);
                byte[] mutated = mutate(original, fields, r);
                if (check(names.get(f), "seed " + caseSeed, mutated)) parsed++;
                cases++;
            }
        }
        assertTrue(cases >= 10_000, "only " + cases + " fuzz cases ran");
        assertTrue(parsed > 0, "no mutated file parsed: the mutations are too destructive to exercise the success path");
    }

    private static List<Path> corpusFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(SharedData.require("models/llama.cpp-vocab"))) {
            s.filter(p -> p.toString().endsWith(".gguf")).sorted().forEach(files::add);
        }
        files.add(SharedData.require("models/tinystories-260K/stories260K-f32.gguf"));
        files.add(SharedData.require("models/gguf-fixtures/llama-2-tiny-random.gguf"));
        files.add(SharedData.require("models/pycode/pycode-7m-q8_0.gguf"));
        for (String q : new String[] {"Q2_K", "Q4_K", "Q6_K", "IQ4_XS", "Q5_1"}) files.add(SharedData.require("golden/quants/" + q + ".gguf"));
        return files;
    }

    /** Parses one case; true when it parsed. Anything but a GgufFormatException, or more than 1 s, fails. */
    private static boolean check(String file, String what, byte[] bytes) {
        long start = System.nanoTime();
        try (GgufFile g = GgufFile.parse(MemorySegment.ofArray(bytes), "fuzz")) {
            float[] block = new float[256];
            for (TensorInfo t : g.tensors()) {
                Dequantize.toFloat(t.type(), g.data(t), 0, block, 0, t.type().blockSize);
            }
            return true;
        } catch (GgufFormatException expected) {
            return false;
        } catch (Throwable t) {
            fail(file + " " + what + ": " + t, t);
            return false;
        } finally {
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (ms > 1000) fail(file + " " + what + ": took " + ms + " ms");
        }
    }

    private static final long[] HOSTILE = {0, 1, -1, 1L << 31, (1L << 32) - 1, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE,
            Long.MIN_VALUE, 0x7FFFFFFF, 0x80000000L};

    private static byte[] mutate(byte[] original, List<Field> fields, Random r) {
        byte[] b = original.clone();
        int kind = r.nextInt(6);
        switch (kind) {
            case 0 -> { // bit flips, mostly in the header region
                int headerEnd = fields.isEmpty() ? b.length : fields.getLast().offset() + fields.getLast().width();
                int flips = 1 + r.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int at = r.nextInt(4) == 0 ? r.nextInt(b.length) : r.nextInt(Math.max(1, Math.min(headerEnd, b.length)));
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1, 2 -> { // a length/count/type/dim field set to a hostile or random value
                Field f = fields.get(r.nextInt(fields.size()));
                long v = r.nextBoolean() ? HOSTILE[r.nextInt(HOSTILE.length)] : r.nextLong() >>> r.nextInt(64);
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                switch (f.width()) {
                    case 8 -> bb.putLong(f.offset(), v);
                    case 4 -> bb.putInt(f.offset(), (int) v);
                    case 2 -> bb.putShort(f.offset(), (short) v);
                    default -> b[f.offset()] = (byte) v;
                }
            }
            case 3 -> { // truncation at a random point
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 4 -> { // delete or duplicate a run of bytes inside the header
                Field f = fields.get(r.nextInt(fields.size()));
                int len = 1 + r.nextInt(16);
                int at = f.offset();
                if (r.nextBoolean()) {
                    int end = Math.min(b.length, at + len);
                    byte[] out = new byte[b.length - (end - at)];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, end, out, at, b.length - end);
                    return out;
                }
                len = Math.min(len, b.length - at);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            default -> { // two fields swapped
                Field f = fields.get(r.nextInt(fields.size())), g = fields.get(r.nextInt(fields.size()));
                int w = Math.min(f.width(), g.width());
                byte[] tmp = Arrays.copyOfRange(b, f.offset(), f.offset() + w);
                System.arraycopy(b, g.offset(), b, f.offset(), w);
                System.arraycopy(tmp, 0, b, g.offset(), w);
            }
        }
        return b;
    }

    /**
     * The fixed-size fields of a valid file (header, key/value lengths and types, array headers,
     * the first elements of each array, tensor infos), in file order.
     */
    static List<Field> layout(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(0, 4, "magic"));
        fields.add(new Field(4, 4, "version"));
        fields.add(new Field(8, 8, "tensor_count"));
        fields.add(new Field(16, 8, "kv_count"));
        long tensors = b.getLong(8), kvs = b.getLong(16);
        b.position(24);
        for (long i = 0; i < kvs; i++) {
            string(b, fields, "key");
            fields.add(new Field(b.position(), 4, "value type"));
            value(b, fields, b.getInt(), 0);
        }
        for (long i = 0; i < tensors; i++) {
            string(b, fields, "tensor name");
            fields.add(new Field(b.position(), 4, "n_dims"));
            int nDims = b.getInt();
            for (int d = 0; d < nDims; d++) {
                fields.add(new Field(b.position(), 8, "dim"));
                b.getLong();
            }
            fields.add(new Field(b.position(), 4, "tensor type"));
            b.getInt();
            fields.add(new Field(b.position(), 8, "tensor offset"));
            b.getLong();
        }
        return fields;
    }

    private static void string(ByteBuffer b, List<Field> fields, String what) {
        fields.add(new Field(b.position(), 8, what + " length"));
        long len = b.getLong();
        b.position(b.position() + (int) len);
    }

    private static void value(ByteBuffer b, List<Field> fields, int typeId, int depth) {
        GgufValueType t = GgufValueType.byId(typeId);
        switch (t) {
            case STRING -> string(b, fields, "string");
            case ARRAY -> {
                fields.add(new Field(b.position(), 4, "array element type"));
                int et = b.getInt();
                fields.add(new Field(b.position(), 8, "array length"));
                long n = b.getLong();
                GgufValueType type = GgufValueType.byId(et);
                for (long i = 0; i < n; i++) {
                    if (i < 8 || type.size < 0) {
                        int before = fields.size();
                        int at = b.position();
                        value(b, fields, et, depth + 1);
                        if (i >= 8) while (fields.size() > before) fields.removeLast(); // keep the walk, not the fields
                        if (type.size > 0 && i < 8) fields.add(new Field(at, type.size, "array element"));
                    } else {
                        b.position(b.position() + (int) ((n - i) * type.size));
                        break;
                    }
                }
            }
            default -> {
                fields.add(new Field(b.position(), t.size, t + " value"));
                b.position(b.position() + t.size);
            }
        }
    }

    /** The file rewritten small: arrays over 300 elements cut to 300, each tensor cut to its first row. */
    private static byte[] shrunk(Path p) throws IOException {
        try (GgufFile f = GgufFile.open(p)) {
            GgufWriter w = new GgufWriter().version(f.version());
            for (String key : f.metadata().keys()) {
                Object v = f.metadata().get(key);
                if (v instanceof GgufArray a && a.length() > 300) v = head(a, 300);
                w.put(key, f.metadata().type(key), v);
            }
            for (TensorInfo t : f.tensors()) {
                long[] dims = {t.cols()};
                long bytes = t.type().bytesFor(t.cols());
                w.addTensor(t.name(), t.type(), dims, f.data(t).asSlice(0, bytes).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
            return w.toByteArray();
        }
    }

    private static GgufArray head(GgufArray a, int n) {
        Object v = switch (a.values()) {
            case int[] x -> Arrays.copyOf(x, n);
            case long[] x -> Arrays.copyOf(x, n);
            case float[] x -> Arrays.copyOf(x, n);
            case double[] x -> Arrays.copyOf(x, n);
            case boolean[] x -> Arrays.copyOf(x, n);
            case String[] x -> Arrays.copyOf(x, n);
            case List<?> x -> List.copyOf(x.subList(0, n));
            default -> throw new IllegalStateException();
        };
        return new GgufArray(a.elementType(), v);
    }
}
