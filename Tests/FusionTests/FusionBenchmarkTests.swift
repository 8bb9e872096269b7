import Foundation
import Testing
import Fusion

/// Temporary harness for the speed comparison with Benchmarks/fusion/peer.py; runs only when
/// KGFUSE_FUSION_BENCH=1 (use a release build: `swift test -c release --filter FusionBenchmarkTests`).
@Suite("Fusion benchmark")
struct FusionBenchmarkTests {
    @Test("prints kgfuse fusion timings as JSON",
          .enabled(if: ProcessInfo.processInfo.environment["KGFUSE_FUSION_BENCH"] == "1"))
    func timings() throws {
        let repeats = Int(ProcessInfo.processInfo.environment["KGFUSE_FUSION_BENCH_REPEATS"] ?? "") ?? 30
        var all: [FusionBenchmark.Timings] = []
        for threads in [1, 2] { all.append(try FusionBenchmark.run(threads: threads, repeats: repeats)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(all), as: UTF8.self))
        #expect(all.allSatisfy { $0.batch1Milliseconds > 0 && $0.trainingStepBatch32Milliseconds > $0.batch1Milliseconds })
    }
}
