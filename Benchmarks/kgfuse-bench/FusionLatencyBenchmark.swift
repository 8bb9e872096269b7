import Foundation
import Fusion
import Tensor

/// `kgfuse-bench fusion`: the fusion forward pass on the shape (d_model 384, 6 heads, feed-forward 2048,
/// one layer, 136 tokens) in kgfuse (eval mode, no gradient) and in ONNX Runtime (Benchmarks/fusion/peer.py
/// --serve, the PyTorch twin exported to ONNX), interleaved at the same thread count and batch size.
/// With `--training` (batch 32 unless given): one training step (train mode with dropout, mean cross-entropy,
/// backward, AdamW) in kgfuse and in PyTorch (peer.py --serve --training). With `--alone`: kgfuse only (for profiling).
struct FusionLatencyBenchmark {
    var options: LatencyOptions
    var training = false
    var alone = false

    init(arguments: [String]) throws {
        training = arguments.contains("--training")
        alone = arguments.contains("--alone")
        let rest = arguments.filter { $0 != "--training" && $0 != "--alone" }
        options = try LatencyOptions(arguments: rest, defaultRuns: training ? 3 : 10)
        if training && !rest.contains("--batch") { options.batch = 32 }
    }

    func run() throws {
        if training { return try runTraining() }
        if alone { return try runAlone() }
        let (configuration, model, batch) = try setUp(training: false, seed: 1)
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
            peerName: "onnxruntime", rounds: options.rounds, runs: options.runs,
            settleMilliseconds: options.settle)
        try comparison.run(kgfuse: { GradientMode.withoutGradient { _ = model.forward(batch).logits } }, peer: peer)
    }

    /// Sets the thread count and builds the benchmark's model (in training or evaluation mode) and a batch of
    /// `options.batch` synthetic cases drawn with `seed`.
    private func setUp(training: Bool, seed: UInt64) throws -> (FusionConfiguration, FusionModel, FusionBatch) {
        BLAS.setThreadCount(options.threads)
        let configuration = FusionBenchmark.configuration
        let model = try FusionModel(configuration: configuration)
        model.setTraining(training)
        let batch = try FusionBatch(cases: FusionBenchmark.cases(count: options.batch, seed: seed),
                                    configuration: configuration)
        return (configuration, model, batch)
    }

    /// Training steps at `options.batch` beside PyTorch's.
    func runTraining() throws {
        let (configuration, model, batch) = try setUp(training: true, seed: 2)
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: 1e-4, weightDecay: 0.01)
        let script = repositoryRoot().appendingPathComponent("Benchmarks/fusion/peer.py").path
        print("fusion training step: batch \(options.batch), \(configuration.sequenceLength) tokens, \(options.threads) thread(s)")
        print("starting the PyTorch peer...")
        let peer = try PeerServer(
            executable: options.python,
            arguments: [script, "--serve", "--training", "--threads", String(options.threads), "--batch", String(options.batch)],
            environment: ["OMP_NUM_THREADS": String(options.threads)])
        defer { peer.stop() }
        let comparison = LatencyComparison(
            title: "training step (forward, cross-entropy, backward, AdamW), ms per batch of \(options.batch)",
            peerName: "pytorch", rounds: options.rounds, runs: options.runs, warmup: 2,
            settleMilliseconds: options.settle)
        try comparison.run(kgfuse: {
            optimizer.zeroGradients()
            let loss = Loss.crossEntropy(logits: model.forward(batch).logits, targets: batch.labels)
            loss.backward()
            optimizer.step()
        }, peer: peer)
    }

    /// `--alone`: kgfuse's forward pass alone (no peer), `rounds · runs` timed calls after 5 warm-ups; prints the
    /// median and minimum, for profiling (`perf record -g .build/release/kgfuse-bench fusion --alone ...`).
    func runAlone() throws {
        let (_, model, batch) = try setUp(training: false, seed: 1)
        let sample = Stopwatch.measure(runs: options.rounds * options.runs, warmup: 5) {
            GradientMode.withoutGradient { _ = model.forward(batch).logits }
        }
        print(String(format: "kgfuse fusion forward alone, batch %d, %d thread(s), %d calls: median %.3f ms, min %.3f ms, "
                     + "CPU median %.3f ms", options.batch, options.threads, sample.runs, sample.medianMilliseconds,
                     sample.minimumMilliseconds, sample.processorMilliseconds))
    }
}
