package dev.specula.bench.bandwidth;

import dev.specula.bench.stats.Summary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A STREAM-like memory-bandwidth probe in Java: "read" sums one large off-heap buffer with vector
 * loads, "triad" computes {@code a[i] = b[i] + s * c[i]} over three arrays (STREAM counts 3 x 4 bytes
 * per element for triad: two reads, one write; write-allocate traffic is not counted). Each thread owns
 * one contiguous slice; the wall time of the slowest thread is the time of a repetition.
 *
 * <p>The working set must be much larger than the last-level cache or the result is a cache bandwidth.
 */
public final class BandwidthProbe implements AutoCloseable {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    /** Keeps the JIT from discarding the read loop. */
    private static volatile float sink;

    /** One thread count's result; GB/s = 1e9 bytes per second. */
    public record Result(int threads, long workingSetBytes, Summary readGBs, Summary triadGBs) {}

    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer;
    private final MemorySegment a, b, c;
    private final long workingSetBytes;

    /** Allocates and touches {@code workingSetBytes} for read and the same total for the three triad arrays. */
    public BandwidthProbe(long workingSetBytes) {
        long unit = (long) F.vectorByteSize() * 64;
        if (workingSetBytes < unit * 3) throw new IllegalArgumentException("working set too small: " + workingSetBytes + " bytes");
        long third = workingSetBytes / 3 / unit * unit;
        long total = third * 3;
        this.workingSetBytes = total;
        this.readBuffer = arena.allocate(total, 64);
        this.a = arena.allocate(third, 64);
        this.b = arena.allocate(third, 64);
        this.c = arena.allocate(third, 64);
        // touch every page so the first repetition does not measure page faults
        readBuffer.fill((byte) 1);
        b.fill((byte) 1);
        c.fill((byte) 1);
        a.fill((byte) 0);
    }

    public long workingSetBytes() {
        return workingSetBytes;
    }

    /** Runs {@code reps} repetitions of read and triad with {@code threads} threads (one warm-up each, not counted). */
    public Result measure(int threads, int reps) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (reps < 1) throw new IllegalArgumentException("repetitions must be >= 1, got " + reps);
        double[] read = new double[reps];
        double[] triad = new double[reps];
        timeRepeated(threads, reps + 1, (t, n) -> readSlice(readBuffer, t, n), read, workingSetBytes);
        timeRepeated(threads, reps + 1, (t, n) -> triadSlice(t, n), triad, a.byteSize() * 3);
        return new Result(threads, workingSetBytes, Summary.of(read), Summary.of(triad));
    }

    @FunctionalInterface
    private interface SliceTask {
        void run(int thread, int threads);
    }

    /** Runs {@code task} on {@code threads} threads {@code runs} times; fills {@code gbs} with the last runs' GB/s. */
    private static void timeRepeated(int threads, int runs, SliceTask task, double[] gbs, long bytesPerRun) {
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        CyclicBarrier end = new CyclicBarrier(threads + 1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            workers[t] = Thread.ofPlatform().daemon().name("bandwidth-" + t).start(() -> {
                try {
                    for (int r = 0; r < runs; r++) {
                        start.await();
                        try {
                            task.run(id, threads);
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                        end.await();
                    }
                } catch (InterruptedException | BrokenBarrierException e) {
                    failure.compareAndSet(null, e);
                }
            });
        }
        try {
            int skip = runs - gbs.length;
            for (int r = 0; r < runs; r++) {
                start.await();
                long t0 = System.nanoTime();
                end.await();
                long ns = System.nanoTime() - t0;
                if (r >= skip) gbs[r - skip] = bytesPerRun / (double) ns;
            }
            for (Thread w : workers) w.join();
        } catch (InterruptedException | BrokenBarrierException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("bandwidth probe interrupted", e);
        }
        if (failure.get() != null) throw new IllegalStateException("bandwidth probe thread failed", failure.get());
    }

    /** Slice [from, to) of a segment for thread {@code t} of {@code n}, aligned to whole vectors. */
    private static long[] slice(long bytes, int t, int n) {
        long vec = F.vectorByteSize();
        long vectors = bytes / vec;
        long from = vectors * t / n * vec, to = vectors * (t + 1) / n * vec;
        return new long[] {from, to};
    }

    private static void readSlice(MemorySegment seg, int t, int n) {
        long[] r = slice(seg.byteSize(), t, n);
        long step = F.vectorByteSize();
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        long i = r[0];
        for (; i + 4 * step <= r[1]; i += 4 * step) {
            s0 = s0.add(FloatVector.fromMemorySegment(F, seg, i, ORDER));
            s1 = s1.add(FloatVector.fromMemorySegment(F, seg, i + step, ORDER));
            s2 = s2.add(FloatVector.fromMemorySegment(F, seg, i + 2 * step, ORDER));
            s3 = s3.add(FloatVector.fromMemorySegment(F, seg, i + 3 * step, ORDER));
        }
        float tail = 0;
        for (; i < r[1]; i += Float.BYTES) tail += seg.get(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
        sink = s0.add(s1).add(s2).add(s3).reduceLanes(jdk.incubator.vector.VectorOperators.ADD) + tail;
    }

    private void triadSlice(int t, int n) {
        long[] r = slice(a.byteSize(), t, n);
        long step = F.vectorByteSize();
        FloatVector scalar = FloatVector.broadcast(F, 3.0f);
        for (long i = r[0]; i < r[1]; i += step) {
            FloatVector cv = FloatVector.fromMemorySegment(F, c, i, ORDER);
            FloatVector bv = FloatVector.fromMemorySegment(F, b, i, ORDER);
            cv.fma(scalar, bv).intoMemorySegment(a, i, ORDER);
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Elements of each triad array. */
    long triadElements() {
        return a.byteSize() / Float.BYTES;
    }

    /** Element i of the triad output array (tests check the computation). */
    float triadOutput(long i) {
        return a.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
    }
}
