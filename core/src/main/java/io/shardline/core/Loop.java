// Over 400 lines on purpose: this is the loop's whole public API (some 35 documented entry points that
// every module calls) plus the iteration itself. What is not the iteration lives elsewhere: the idle
// strategy, the shutdown sequence, the task kinds, the poll-source array, the inbox, the stats snapshot.
package io.shardline.core;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * One shard's machine: a thread that runs task queues with shares, polls its sources, fires its
 * timers and parks when idle. Owned by its thread; not thread-safe, except for the methods documented
 * as callable from any thread ({@link #execute}, {@link #call}, {@link #callAsync}, {@link #wakeup},
 * {@link #stats}, {@link #close}).
 *
 * <p>One iteration: run ready tasks, picking queues by shares, until the quota (500 µs) or the task
 * budget is spent; poll every source once (the foreign inbox first); fire due timers. When nothing did
 * work, spin for a moment and then park until the next timer deadline ({@link SpinThenParkIdleStrategy});
 * a producer on another thread wakes a parked loop with one system call and a busy one with none (see
 * {@link WakeState}). How it closes is {@link LoopShutdown}; the tasks its API queues are
 * {@link LoopTasks}; its counters are read by {@link LoopStats#read}.
 *
 * <p>A task that throws never kills the loop: if a future carries the task's result it fails, and
 * otherwise the exception goes to the uncaught-exception handler, which logs it with the loop's id.
 */
public final class Loop implements Executor, AutoCloseable {
    static final ThreadLocal<Loop> CURRENT = new ThreadLocal<>();
    private static final System.Logger LOG = System.getLogger("io.shardline.core");

    private final LoopConfig config;
    private final Clock clock;
    private final TaskScheduler scheduler;
    private final TaskQueue defaultQueue;
    private final ConfinedThreads threads;
    private final ForeignInbox inbox;
    private final TimerWheel timers;
    private final Parker parker;
    private final WakeState wake = new WakeState();
    /** Padded: the loop writes it per task while other threads read this object's fields to wake it. */
    final LoopCounters counters = new LoopCounters();
    private final StallHistogram stallDurations = new StallHistogram();
    private final Runnable clockListener = this::wakeup;
    private final CountDownLatch started = new CountDownLatch(1);
    private final PollSources sources = new PollSources(this);
    private final LoopServices services = new LoopServices();
    private final LoopShutdown shutdown;
    private final IdleStrategy idle;
    private volatile Thread thread;
    /** The loop thread's run-queue time, for the stall watchdog; set when the thread binds. */
    private volatile RunQueueTime runQueueTime = RunQueueTime.UNKNOWN;
    private volatile boolean ownThread;
    private volatile long startRealNanos;

    public Loop(LoopConfig config) {
        this.config = config;
        this.clock = config.clock;
        this.scheduler = new TaskScheduler(this, clock, config.quotaNanos, config.taskBudget);
        this.defaultQueue = scheduler.add(new TaskQueue(this, "default", 100));
        this.threads = new ConfinedThreads(this, scheduler.add(new TaskQueue(this, "vthreads", 100)));
        this.inbox = new ForeignInbox(this, config.inboxCapacity, scheduler, defaultQueue, threads.queue());
        this.timers = new TimerWheel(clock.nanoTime());
        this.parker = config.parkerFactory.get();
        this.shutdown = new LoopShutdown(this, scheduler, timers, threads, inbox, wake, parker, config.closeTimeoutNanos);
        this.idle = new SpinThenParkIdleStrategy(config.spinNanos, this::park);
        parker.attach(this);
        if (parker instanceof PollSource io) {
            // An I/O backend that parks in its selector is also polled every iteration.
            sources.add(io);
        }
    }

    /** Creates a loop with {@code config} and starts it on its own thread. */
    public static Loop start(LoopConfig config) {
        return new Loop(config).start();
    }

    /** The loop the calling thread (or confined virtual thread) belongs to, or null. */
    public static Loop current() {
        return CURRENT.get();
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts the loop on a new thread from the configured factory; returns once it runs. */
    public Loop start() {
        if (thread != null || ownThread) {
            throw new IllegalStateException(this + " is already running");
        }
        ownThread = true;
        Runnable body = this::run;
        Thread t = config.threadFactory != null
                ? config.threadFactory.newThread(body)
                : Thread.ofPlatform().name(config.name).unstarted(body);
        t.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + this, e);
        }
        return this;
    }

    private void run() {
        bind();
        try {
            while (!wake.isClosing()) {
                idle.idle(iterate());
            }
        } finally {
            shutdown.run();
        }
    }

    private void bind() {
        thread = Thread.currentThread();
        runQueueTime = RunQueueTime.ofCurrentThread();
        CURRENT.set(this);
        parker.bind(thread);
        startRealNanos = System.nanoTime();
        clock.addAdvanceListener(clockListener);
        StallWatchdog.INSTANCE.register(this);
        VirtualThreadSupport.warnOnceIfUnavailable();
        started.countDown();
    }

    /** Undoes {@link #bind} as the last step of {@link LoopShutdown#run}, with the counters published once more. */
    void unbind() {
        clock.removeAdvanceListener(clockListener);
        StallWatchdog.INSTANCE.unregister(this);
        publishCounters(0);
        publishGauges();
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /**
     * Runs one iteration on the calling thread, without parking, for a loop driven by hand (tests,
     * benchmarks). The first call binds the loop to the calling thread. Returns how much work it did.
     */
    public int runOnce() {
        if (ownThread) {
            throw new IllegalStateException(this + " runs on its own thread; runOnce is for loops driven by hand");
        }
        if (thread == null) {
            bind();
        }
        assert checkOwner("runOnce");
        if (wake.isClosing()) {
            if (!shutdown.isTerminated()) {
                shutdown.run();
            }
            return 0;
        }
        wake.setBetweenRuns(false);
        try {
            return iterate();
        } finally {
            publishGauges(); // a hand-driven loop never parks: keep its gauges current after each run
            wake.setBetweenRuns(true);
        }
    }

    /**
     * Closes the loop; any thread, idempotent. Armed timers and queued tasks are abandoned (their
     * futures fail with {@link LoopClosedException}), confined virtual threads are interrupted and
     * given the close timeout to finish, and later submissions are rejected. From outside the loop
     * this returns once the loop's thread has finished; from inside, it only requests the close.
     */
    @Override
    public void close() {
        requestClose();
        if (inLoop()) {
            if (!ownThread && !shutdown.isTerminated()) {
                shutdown.run();
            }
            return;
        }
        if (!ownThread) {
            if (thread == null && !shutdown.isTerminated()) {
                // Never driven: the closing thread stands in as the owner to fail what was queued.
                shutdown.runInPlaceOfOwner(() -> thread = Thread.currentThread());
            }
            return;
        }
        shutdown.awaitTerminationUninterruptibly(thread);
    }

    /** Starts closing without waiting for it; any thread, idempotent. See {@link #close()}. */
    public void requestClose() {
        if (wake.requestClose()) {
            wakeup();
        }
    }

    /** Waits up to {@code timeout} for the loop to finish closing; any thread. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return shutdown.awaitTermination(timeout.toNanos());
    }

    /** True once {@link #close} has been called. Any thread. */
    public boolean isClosing() {
        return wake.isClosing();
    }

    /** True once the loop has finished closing. Any thread. */
    public boolean isTerminated() {
        return shutdown.isTerminated();
    }

    LoopClosedException closedException() {
        return new LoopClosedException(this + " is closed");
    }

    void abandon(Runnable task, LoopClosedException cause) {
        if (task instanceof Task t) {
            try {
                t.abandon(cause);
            } catch (Throwable e) {
                reportUncaught(e);
            }
        }
    }

    // ---------------------------------------------------------------- one iteration

    private int iterate() {
        long start = clock.nanoTime();
        int ran = scheduler.runPhase(start);
        // Without tasks the phase took no time worth a second clock read (timer ticks are 0.5 ms).
        long now = ran > 0 ? clock.nanoTime() : start;
        int work = ran + pollSources();
        int fired = timers.expire(now, this);
        publishCounters(ran);
        LoopCounters.add(LoopCounters.TIMERS_FIRED, counters, fired);
        return work + fired;
    }

    private void publishCounters(int ran) {
        LoopCounters.add(LoopCounters.TASKS_RUN, counters, ran);
        LoopCounters.add(LoopCounters.ITERATIONS, counters, 1);
        // The gauges cost more to compute than an idle iteration does: every 16th, and before parking.
        if ((counters.iterations & 15) == 0) {
            publishGauges();
        }
    }

    private void publishGauges() {
        LoopCounters.PENDING_TASKS.setOpaque(counters, (long) scheduler.pendingTasks());
        LoopCounters.TIMERS_PENDING.setOpaque(counters, (long) timers.size());
        LoopCounters.LIVE_THREADS.setOpaque(counters, (long) threads.liveCount());
    }

    private int pollSources() {
        bumpProgress();
        int work = inbox.poll() + sources.pollAll();
        LoopCounters.add(LoopCounters.POLLS, counters, 1);
        return work;
    }

    private void park() {
        publishGauges();
        long next = timers.nextDeadlineNanos();
        long timeout = Long.MAX_VALUE;
        if (next != Long.MAX_VALUE) {
            long delay = next - clock.nanoTime();
            if (delay <= 0) {
                return;
            }
            timeout = clock.realParkNanos(delay);
        }
        wake.setParked();
        // A producer that published before it could see PARKED did not wake us: look once more.
        if (wake.isClosing() || scheduler.hasTasks() || pollSources() > 0
                || timers.nextDeadlineNanos() <= clock.nanoTime()) {
            wake.setAwake();
            return;
        }
        // A waker that claimed us during the re-check may have had its wake-up swallowed by it (a
        // selector's selectNow clears a pending wakeup): it left WAKING, so do not park on it.
        if (!wake.isParkedVolatile()) {
            wake.setAwake();
            return;
        }
        long t0 = System.nanoTime();
        LoopCounters.PARK_START_NANOS.setOpaque(counters, t0);
        LoopCounters.add(LoopCounters.PARKS, counters, 1);
        try {
            parker.park(timeout);
        } catch (Throwable t) {
            reportUncaught(t);
        }
        LoopCounters.add(LoopCounters.PARKED_NANOS, counters, System.nanoTime() - t0);
        LoopCounters.PARK_START_NANOS.setOpaque(counters, 0L);
        wake.setAwake();
    }

    void runTask(Runnable task) {
        bumpProgress();
        try {
            task.run();
        } catch (Throwable t) {
            reportUncaught(t);
        }
    }

    private void bumpProgress() {
        // Opaque: the watchdog only needs to see the counter move eventually, not in order with anything.
        LoopCounters.PROGRESS.setOpaque(counters, counters.progress + 1); // single writer: a plain read is fine
    }

    // ---------------------------------------------------------------- submitting work

    /**
     * Runs {@code task} on this loop. Any thread: on the loop it is queued on the default task queue;
     * from elsewhere it goes through the bounded inbox and wakes the loop if it is parked. A plain
     * thread that finds the inbox full waits for room; another loop's thread never waits (it would
     * stall that loop, or deadlock two loops) and gets a {@link RejectedExecutionException} instead.
     * A {@link Task} is told if the loop closes before it runs.
     *
     * @throws LoopClosedException if the loop is closed
     * @throws RejectedExecutionException if the caller is a loop and the inbox is full
     */
    @Override
    public void execute(Runnable task) {
        if (inLoop()) {
            if (shutdown.isTerminated()) {
                throw closedException();
            }
            scheduler.enqueue(defaultQueue, task);
            return;
        }
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (wake.isClosing()) {
            throw closedException();
        }
        offerFromOutside(task);
    }

    private void offerFromOutside(Runnable task) {
        inbox.submit(task);
        wakeup();
        if (shutdown.isTerminated()) {
            shutdown.abandonLateSubmissions();
        }
    }

    /** Resumes a confined virtual thread from another thread; allowed while closing, so threads can unwind. */
    void resumeFromOutside(Runnable continuation) {
        if (shutdown.isTerminated()) {
            throw closedException();
        }
        offerFromOutside(new LoopTasks.Resume(continuation));
    }

    /** Runs {@code body} on this loop and returns its future. Call on the loop. */
    public <T> Future<T> spawn(Callable<T> body) {
        assert checkOwner("spawn");
        Promise<T> p = new Promise<>(this);
        scheduler.enqueue(defaultQueue, new LoopTasks.Spawn<>(p, body));
        return p;
    }

    /**
     * Runs {@code body} on this loop and returns a {@link CompletableFuture} of its result, for code
     * outside the loop. Any thread. If the loop closes first, the future fails with
     * {@link LoopClosedException}.
     */
    public <T> CompletableFuture<T> call(Callable<T> body) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        try {
            execute(new LoopTasks.Call<>(cf, body));
        } catch (RejectedExecutionException e) {
            cf.completeExceptionally(e);
        }
        return cf;
    }

    /** Like {@link #call}, for a body that returns a loop future. Any thread. */
    public <T> CompletableFuture<T> callAsync(Supplier<? extends Future<T>> body) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        try {
            execute(new LoopTasks.CallAsync<>(cf, body));
        } catch (RejectedExecutionException e) {
            cf.completeExceptionally(e);
        }
        return cf;
    }

    /** Adds a task queue with {@code shares} of CPU time (the default queue has 100). On the loop, or before start. */
    public TaskQueue newTaskQueue(String name, int shares) {
        assert thread == null || checkOwner("newTaskQueue");
        return scheduler.add(new TaskQueue(this, name, shares));
    }

    /** The queue {@link #execute} uses. */
    public TaskQueue defaultQueue() {
        return defaultQueue;
    }

    /** True once the running task has used the loop's quota: a long task should yield (re-queue itself). */
    public boolean needsPreempt() {
        return scheduler.needsPreempt();
    }

    // ---------------------------------------------------------------- timers

    /** A timer that runs {@code action} on this loop when it fires; not armed yet. Call on the loop. */
    public Timer timer(Runnable action) {
        assert thread == null || checkOwner("timer");
        return new Timer(this, action);
    }

    /** Runs {@code action} once after {@code delay}. Call on the loop. */
    public Timer schedule(Duration delay, Runnable action) {
        return timer(action).schedule(delay);
    }

    /** Runs {@code action} after {@code initialDelay}, then every {@code period}. Call on the loop. */
    public Timer schedulePeriodic(Duration initialDelay, Duration period, Runnable action) {
        return timer(action).schedulePeriodic(initialDelay, period);
    }

    /** A future that succeeds after {@code delay}; cancelling it disarms its timer. Call on the loop. */
    public Future<Void> sleep(Duration delay) {
        Promise<Void> p = new Promise<>(this);
        Timer t = timer(new LoopTasks.Sleep(p)).schedule(delay);
        p.onCancel(t::cancel);
        return p;
    }

    TimerWheel timers() {
        assert checkOwner("timer");
        return timers;
    }

    // ---------------------------------------------------------------- virtual threads

    /**
     * Starts a virtual thread whose carrier is this loop's thread, so blocking-style code
     * ({@link Await#await}, {@code Thread.sleep}) parks the virtual thread, never the loop, and it
     * never runs on another core. Its future completes when it ends. Call on the loop.
     *
     * @throws UnsupportedOperationException if the JVM lacks {@value VirtualThreadSupport#FLAG}
     */
    public <T> Future<T> spawnThread(Callable<T> body) {
        assert checkOwner("spawnThread");
        return threads.spawn(body);
    }

    /** {@link #spawnThread(Callable)} for a body with no result. */
    public Future<Void> spawnThread(Runnable body) {
        return spawnThread(() -> {
            body.run();
            return null;
        });
    }

    // ---------------------------------------------------------------- poll sources and wake-up

    /**
     * Adds a source polled once per iteration; closing the returned handle removes it. On the loop,
     * or before start.
     */
    public AutoCloseable register(PollSource source) {
        assert thread == null || checkOwner("register");
        return sources.add(source);
    }

    /**
     * Runs {@code hook} on the loop when it starts closing, before its timers and queued tasks are
     * abandoned: where a component fails the futures it tracks itself. On the loop, or before start.
     */
    public void onClose(Runnable hook) {
        assert thread == null || checkOwner("onClose");
        shutdown.addHook(hook);
    }

    /**
     * Wakes the loop if it is parked: one system call then, none while it is awake. Any thread; a
     * source fed by other threads calls it after publishing.
     */
    public void wakeup() {
        if (wake.claimWakeup()) {
            LoopCounters.WAKEUPS.getAndAdd(counters, 1L);
            parker.wakeup();
        }
    }

    boolean isParked() {
        return wake.isParked();
    }

    /** Parked, or a hand-driven loop outside {@link #runOnce}: not running anything. */
    boolean isIdle() {
        // WAKING counts as idle: a waker has claimed the parked loop and its wake-up is on the way.
        return wake.isParkedOrWaking() || wake.isBetweenRuns();
    }

    // ---------------------------------------------------------------- identity, ownership, counters

    public int id() {
        return config.id;
    }

    public String name() {
        return config.name;
    }

    public LoopConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** The loop's platform thread, or null before it starts. */
    public Thread thread() {
        return thread;
    }

    TaskScheduler scheduler() {
        return scheduler;
    }

    /** How this loop parks: the I/O backend, when one was configured. */
    Parker parker() {
        return parker;
    }

    /**
     * The {@code type} service of this loop (its network transport, its file backend, its shard), or
     * null if it has none. Any thread.
     */
    public <T> T service(Class<T> type) {
        return services.get(type);
    }

    /**
     * Hangs {@code instance} on this loop as its {@code type} service, once per type: before the loop
     * starts, or on the loop's thread.
     */
    public <T> void putService(Class<T> type, T instance) {
        if (thread != null && !inLoop()) {
            throw new IllegalStateException("putService(" + type.getSimpleName() + ") on " + this
                    + " from thread '" + Thread.currentThread().getName() + "': call it before start or on the loop");
        }
        services.put(type, instance, this);
    }

    /** True on the loop's thread and in its confined virtual threads. */
    public boolean inLoop() {
        Thread t = thread;
        return (t != null && Thread.currentThread() == t) || CURRENT.get() == this;
    }

    /** For {@code assert}: fails naming both threads when called off the loop. */
    boolean checkOwner(String operation) {
        if (!inLoop()) {
            Thread t = thread;
            throw new AssertionError(operation + " is confined to " + this + " but was called from thread '"
                    + Thread.currentThread().getName() + "'" + (t == null ? " before the loop started" : ""));
        }
        return true;
    }

    long progress() {
        return LoopCounters.read(LoopCounters.PROGRESS, counters);
    }

    /** How long the loop thread has waited for a CPU; any thread. */
    RunQueueTime runQueueTime() {
        return runQueueTime;
    }

    /** Replaces the run-queue reader, for tests that play a preempted thread. */
    void runQueueTime(RunQueueTime reader) {
        runQueueTime = reader;
    }

    /** How long this loop's stalls lasted; any thread reads it, the stall watchdog writes it. */
    public StallHistogram stallDurations() {
        return stallDurations;
    }

    void countStall() {
        LoopCounters.STALLS.getAndAdd(counters, 1L);
    }

    /** A snapshot of this loop's counters; any thread, no locks. */
    public LoopStats stats() {
        return LoopStats.read(config.id, counters, startRealNanos, inbox.size());
    }

    /** Hands an exception nobody observed to the configured handler; the loop goes on. */
    void reportUncaught(Throwable t) {
        LoopCounters.UNCAUGHT.getAndAdd(counters, 1L);
        try {
            config.uncaughtHandler.accept(this, t);
        } catch (Throwable ignored) {
            logUncaught(this, t);
        }
    }

    /** The default uncaught-exception handler: one log line with the loop's id, and the stack. */
    static void logUncaught(Loop loop, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, (loop != null ? loop.toString() : "no loop")
                + ": exception nobody observed", t);
    }

    @Override
    public String toString() {
        Thread t = thread;
        return "loop " + config.id + " (" + (t != null ? "thread " + t.getName() : config.name) + ")";
    }
}
