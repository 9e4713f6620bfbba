package dev.specula.engine.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One fixed pool of worker threads (sized by {@code -t}) that splits index ranges into chunks. The
 * calling thread works too, so {@code threads = 1} runs everything inline with no hand-off.
 * Chunks are handed out dynamically; results must not depend on which thread ran a chunk.
 *
 * <p>Built for fine-grained decode work (about a hundred mat-vecs per token, each tens of
 * microseconds): a job is published by bumping a volatile generation counter; idle workers spin on
 * it ({@link Thread#onSpinWait}) for up to 100 microseconds, then park, so the jobs of a forward pass
 * (separated by norms, attention and sampling, gaps of microseconds to tens of microseconds) are handed
 * off in about a microsecond, while an idle pool costs no CPU ({@code -Dspecula.parallel.spinMicros=N}
 * tunes the spin length; a wake-up from park costs tens of microseconds on a VM, and a 3-microsecond
 * spin measured 10-15 % slower 2-thread decoding than 100). The caller returns once every
 * worker has acknowledged the job (spinning briefly, then parking until the last worker unparks it,
 * so an oversubscribed machine does not burn the time slices the workers need), which lets the job
 * fields be reused without allocation. Calls from inside a running chunk (nested parallelism) run
 * inline; concurrent callers are serialized.
 */
public final class Parallel implements AutoCloseable {
    /** A piece of work over [start, end). */
    @FunctionalInterface
    public interface RangeTask {
        void run(int start, int end);
    }

    /**
     * Nanoseconds a waiting thread spins before it parks: long enough to bridge the gaps between the
     * kernels of a forward pass and between the forwards of a decode loop, short enough that an idle
     * pool stops using CPU at once and that threads on an oversubscribed machine (where a spinning
     * thread waits whole time slices for its turn) soon yield.
     */
    private static final long SPIN_NANOS = 1000L * Long.getLong("specula.parallel.spinMicros", 100);
    /** {@code onSpinWait} calls between two clock reads while spinning. */
    private static final int SPINS_PER_CLOCK_READ = 32;

    private final int threads;
    private final Worker[] workers;
    private final Object submitLock = new Object();

    // the current job: written by the submitting thread before the volatile generation bump, read by
    // workers after they observe the bump; not rewritten until every worker has acknowledged it
    private RangeTask task;
    private int total;
    private int chunk;
    private final AtomicInteger nextStart = new AtomicInteger();
    private final AtomicInteger pendingWorkers = new AtomicInteger();
    private volatile Throwable failure;
    /** The thread whose job is running; its nested calls (from inside a chunk) run inline. */
    private volatile Thread submitter;
    /** True while the submitter is (about to be) parked waiting for acknowledgements. */
    private volatile boolean submitterParked;
    private volatile long generation;
    private volatile boolean closed;

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("specula-worker-" + (i + 1));
            workers[i].start();
        }
    }

    /** A pool with one thread per available processor. */
    public static Parallel defaultPool() {
        return new Parallel(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, total) in chunks of {@code chunkSize}; returns when all chunks are done.
     * The first exception a chunk throws is rethrown here (after the other chunks stopped).
     *
     * @throws IllegalStateException if the pool is closed
     */
    public void forRange(int total, int chunkSize, RangeTask task) {
        if (closed) throw new IllegalStateException("thread pool is closed");
        if (chunkSize < 1) throw new IllegalArgumentException("chunk size must be >= 1, got " + chunkSize);
        if (total <= 0) return;
        Thread me = Thread.currentThread();
        if (threads == 1 || total <= chunkSize || me instanceof Worker || me == submitter) {
            task.run(0, total);
            return;
        }
        synchronized (submitLock) {
            if (closed) throw new IllegalStateException("thread pool is closed");
            this.submitter = me;
            this.task = task;
            this.total = total;
            this.chunk = chunkSize;
            this.failure = null;
            nextStart.set(0);
            pendingWorkers.set(workers.length);
            generation = generation + 1; // volatile write publishes the fields above
            for (Worker w : workers) {
                if (w.parked) LockSupport.unpark(w);
            }
            runChunks();
            awaitWorkers();
            this.task = null;
            this.submitter = null;
            Throwable t = failure;
            if (t != null) {
                failure = null;
                if (t instanceof RuntimeException re) throw re;
                if (t instanceof Error er) throw er;
                throw new IllegalStateException("a parallel task failed", t);
            }
        }
    }

    private void runChunks() {
        RangeTask t = task;
        int tot = total, ch = chunk;
        try {
            int start;
            while ((start = nextStart.getAndAdd(ch)) < tot) {
                t.run(start, Math.min(tot, start + ch));
            }
        } catch (Throwable e) {
            if (failure == null) failure = e; // first failure wins (racy only between failures)
            nextStart.set(tot); // stop handing out chunks
        }
    }

    /** Waits until every worker has acknowledged the current job. */
    private void awaitWorkers() {
        long spinStart = System.nanoTime();
        for (int spins = 0; pendingWorkers.get() != 0; spins++) {
            if (stillSpinning(spins, spinStart)) {
                Thread.onSpinWait();
                continue;
            }
            submitterParked = true;
            // re-check after announcing: the last worker unparks us only if it sees the flag
            if (pendingWorkers.get() != 0) LockSupport.park(this);
            submitterParked = false;
        }
    }

    /** Whether a thread that started waiting at {@code spinStart} and has spun {@code spins} times should spin on. */
    private static boolean stillSpinning(int spins, long spinStart) {
        return spins % SPINS_PER_CLOCK_READ != 0 || System.nanoTime() - spinStart < SPIN_NANOS;
    }

    /** Called by a worker when it is done with the current job. */
    private void acknowledge() {
        if (pendingWorkers.decrementAndGet() == 0 && submitterParked) {
            Thread s = submitter;
            if (s != null) LockSupport.unpark(s);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    private final class Worker extends Thread {
        /** True while this worker is (about to be) parked; the submitter unparks only those. */
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0; // the generation at construction; a job submitted before this thread ran is still seen
            while (true) {
                long g = awaitGeneration(seen);
                if (g < 0) return;
                seen = g;
                runChunks();
                acknowledge();
            }
        }

        /** Waits until the generation differs from {@code seen}; returns it, or -1 once the pool is closed. */
        private long awaitGeneration(long seen) {
            int spins = 0;
            long spinStart = System.nanoTime();
            while (true) {
                long g = generation;
                if (g != seen) return g;
                if (closed) return -1;
                if (stillSpinning(++spins, spinStart)) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    // re-check after announcing: a submitter that bumped the generation before seeing
                    // parked == true has not unparked us, so we must not sleep through its job
                    if (generation == seen && !closed) LockSupport.park(this);
                    parked = false;
                    spins = 0;
                    spinStart = System.nanoTime();
                }
            }
        }
    }
}
