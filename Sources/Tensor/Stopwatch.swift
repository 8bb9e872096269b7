import Foundation

/// Timings of repeated calls: wall clock and process CPU time, for the benchmarks.
public enum Stopwatch {
    /// Medians and minimum of a series of timed calls, milliseconds.
    public struct Sample: Sendable {
        /// Timed runs.
        public var runs: Int
        /// Median wall-clock milliseconds per call.
        public var medianMilliseconds: Double
        /// Fastest wall-clock milliseconds.
        public var minimumMilliseconds: Double
        /// Median process CPU milliseconds per call (all threads): at 1 thread, the cost without time-sharing.
        public var processorMilliseconds: Double
    }

    /// Calls `body` `warmup` times untimed, then `runs` times (at least once) timed.
    public static func measure(runs: Int, warmup: Int, _ body: () throws -> Void) rethrows -> Sample {
        for _ in 0..<warmup { try body() }
        var wall: [Double] = []
        var processor: [Double] = []
        for _ in 0..<max(runs, 1) {
            let processorStart = processorMilliseconds()
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            wall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            processor.append(processorMilliseconds() - processorStart)
        }
        wall.sort()
        processor.sort()
        return Sample(runs: wall.count, medianMilliseconds: wall[wall.count / 2], minimumMilliseconds: wall[0],
                      processorMilliseconds: processor[processor.count / 2])
    }

    /// CPU time of the whole process so far, milliseconds (CLOCK_PROCESS_CPUTIME_ID).
    public static func processorMilliseconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e3 + Double(time.tv_nsec) / 1e6
    }
}
