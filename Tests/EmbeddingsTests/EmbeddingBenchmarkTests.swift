import Embeddings
import Foundation
import Testing

/// A hand-run benchmark, skipped unless KGFUSE_EMBEDDINGS_BENCH names a dataset in ../shared/kg (umls, nations)
/// or an absolute folder holding train.txt, valid.txt and test.txt:
///
///     KGFUSE_EMBEDDINGS_BENCH=umls KGFUSE_EMBEDDINGS_MODEL=rotate swift test -c release --filter EmbeddingBenchmark
///
/// KGFUSE_EMBEDDINGS_CONFIG may hold a JSON object whose keys override the model's default config
/// (e.g. {"epochs": 50, "dimension": 64}). Prints one JSON line with wall seconds and test metrics.
@Suite("Embedding benchmark (by hand)")
struct EmbeddingBenchmarkTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test("train and evaluate on a shared benchmark", .enabled(if: environment["KGFUSE_EMBEDDINGS_BENCH"] != nil))
    func benchmark() throws {
        let datasetName = Self.environment["KGFUSE_EMBEDDINGS_BENCH"] ?? "umls"
        let modelName = Self.environment["KGFUSE_EMBEDDINGS_MODEL"] ?? "rotate"
        let kind = try #require(EmbeddingModelKind(rawValue: modelName), "unknown model \(modelName)")
        var config = EmbeddingConfig.defaults(for: kind)
        if let overrides = Self.environment["KGFUSE_EMBEDDINGS_CONFIG"] {
            var merged = try #require(
                JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any])
            let extra = try #require(
                JSONSerialization.jsonObject(with: Data(overrides.utf8)) as? [String: Any], "config must be an object")
            merged.merge(extra) { _, new in new }
            config = try JSONDecoder().decode(
                EmbeddingConfig.self, from: JSONSerialization.data(withJSONObject: merged))
        }
        let folder = datasetName.hasPrefix("/") ? datasetName : SharedData.knowledgeGraph(datasetName)
        let dataset = try TripleDataset(directory: folder)
        let verbose = Self.environment["KGFUSE_EMBEDDINGS_VERBOSE"] != nil
        let cpuStart = Self.processCPUSeconds()
        let result = try EmbeddingTrainer(config: config).train(on: dataset) { progress in
            if verbose && (progress.epoch % 10 == 0 || progress.epoch == 1) {
                print("epoch \(progress.epoch) loss \(progress.loss) t \(progress.elapsedSeconds)")
            }
        }
        let cpuSeconds = Self.processCPUSeconds() - cpuStart
        let metrics = try #require(result.testMetrics)
        let configJSON = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        print("""
            {"side": "kgfuse", "dataset": "\(datasetName)", "model": "\(modelName)", \
            "train_seconds": \(result.trainingSeconds), "eval_seconds": \(result.evaluationSeconds), \
            "cpu_seconds": \(cpuSeconds), \
            "mrr": \(metrics.meanReciprocalRank), "hits_at_1": \(metrics.hitsAt1), "hits_at_3": \(metrics.hitsAt3), \
            "hits_at_10": \(metrics.hitsAt10), "selected_epoch": \(result.selectedEpoch), \
            "valid_mrr": \(result.validationMetrics?.meanReciprocalRank ?? -1), "final_loss": \(result.lossHistory.last ?? 0), "config": \(configJSON)}
            """)
    }

    /// User + system CPU seconds of this process so far, all threads (getrusage).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
