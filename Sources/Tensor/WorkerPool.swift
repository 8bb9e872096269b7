import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The threads every parallel loop of kgfuse's numeric code runs on: the calling thread plus `size − 1` workers.
///
/// Why not GCD or OpenBLAS's own threads: a forward pass at batch 1 is a few dozen parallel loops of 20–300 µs
/// each. Waking a sleeping thread for each loop costs microseconds to tens of microseconds, and OpenBLAS's idle
/// threads keep spinning after a threaded call, competing with any other pool for the same cores. So OpenBLAS runs
/// single-threaded (see ``BLAS/setThreadCount(_:)``) and all parallelism goes through this pool, whose idle
/// workers spin for ``spinDuration`` before they sleep, so the next loop of a pass starts within a microsecond.
///
/// A loop (``forEach(_:_:)``) hands out item indices one at a time from a shared counter, so a worker that
/// starts late simply takes fewer items. Each item runs exactly once, on one participant at a time; the
/// participant index (0 = the caller) lets a loop keep scratch memory per participant. A loop started from
/// inside another loop, or while another thread's loop is running, runs serially on its own thread: results
/// never depend on the thread count when items write disjoint outputs.
public final class WorkerPool: @unchecked Sendable {
    // @unchecked Sendable: the mutable state is the atomics, and `current` guarded by `mutex`.

    /// The pool every kgfuse product and loop uses, sized by `BLAS.setThreadCount`; at start, by the environment
    /// (``defaultSize``).
    public static let shared = WorkerPool(size: defaultSize)

