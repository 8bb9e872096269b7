import Encoders
import Foundation
import Testing

/// A timing harness run by hand, not a test of correctness:
/// `KGFUSE_TEXT_ENCODER_BENCH=1 swift test -c release --filter TextEncoderBenchmark`; optional
/// `KGFUSE_TEXT_ENCODER_RUNS=50`, `KGFUSE_TEXT_ENCODER_THREADS=1,2`, `KGFUSE_TEXT_ENCODER_BATCHES=1,32`.
@Suite("TextEncoderBenchmark")
struct TextEncoderBenchmarkTests {
    @Test(
        "Milliseconds per batch of all-MiniLM-L6-v2 at 1 and 2 threads, batch 1 and 32",
        .enabled(if: ProcessInfo.processInfo.environment["KGFUSE_TEXT_ENCODER_BENCH"] != nil))
    func timings() throws {
        let encoder = try SharedFixtures.miniLM()
        let runs = Int(ProcessInfo.processInfo.environment["KGFUSE_TEXT_ENCODER_RUNS"] ?? "") ?? 50
        let environment = ProcessInfo.processInfo.environment
        let threadCounts = (environment["KGFUSE_TEXT_ENCODER_THREADS"] ?? "1,2").split(separator: ",").compactMap { Int($0) }
        let batchSizes = (environment["KGFUSE_TEXT_ENCODER_BATCHES"] ?? "1,32").split(separator: ",").compactMap { Int($0) }
        var lines: [String] = []
        for threads in threadCounts {
            for batchSize in batchSizes {
                let timing = try encoder.measure(batchSize: batchSize, threads: threads, runs: runs)
                #expect(timing.medianMilliseconds > 0)
                lines.append(
                    "\"swift threads=\(threads) batch=\(batchSize)\": {\"median\": "
                        + String(format: "%.3f", timing.medianMilliseconds) + ", \"min\": "
                        + String(format: "%.3f", timing.minimumMilliseconds) + ", \"cpu\": "
                        + String(format: "%.3f", timing.processorMilliseconds) + "}")
            }
        }
        print("{\n " + lines.joined(separator: ",\n ") + "\n}")
    }
}
