package dev.specula.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceOverManyJobs() {
        try (Parallel pool = new Parallel(3)) {
            for (int job = 0; job < 2000; job++) {
                int total = 1 + job % 97;
                int chunk = 1 + job % 7;
                AtomicIntegerArray hits = new AtomicIntegerArray(total);
                pool.forRange(total, chunk, (start, end) -> {
                    assertTrue(end - start <= chunk && start < end);
                    for (int i = start; i < end; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < total; i++) assertEquals(1, hits.get(i), "job " + job + " index " + i);
            }
        }
    }

    @Test
    void workersShareTheLoad() {
        try (Parallel pool = new Parallel(2)) {
            assertEquals(2, pool.threads());
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            for (int job = 0; job < 500 && seen.size() < 2; job++) {
                pool.forRange(64, 1, (s, e) -> {
                    seen.add(Thread.currentThread());
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                });
            }
            assertEquals(2, seen.size(), "both the caller and the worker ran chunks");
        }
    }

    @Test
    void exceptionPropagatesAndPoolStaysUsable() {
        try (Parallel pool = new Parallel(2)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            RuntimeException thrown = assertThrows(IllegalArgumentException.class,
                    () -> pool.forRange(100, 1, (s, e) -> {
                        if (s == 57) throw boom;
                    }));
            assertSame(boom, thrown);
            AssertionError err = assertThrows(AssertionError.class,
                    () -> pool.forRange(100, 3, (s, e) -> {
                        throw new AssertionError("chunk " + s);
                    }));
            assertTrue(err.getMessage().startsWith("chunk "));
            AtomicInteger sum = new AtomicInteger();
            pool.forRange(1000, 10, (s, e) -> sum.addAndGet(e - s));
            assertEquals(1000, sum.get());
        }
    }

    @Test
    void singleThreadRunsInlineOnTheCaller() {
        try (Parallel pool = new Parallel(1)) {
            Thread caller = Thread.currentThread();
            AtomicInteger calls = new AtomicInteger();
            pool.forRange(500, 7, (s, e) -> {
                assertSame(caller, Thread.currentThread());
                assertEquals(0, s);
                assertEquals(500, e);
                calls.incrementAndGet();
            });
            assertEquals(1, calls.get());
        }
    }

    @Test
    void nestedCallsRunInlineWithoutDeadlock() {
        try (Parallel pool = new Parallel(2)) {
            AtomicInteger inner = new AtomicInteger();
            pool.forRange(8, 1, (s, e) -> pool.forRange(10, 2, (a, b) -> inner.addAndGet(b - a)));
            assertEquals(80, inner.get());
        }
    }

    @Test
    void wakesParkedWorkersAfterIdle() throws InterruptedException {
        try (Parallel pool = new Parallel(2)) {
            Thread.sleep(50); // workers spin out and park
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            for (int job = 0; job < 100 && seen.size() < 2; job++) {
                Thread.sleep(5);
                pool.forRange(16, 1, (s, e) -> {
                    seen.add(Thread.currentThread());
                    long until = System.nanoTime() + 200_000;
                    while (System.nanoTime() < until) Thread.onSpinWait();
                });
            }
            assertEquals(2, seen.size());
        }
    }

    @Test
    void closedPoolRejectsWorkAndRejectsBadArguments() {
        Parallel pool = new Parallel(2);
        assertThrows(IllegalArgumentException.class, () -> pool.forRange(10, 0, (s, e) -> {}));
        pool.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.forRange(10, 1, (s, x) -> {}));
        assertTrue(e.getMessage().contains("closed"));
        pool.close(); // idempotent
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
    }
}
