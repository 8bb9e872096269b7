import Encoders
import Foundation
import Tensor

/// `kgfuse-bench text-encoder`: all-MiniLM-L6-v2 sentence embeddings (tokenize, BERT, mean pool, L2 normalise)
/// in kgfuse and in ONNX Runtime (Benchmarks/text-encoder/peer.py --serve, the same weights exported to ONNX),
/// interleaved at the same thread count; prints wall and CPU medians and the ratios.
struct TextEncoderLatencyBenchmark {
    var options: LatencyOptions

    init(arguments: [String]) throws {
        options = try LatencyOptions(arguments: arguments, defaultRuns: 20)
    }

    func run() throws {
        let directory = try ModelLocator.modelDirectory()
        BLAS.setThreadCount(options.threads)
        let encoder = try SentenceEncoder(directory: directory)
        let sentences = (0..<options.batch).map {
            SentenceEncoder.benchmarkSentences[$0 % SentenceEncoder.benchmarkSentences.count]
        }
        let script = repositoryRoot().appendingPathComponent("Benchmarks/text-encoder/peer.py").path
        print("text encoder: all-MiniLM-L6-v2, batch \(options.batch), \(options.threads) thread(s); "
              + "kgfuse packed OpenBLAS kernels: \(PackedWeight.usesOpenBLASKernels)")
        print("starting the ONNX Runtime peer (exports the model first)...")
        let peer = try PeerServer(
            executable: options.python,
            arguments: [script, "--serve", "--model", directory, "--threads", String(options.threads),
                        "--batches", String(options.batch)],
            environment: ["OMP_NUM_THREADS": String(options.threads)])
        defer { peer.stop() }
        let comparison = LatencyComparison(
            title: "tokenize + forward + mean pool + normalise, ms per batch of \(options.batch)",
            peerName: "onnxruntime", rounds: options.rounds, runs: options.runs,
            settleMilliseconds: options.settle)
        try comparison.run(kgfuse: { _ = try encoder.encode(sentences) }, peer: peer)
    }
}
