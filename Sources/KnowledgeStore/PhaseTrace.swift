import Foundation

/// Phase timings of a long operation (a load, a materialisation), printed to stderr when `KGFUSE_TRACE` is set
/// (a diagnostic, not an interface).
///
/// Each line gives the wall seconds of the phase, the CPU seconds of the calling thread, and the process's peak
/// resident memory so far (`getrusage` `ru_maxrss`, in MB).
public struct PhaseTrace: Sendable {
    /// True when `KGFUSE_TRACE` is set.
    public static let enabled = ProcessInfo.processInfo.environment["KGFUSE_TRACE"] != nil
    private var wall = Date()
    private var cpu = PhaseTrace.threadCPUSeconds()

    /// Starts the first phase now.
    public init() {}

    /// Ends the current phase under `name` and starts the next one.
    public mutating func phase(_ name: @autoclosure () -> String) {
        guard PhaseTrace.enabled else { return }
        let now = Date(), nowCPU = PhaseTrace.threadCPUSeconds()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        FileHandle.standardError.write(Data(String(format: "trace %-36@ wall %7.3f s  thread cpu %7.3f s  peak %7.1f MB\n",
                                                   name() as NSString, now.timeIntervalSince(wall), nowCPU - cpu,
                                                   Double(usage.ru_maxrss) / 1024).utf8))
        wall = now
        cpu = nowCPU
    }

    /// CPU seconds the calling thread has used (`CLOCK_THREAD_CPUTIME_ID`).
    public static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