    /// KGFUSE_THREADS, else OPENBLAS_NUM_THREADS (so `OPENBLAS_NUM_THREADS=1` still means one thread), else the
    /// number of active processors.
    public static var defaultSize: Int {
        let environment = ProcessInfo.processInfo.environment
        for name in ["KGFUSE_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let value = environment[name].flatMap({ Int($0) }), value > 0 { return value }
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// How long an idle worker spins for the next loop before it sleeps.
    public static let spinDuration: Duration = .microseconds(200)

    /// One loop: the body, its item count, the next unclaimed item and the number of items finished.
    private final class Loop: @unchecked Sendable {
        // @unchecked Sendable: `body` is not Sendable; items write disjoint memory by the contract of forEach.
        let body: (Int, Int) -> Void
        let count: Int
        let next = Atomic<Int>(0)
        let finished = Atomic<Int>(0)

        init(body: @escaping (Int, Int) -> Void, count: Int) {
            self.body = body
            self.count = count
        }

        /// Claims and runs items until none is left; returns how many this participant ran.
        func drain(participant: Int) {
            var ran = 0
            while true {
                let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard item < count else { break }
                body(item, participant)
                ran += 1
            }
            if ran > 0 { finished.add(ran, ordering: .releasing) }
        }
    }

    /// The state the caller and the worker threads share; the threads hold it, not the pool, so that a pool
    /// that is no longer used can stop them (`deinit`).
    private final class Crew: @unchecked Sendable {
        // @unchecked Sendable: `current`, `started` and `stopping` are guarded by `mutex`; the rest are atomics.
        let mutex: UnsafeMutablePointer<pthread_mutex_t>
        let wake: UnsafeMutablePointer<pthread_cond_t>
        /// Incremented (under `mutex`) each time a loop is published or the crew stops; workers spin on it.
        let generation = Atomic<Int>(0)
        /// Participants of the next loop, the caller included (workers with a higher index sit out).
        let participants = Atomic<Int>(1)
        /// The loop being run.
        var current: Loop?
        /// Worker threads started so far.
        var started = 0
        /// Set once, when the pool goes away: workers leave.
        var stopping = false

        init() {
            mutex = .allocate(capacity: 1)
            pthread_mutex_init(mutex, nil)
            wake = .allocate(capacity: 1)
            pthread_cond_init(wake, nil)
        }

        deinit {
            pthread_cond_destroy(wake)
            pthread_mutex_destroy(mutex)
            wake.deallocate()
            mutex.deallocate()
        }

        /// Publishes `loop` (nil: none) and wakes sleeping workers.
        func publish(_ loop: Loop?, stop: Bool = false) {
            pthread_mutex_lock(mutex)
            current = loop
            if stop { stopping = true }
            if loop != nil || stop {
                generation.add(1, ordering: .releasing)
                pthread_cond_broadcast(wake)
            }
            pthread_mutex_unlock(mutex)
        }

        /// A worker's life: spin for a new loop, join it, spin again; sleep when nothing came for
        /// `spinDuration`; leave when the crew stops.
        func work(as index: Int) {
            var seen = generation.load(ordering: .acquiring)
            let clock = ContinuousClock()
            while true {
                var spins = 0
                var deadline = clock.now + WorkerPool.spinDuration
                while generation.load(ordering: .acquiring) == seen {
                    spins += 1
                    guard spins & 255 == 0, clock.now >= deadline else { continue }
                    pthread_mutex_lock(mutex)
                    while generation.load(ordering: .acquiring) == seen {
                        pthread_cond_wait(wake, mutex)
                    }
                    pthread_mutex_unlock(mutex)
                    deadline = clock.now + WorkerPool.spinDuration
                }
                pthread_mutex_lock(mutex)
                seen = generation.load(ordering: .acquiring)
                let leaving = stopping
                let loop = index < participants.load(ordering: .relaxed) ? current : nil
                pthread_mutex_unlock(mutex)
                if leaving { return }
                loop?.drain(participant: index)
            }
        }
    }

    private let crew = Crew()
    /// True while a loop runs; a second loop meanwhile runs serially on its caller's thread.
    private let busy = Atomic<Bool>(false)

    /// A pool of `size` participants (the caller and `size − 1` worker threads).
    public init(size: Int) {
        resize(size)
    }

    deinit {
        crew.publish(nil, stop: true)
    }

    /// The participants of a loop: the calling thread plus the workers.
    public var size: Int { crew.participants.load(ordering: .relaxed) }

    /// True while a loop runs (a loop started now would run serially on its caller's thread).
    public var isBusy: Bool { busy.load(ordering: .relaxed) }

    /// Sets the number of participants (at least 1), starting worker threads as needed; threads beyond the new
    /// size stay asleep.
    public func resize(_ size: Int) {
        let size = Swift.max(1, size)
        let crew = self.crew
        pthread_mutex_lock(crew.mutex)
        while crew.started < size - 1 {
            crew.started += 1
            let index = crew.started
            let thread = Thread { crew.work(as: index) }
            thread.name = "kgfuse-worker-\(index)"
            thread.start()
        }
        crew.participants.store(size, ordering: .relaxed)
        pthread_mutex_unlock(crew.mutex)
    }

    /// Runs `body(item, participant)` for every item in 0..<count and returns when all have finished.
    /// `participant` is in 0..<``size`` and identifies the thread for per-thread scratch memory.
    public func forEach(_ count: Int, _ body: @escaping (_ item: Int, _ participant: Int) -> Void) {
        guard count > 1, size > 1,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else {
            for item in 0..<count { body(item, 0) }
            return
        }
        let loop = Loop(body: body, count: count)
        crew.publish(loop)
        loop.drain(participant: 0)
        while loop.finished.load(ordering: .acquiring) < count {}
        crew.publish(nil)
        busy.store(false, ordering: .releasing)
    }

    /// Runs `body(range, chunk)` on `count` items cut into at most `chunks` contiguous ranges whose bounds are
    /// multiples of `grain` (the last range takes the rest); `chunk` (< `chunks`) numbers the range, for scratch
    /// memory per range.
    public func forEachRange(
        _ count: Int, chunks: Int, grain: Int = 1, _ body: @escaping (_ range: Range<Int>, _ chunk: Int) -> Void
    ) {
        let grain = Swift.max(1, grain)
        let chunkCount = Swift.max(1, Swift.min(chunks, count / grain))
        guard chunkCount > 1 else { return body(0..<count, 0) }
        let perChunk = (count / chunkCount + grain - 1) / grain * grain
        forEach(chunkCount) { chunk, _ in
            let start = Swift.min(count, chunk * perChunk)
            let end = chunk == chunkCount - 1 ? count : Swift.min(count, start + perChunk)
            if start < end { body(start..<end, chunk) }
        }
    }
}
