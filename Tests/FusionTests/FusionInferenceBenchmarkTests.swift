import Foundation
import Fusion
import Testing

/// A timing harness run by hand or by `kgfuse-bench fusion`, not a test of correctness: prints one JSON line of
/// ``FusionBenchmark/measureInference(batchSize:threads:runs:warmup:)``. Runs only when
/// KGFUSE_FUSION_INFERENCE_BENCH=1; `KGFUSE_FUSION_INFERENCE_THREADS` (1), `..._BATCH` (1), `..._RUNS` (30).
@Suite("FusionInferenceBenchmark")
struct FusionInferenceBenchmarkTests {
    @Test("prints one JSON line of fusion inference timings",
          .enabled(if: ProcessInfo.processInfo.environment["KGFUSE_FUSION_INFERENCE_BENCH"] == "1"))
    func timings() throws {
        let environment = ProcessInfo.processInfo.environment
        let threads = Int(environment["KGFUSE_FUSION_INFERENCE_THREADS"] ?? "") ?? 1
        let batchSize = Int(environment["KGFUSE_FUSION_INFERENCE_BATCH"] ?? "") ?? 1
        let runs = Int(environment["KGFUSE_FUSION_INFERENCE_RUNS"] ?? "") ?? 30
        let timing = try FusionBenchmark.measureInference(batchSize: batchSize, threads: threads, runs: runs)
        #expect(timing.medianMilliseconds > 0 && timing.processorMilliseconds > 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print("kgfuse-timing " + String(decoding: try encoder.encode(timing), as: UTF8.self))
    }
}
