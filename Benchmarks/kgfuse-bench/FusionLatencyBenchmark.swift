import Foundation
import Fusion
import Tensor

/// `kgfuse-bench fusion`: the fusion forward pass on the shape (d_model 384, 6 heads, feed-forward 2048,
/// one layer, 136 tokens) in kgfuse (eval mode, no gradient) and in ONNX Runtime (Benchmarks/fusion/peer.py
/// --serve, the PyTorch twin exported to ONNX), interleaved at the same thread count and batch size.
struct FusionLatencyBenchmark {
    var options: LatencyOptions

    init(arguments: [String]) throws {
        options = try LatencyOptions(arguments: arguments, defaultRuns: 10)
    }

    func run() throws {
        BLAS.setThreadCount(options.threads)
        let configuration = FusionBenchmark.configuration
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        let batch = try FusionBatch(cases: FusionBenchmark.cases(count: options.batch, seed: 1),
                                    configuration: configuration)
        let script = repositoryRoot().appendingPathComponent("Benchmarks/fusion/peer.py").path
        print("fusion forward: batch \(options.batch), \(configuration.sequenceLength) tokens, \(options.threads) thread(s); "
              + "kgfuse packed OpenBLAS kernels: \(PackedWeight.usesOpenBLASKernels)")
        print("starting the ONNX Runtime peer (exports the model first)...")
        let peer = try PeerServer(
            executable: options.python,
            arguments: [script, "--serve", "--threads", String(options.threads), "--batch", String(options.batch)],
            environment: ["OMP_NUM_THREADS": String(options.threads)])
        defer { peer.stop() }
        let comparison = LatencyComparison(
            title: "fusion forward (eval, no gradient), ms per batch of \(options.batch)",
            peerName: "onnxruntime", rounds: options.rounds, runs: options.runs)
        try comparison.run(kgfuse: { GradientMode.withoutGradient { _ = model.forward(batch).logits } }, peer: peer)
    }
}
