package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.gguf.GgmlType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WeightMemoryTest {
    @Test
    void onALinuxKernelWithTransparentHugePagesTheModelAllocatorUsesThem() {
        Optional<String> mode = WeightMemory.transparentHugePageMode();
        boolean offered = mode.filter(m -> m.equals("always") || m.equals("madvise")).isPresent();
        // surefire runs with --enable-native-access=ALL-UNNAMED, so only the kernel decides
        assertEquals(offered, WeightMemory.hugePagesAvailable(), "kernel mode " + mode);
        assertEquals(offered, WeightMemory.forModel().hugePages());
        assertFalse(WeightMemory.plain().hugePages());
    }

    @Test
    void slicesAreZeroedAlignedDisjointAndOfTheRequestedSize() {
        for (WeightMemory memory : List.of(WeightMemory.forModel(), WeightMemory.plain())) {
            List<MemorySegment> slices = new ArrayList<>();
            long[] sizes = {1, 63, 64, 65, 3 << 20, 100_000, 40L << 20, 7}; // one larger than a chunk
            for (long size : sizes) {
                MemorySegment s = memory.allocate(size);
                assertEquals(size, s.byteSize());
                assertEquals(0, s.address() % 64, "64-byte aligned");
                for (long i = 0; i < size; i += 4093) assertEquals(0, s.get(ValueLayout.JAVA_BYTE, i));
                assertEquals(0, s.get(ValueLayout.JAVA_BYTE, size - 1));
                slices.add(s);
            }
            for (int i = 0; i < slices.size(); i++) {
                slices.get(i).fill((byte) (i + 1));
            }
            for (int i = 0; i < slices.size(); i++) { // no slice overwrote another
                MemorySegment s = slices.get(i);
                assertEquals((byte) (i + 1), s.get(ValueLayout.JAVA_BYTE, 0));
                assertEquals((byte) (i + 1), s.get(ValueLayout.JAVA_BYTE, s.byteSize() - 1));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> WeightMemory.plain().allocate(-1));
    }

    @Test
    void hugePageChunksAreAdvisedToTheKernel() throws IOException {
        WeightMemory memory = WeightMemory.forModel();
        if (!memory.hugePages()) return; // checked by the first test: only where the kernel has no THP
        MemorySegment s = memory.allocate(8L << 20);
        s.fill((byte) 1);
        // the mapping holding s must be marked for huge pages ("hg" in VmFlags of /proc/self/smaps)
        String vmFlags = null;
        for (String block : Files.readString(Path.of("/proc/self/smaps")).split("\n(?=[0-9a-f]+-[0-9a-f]+ )")) {
            String[] range = block.substring(0, block.indexOf(' ')).split("-");
            long start = Long.parseUnsignedLong(range[0], 16), end = Long.parseUnsignedLong(range[1], 16);
            if (start <= s.address() && s.address() + s.byteSize() <= end) {
                vmFlags = block.lines().filter(l -> l.startsWith("VmFlags:")).findFirst().orElse("");
            }
        }
        assertTrue(vmFlags != null, "no mapping holds the slice");
        assertTrue((" " + vmFlags + " ").contains(" hg "), vmFlags);
    }

    @Test
    void aMatrixInModelMemoryMultipliesToTheSameBits() {
        int rows = 64, cols = 256;
        for (GgmlType type : List.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q6_K, GgmlType.F16)) {
            Random rnd = new Random(7);
            MemorySegment data = RandomWeights.matrix(type, rows, cols, rnd);
            WeightMatrix plain = WeightMatrices.load(type, data, rows, cols);
            WeightMatrix model = WeightMatrices.load(type, data, rows, cols, WeightMemory.forModel());
            float[] x = RandomWeights.activations(3 * cols, rnd);
            float[] a = new float[3 * rows], b = new float[3 * rows];
            plain.multiply(x, cols, a, rows, 3, 0, rows);
            model.multiply(x, cols, b, rows, 3, 0, rows);
            assertArrayEquals(a, b, type.toString());
        }
    }
}
