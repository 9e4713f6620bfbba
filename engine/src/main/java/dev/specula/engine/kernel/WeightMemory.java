package dev.specula.engine.kernel;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Off-heap memory for one model's repacked weights, carved into 64-byte-aligned slices from a few
 * large chunks. On Linux the chunks are anonymous mappings aligned to 2 MiB and advised
 * {@code MADV_HUGEPAGE}, so the kernel backs them with transparent huge pages: a mat-vec streams its
 * weights from DRAM, and with 4 KiB pages every 4 KiB of weights costs a TLB miss and a restart of the
 * hardware prefetcher, which measured as a 1.6x slower Q8_0 mat-vec on this project's VMs (6.7 vs
 * 11 GB/s). One matrix alone is often smaller than a huge page (a pycode-88m layer's are 0.2-1.6 MB),
 * hence one allocator per model rather than one mapping per matrix.
 *
 * <p>Elsewhere (another OS, the C library not found, a failed mapping, or
 * {@code -Dspecula.hugepages=false}) each slice is a plain {@code Arena.ofAuto()} allocation, as
 * before. Either way the memory is zeroed and freed once no slice of it is reachable. The native calls
 * ({@code mmap}, {@code madvise}, {@code munmap} of the C library the JVM itself runs on) need
 * {@code --enable-native-access=ALL-UNNAMED}, which every Specula launcher passes; without it the
 * plain allocation is used.
 */
public final class WeightMemory {
    private static final long HUGE_PAGE = 2L << 20;
    private static final long CHUNK = 32L << 20;
    private static final int ALIGN = 64;

    private final Arena arena = Arena.ofAuto();
    private final boolean mapped;
    private MemorySegment chunk;
    private long used;

    private WeightMemory(boolean mapped) {
        this.mapped = mapped;
    }

    /** An allocator backed by huge-page-advised mappings where {@link #hugePagesAvailable()} says so. */
    public static WeightMemory forModel() {
        return new WeightMemory(hugePagesAvailable());
    }

    /** An allocator of plain {@code Arena.ofAuto()} slices (for a single matrix, or tests). */
    public static WeightMemory plain() {
        return new WeightMemory(false);
    }

    /** Whether slices come from huge-page-advised mappings. */
    public boolean hugePages() {
        return mapped;
    }

    /**
     * {@code bytes} zeroed bytes aligned to 64, alive as long as the returned segment (or any other
     * slice of this allocator) is reachable.
     *
     * @throws OutOfMemoryError when the memory cannot be had
     */
    public synchronized MemorySegment allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative allocation " + bytes);
        if (!mapped) return Arena.ofAuto().allocate(Math.max(bytes, 1), ALIGN);
        long size = (bytes + ALIGN - 1) & -ALIGN;
        if (chunk == null || chunk.byteSize() - used < size) {
            MemorySegment fresh = Native.map(Math.max(CHUNK, (size + HUGE_PAGE - 1) & -HUGE_PAGE), arena);
            if (fresh == null) return Arena.ofAuto().allocate(Math.max(bytes, 1), ALIGN); // mapping refused: plain memory
            chunk = fresh;
            used = 0;
        }
        MemorySegment slice = chunk.asSlice(used, bytes);
        used += size;
        return slice;
    }

    /**
     * True on Linux when the C library's {@code mmap}/{@code madvise} are reachable, the kernel offers
     * transparent huge pages ({@code enabled} is {@code always} or {@code madvise}) and
     * {@code -Dspecula.hugepages} is not {@code false}.
     */
    public static boolean hugePagesAvailable() {
        return Native.AVAILABLE && !"false".equalsIgnoreCase(System.getProperty("specula.hugepages"))
                && transparentHugePageMode().map(m -> m.equals("always") || m.equals("madvise")).orElse(false);
    }

    /** The kernel's transparent huge page mode ({@code always}, {@code madvise}, {@code never}), if it has one. */
    public static java.util.Optional<String> transparentHugePageMode() {
        try {
            String s = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            int open = s.indexOf('['), close = s.indexOf(']');
            return open >= 0 && close > open ? java.util.Optional.of(s.substring(open + 1, close)) : java.util.Optional.empty();
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The C library calls, looked up once; {@link #AVAILABLE} is false where they are not. */
    private static final class Native {
        private static final int PROT_READ_WRITE = 0x1 | 0x2;
        private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20; // Linux x86-64 and aarch64
        private static final int MADV_HUGEPAGE = 14;
        private static final MethodHandle MMAP, MADVISE, MUNMAP;
        static final boolean AVAILABLE;

        static {
            MethodHandle mmap = null, madvise = null, munmap = null;
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch", "");
            boolean nativeAccess = WeightMemory.class.getModule().isNativeAccessEnabled(); // without it the JDK would warn
            if (nativeAccess && os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
                try {
                    Linker linker = Linker.nativeLinker();
                    SymbolLookup libc = linker.defaultLookup();
                    ValueLayout size = ValueLayout.JAVA_LONG;
                    mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS, size, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, size));
                    madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, size, ValueLayout.JAVA_INT));
                    munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, size));
                } catch (RuntimeException e) { // no such symbol, or native access denied
                    mmap = madvise = munmap = null;
                }
            }
            MMAP = mmap;
            MADVISE = madvise;
            MUNMAP = munmap;
            AVAILABLE = munmap != null;
        }

        /**
         * A fresh zero-filled mapping of {@code size} bytes (a multiple of 2 MiB) starting on a 2 MiB
         * boundary, advised for huge pages, unmapped by {@code arena}'s cleaner; null if the mapping fails.
         */
        static MemorySegment map(long size, Arena arena) {
            long reserve = size + HUGE_PAGE; // room to slide the start up to a huge-page boundary
            try {
                MemorySegment base = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, reserve, PROT_READ_WRITE,
                        MAP_PRIVATE_ANONYMOUS, -1, 0L);
                if (base.address() == -1L || base.address() == 0L) return null; // MAP_FAILED
                long start = (base.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
                MemorySegment whole = base.reinterpret(reserve, arena, Native::unmap);
                MemorySegment usable = whole.asSlice(start - base.address(), size);
                int ignored = (int) MADVISE.invokeExact(usable, size, MADV_HUGEPAGE); // a refusal only costs the speed-up
                return usable;
            } catch (Throwable e) {
                return null;
            }
        }

        private static void unmap(MemorySegment region) {
            try {
                int ignored = (int) MUNMAP.invokeExact(region, region.byteSize());
            } catch (Throwable e) {
                // nothing to do in a cleaner thread: the address space stays reserved
            }
        }
    }
}
