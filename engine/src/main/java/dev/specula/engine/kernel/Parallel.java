package dev.specula.engine.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One fixed pool of worker threads (sized by {@code -t}) that splits index ranges into chunks. The
 * calling thread works too, so {@code threads = 1} runs everything inline with no hand-off.
 * Chunks are handed out dynamically; results must not depend on which thread ran a chunk.
 */
public final class Parallel implements AutoCloseable {
    /** A piece of work over [start, end). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    private final int threads;
    private final Thread[] workers;
    private final Object lock = new Object();
    // current job, published under lock
    private RangeTask task;
    private int total, chunk;
    private AtomicInteger next;
    private CountDownLatch done;
    private AtomicReference<Throwable> failure;
    private long generation;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Thread t = new Thread(this::workerLoop, "specula-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** A pool with one thread per available processor. */
    public static Parallel defaultPool() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code task} over [0, total) in chunks of {@code chunkSize}; returns when all chunks are done. */
    public void forRange(int total, int chunkSize, RangeTask task) {
        if (total <= 0) return;
        if (threads == 1 || total <= chunkSize) {
            task.run(0, total);
            return;
        }
        AtomicInteger counter = new AtomicInteger();
        CountDownLatch latch = new CountDownLatch(workers.length);
        AtomicReference<Throwable> error = new AtomicReference<>();
        synchronized (lock) {
            if (closed) throw new IllegalStateException("thread pool is closed");
            this.task = task;
            this.total = total;
            this.chunk = chunkSize;
            this.next = counter;
            this.done = latch;
            this.failure = error;
            generation++;
            lock.notifyAll();
        }
        runChunks(task, total, chunkSize, counter, error);
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for worker threads", e);
        }
        Throwable t = error.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error er) throw er;
        if (t != null) throw new IllegalStateException(t);
    }

    private static void runChunks(RangeTask task, int total, int chunk, AtomicInteger next, AtomicReference<Throwable> error) {
        try {
            int start;
            while ((start = next.getAndAdd(chunk)) < total) {
                task.run(start, Math.min(total, start + chunk));
            }
        } catch (Throwable t) {
            error.compareAndSet(null, t);
            next.set(total); // stop handing out chunks
        }
    }

    private void workerLoop() {
        long seen = 0;
        while (true) {
            RangeTask t;
            int tot, ch;
            AtomicInteger n;
            CountDownLatch d;
            AtomicReference<Throwable> err;
            synchronized (lock) {
                while (generation == seen && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) return;
                seen = generation;
                t = task; tot = total; ch = chunk; n = next; d = done; err = failure;
            }
            runChunks(t, tot, ch, n, err);
            d.countDown();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
