package dev.specula.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.testing.SharedData;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every GGUF file in ../shared (models, vocab-only files, fixtures, golden quants) parses and
 * satisfies the layout invariants; rewriting one with {@link GgufWriter} reproduces it byte for byte.
 */
class SharedFilesTest {
    private static final long REWRITE_LIMIT = 20L << 20;

    static List<Path> allGgufFiles() throws IOException {
        Path shared = SharedData.root();
        try (Stream<Path> models = Files.walk(SharedData.require("models"));
             Stream<Path> quants = Files.walk(SharedData.require("golden/quants"))) {
            List<Path> files = Stream.concat(models, quants)
                    .filter(p -> p.getFileName().toString().endsWith(".gguf") && Files.isRegularFile(p))
                    .sorted().toList();
            assertTrue(files.size() >= 30, "expected the team's GGUF files under " + shared + ", found " + files.size());
            return files;
        }
    }

    @Test
    void everySharedFileParsesAndIsConsistent() throws IOException {
        for (Path p : allGgufFiles()) {
            try (GgufFile f = GgufFile.open(p)) {
                assertTrue(f.version() == 2 || f.version() == 3, p.toString());
                assertEquals(0, f.dataOffset() % f.alignment(), p + " data offset");
                for (TensorInfo t : f.tensors()) {
                    assertEquals(0, t.offset() % f.alignment(), p + " " + t);
                    assertEquals(t.type().bytesFor(t.elementCount()), t.byteSize(), p + " " + t);
                    assertTrue(f.dataOffset() + t.offset() + t.byteSize() <= f.fileSize(), p + " " + t);
                }
                assertFalse(f.metadata().keys().isEmpty(), p + " has no metadata");
            }
        }
    }

    @Test
    void rewritingReproducesTheFileByteForByte() throws IOException {
        int rewritten = 0;
        for (Path p : allGgufFiles()) {
            if (Files.size(p) > REWRITE_LIMIT) continue;
            try (GgufFile f = GgufFile.open(p)) {
                GgufWriter w = new GgufWriter().version(f.version()).putAll(f.metadata());
                for (TensorInfo t : f.tensors()) w.addTensor(t.name(), t.type(), t.dims(), f.data(t));
                byte[] bytes = w.toByteArray();
                long mismatch = MemorySegment.ofArray(bytes).mismatch(f.segment());
                assertEquals(-1L, mismatch, p + ": rewritten file (" + bytes.length + " bytes) differs from the original ("
                        + f.fileSize() + " bytes) at byte " + mismatch);
                rewritten++;
            }
        }
        assertTrue(rewritten >= 25, "rewrote only " + rewritten + " files");
    }
}
