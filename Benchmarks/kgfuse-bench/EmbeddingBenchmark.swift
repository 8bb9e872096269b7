import Embeddings
import Foundation

/// `kgfuse-bench embeddings`: `kgfuse embed` and PyKEEN with the same settings on one dataset, one after the other
/// in the same invocation; prints wall time, CPU time and metrics for both, and the ratios.
struct EmbeddingBenchmark {
    var dataset: String
    var model: EmbeddingModelKind = .rotate
    var kgfuse: String
    var threads = 2

    init(arguments: [String]) throws {
        let root = repositoryRoot()
        dataset = root.deletingLastPathComponent().appendingPathComponent("shared/kg/umls").path
        kgfuse = root.appendingPathComponent(".build/release/kgfuse").path
        var i = 0
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--dataset": dataset = value
            case "--model": model = EmbeddingModelKind(rawValue: value) ?? .rotate
            case "--kgfuse": kgfuse = value
            case "--threads": threads = Int(value) ?? 2
            default: throw BenchmarkError("unknown option \(arguments[i])")
            }
            i += 2
        }
    }

    func run() throws {
        var config = EmbeddingConfig.defaults(for: model)
        config.threads = threads
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configJSON = String(decoding: try encoder.encode(config), as: UTF8.self)
        let store = FileManager.default.temporaryDirectory.appendingPathComponent("kgfuse-bench-kge-\(getpid()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + suffix) } }
        print("embedding benchmark: \(model.rawValue) on \(dataset), \(threads) threads, config \(configJSON)")

        let ours = try measure(kgfuse, ["embed", "--store", store, "--model", model.rawValue, "--from-tsv", dataset,
                                        "--threads", String(threads), "--json"])
        guard ours.status == 0, let oursJSON = lastJSONLine(ours.output) else { throw BenchmarkError("kgfuse embed failed:\n\(ours.output)") }
        let peerScript = repositoryRoot().appendingPathComponent("Benchmarks/embeddings/pykeen_peer.py").path
        let peer = try measure("python3", [peerScript, "--dataset", dataset, "--config", configJSON, "--threads", String(threads)],
                               environment: ["OMP_WAIT_POLICY": "PASSIVE"])
        let peerJSON = peer.status == 0 ? lastJSONLine(peer.output) : nil
        if peerJSON == nil { print("PyKEEN failed or is not installed (pip install /opt/wheels/torch-*.whl pykeen==1.11.1)") }

        func metric(_ json: [String: Any]?, _ key: String) -> String {
            (json?[key] as? Double).map { String(format: "%.3f", $0) } ?? "-"
        }
        print("\ntool      wall s   MRR     Hits@1  Hits@3  Hits@10")
        print(String(format: "kgfuse  %8.1f   ", ours.seconds) + [metric(oursJSON, "mrr"), metric(oursJSON, "hits_at_1"),
              metric(oursJSON, "hits_at_3"), metric(oursJSON, "hits_at_10")].joined(separator: "   "))
        if let peerJSON {
            print(String(format: "PyKEEN  %8.1f   ", peer.seconds) + [metric(peerJSON, "mrr"), metric(peerJSON, "hits_at_1"),
                  metric(peerJSON, "hits_at_3"), metric(peerJSON, "hits_at_10")].joined(separator: "   "))
            print(String(format: "\nkgfuse wall time = %.3f × PyKEEN's (1/%.1f)", ours.seconds / peer.seconds, peer.seconds / ours.seconds))
        }
    }

    func lastJSONLine(_ output: String) -> [String: Any]? {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
