import Foundation

/// Phase timings of a load, printed to stderr when `KGFUSE_TRACE` is set (a diagnostic, not an interface).
///
/// Each line gives the wall seconds of the phase and the CPU seconds of the thread that ran it.
struct LoadTrace {
    static let enabled = ProcessInfo.processInfo.environment["KGFUSE_TRACE"] != nil
    private var wall = Date()
    private var cpu = LoadTrace.threadCPUSeconds()

    /// Ends the current phase under `name` and starts the next one.
    mutating func phase(_ name: String) {
        guard LoadTrace.enabled else { return }
        let now = Date(), nowCPU = LoadTrace.threadCPUSeconds()
        FileHandle.standardError.write(Data(String(format: "trace %-28@ wall %6.3f s  thread cpu %6.3f s\n",
                                                   name as NSString, now.timeIntervalSince(wall), nowCPU - cpu).utf8))
        wall = now
        cpu = nowCPU
    }

    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
