import Foundation
import Tensor

/// Timings of the fusion model on the benchmark shape, the twin of `Benchmarks/fusion/peer.py`.
///
/// Shape: D 384, 6 heads, feed-forward 2048, 1 pre-norm GELU layer; [CLS] + 32 text tokens (384 features) +
/// 49 image patches (768) + 50 audio frames (128) + 4 KG tokens (entity width 128, 64 entities) = 136 tokens;
/// 7 classes. The training step is forward in training mode (dropout 0.1) + mean cross-entropy + backward +
/// AdamW, as in the peer (no contrastive term).
public enum FusionBenchmark {
    /// Median milliseconds of each measurement.
    public struct Timings: Sendable, Codable {
        /// Threads used (``WorkerPool``; OpenBLAS itself runs single-threaded).
        public var threads: Int
        /// Inference at batch 1.
        public var batch1Milliseconds: Double
        /// Inference at batch 32.
        public var batch32Milliseconds: Double
        /// One training step at batch 32.
        public var trainingStepBatch32Milliseconds: Double
    }

    /// The benchmark configuration.
    public static var configuration: FusionConfiguration {
        FusionConfiguration(
            modalities: [ModalitySpecification(name: "text", tokenCount: 32, featureSize: 384),
                         ModalitySpecification(name: "image", tokenCount: 49, featureSize: 768),
                         ModalitySpecification(name: "audio", tokenCount: 50, featureSize: 128)],
            modelDimension: 384, headCount: 6, feedForwardDimension: 2048, layerCount: 1, dropout: 0.1, classCount: 7,
            knowledgeEntityCount: 64, knowledgeDimension: 128, knowledgeTokenCount: 4,
            retrievalDimension: 32, gateHiddenDimension: 32, preNorm: true, activation: "gelu", seed: 1)
    }

    /// Random cases of the benchmark shape, all modalities present, 4 KG entities each.
    public static func cases(count: Int, seed: UInt64) -> [FusionCase] {
        var generator = SeededGenerator(seed: seed)
        let configuration = configuration
        return (0..<count).map { index in
            FusionCase(modalities: configuration.modalities.map { modality in
                           (0..<(modality.tokenCount * modality.featureSize)).map { _ in generator.nextNormal() }
                       },
                       entities: (0..<4).map { _ in
                           LinkedEntity(index: Int(generator.next() % 64), scalar: generator.nextUniform())
                       },
                       label: index % 7)
        }
    }

    /// Measures batch-1 and batch-32 inference (`repeats` runs each, after warm-up) and `repeats / 3` training
    /// steps at batch 32, with OpenBLAS set to `threads` threads; returns the medians.
    public static func run(threads: Int, repeats: Int = 30) throws -> Timings {
        BLAS.setThreadCount(threads)
        let model = try FusionModel(configuration: configuration)
        let batch1 = try FusionBatch(cases: cases(count: 1, seed: 1), configuration: configuration)
        let batch32 = try FusionBatch(cases: cases(count: 32, seed: 2), configuration: configuration)
        model.setTraining(false)
        let inference1 = median(repeats: repeats, warmup: 5) {
            GradientMode.withoutGradient { _ = model.forward(batch1).logits }
        }
        let inference32 = median(repeats: max(repeats / 3, 5), warmup: 2) {
            GradientMode.withoutGradient { _ = model.forward(batch32).logits }
        }
        model.setTraining(true)
        let optimizer = AdamW(parameters: model.namedParameters(), learningRate: 1e-4, weightDecay: 0.01)
        let step = median(repeats: max(repeats / 3, 5), warmup: 2) {
            optimizer.zeroGradients()
            let loss = Loss.crossEntropy(logits: model.forward(batch32).logits, targets: batch32.labels)
            loss.backward()
            optimizer.step()
        }
        return Timings(threads: threads, batch1Milliseconds: inference1, batch32Milliseconds: inference32,
                       trainingStepBatch32Milliseconds: step)
    }

    /// Inference timings at one batch size: wall clock and process CPU time per forward pass.
    public struct InferenceTiming: Sendable, Codable {
        /// Cases per batch.
        public var batchSize: Int
        /// Threads used (OpenBLAS and the packed products).
        public var threads: Int
        /// Timed runs (after warm-up).
        public var runs: Int
        /// Median wall-clock milliseconds per forward pass.
        public var medianMilliseconds: Double
        /// Fastest wall-clock milliseconds.
        public var minimumMilliseconds: Double
        /// Median process CPU milliseconds (all threads): at 1 thread, the cost without time-sharing.
        public var processorMilliseconds: Double
    }

    /// Times `runs` inference forward passes (eval mode, no gradient) on `batchSize` benchmark cases at `threads`
    /// threads, after `warmup` untimed ones; the same model (seed 1) and cases as ``run(threads:repeats:)``.
    public static func measureInference(batchSize: Int, threads: Int, runs: Int = 30, warmup: Int = 5) throws
        -> InferenceTiming
    {
        let previousThreads = BLAS.threadCount
        BLAS.setThreadCount(threads)
        defer { BLAS.setThreadCount(previousThreads) }
        let model = try FusionModel(configuration: configuration)
        model.setTraining(false)
        let batch = try FusionBatch(cases: cases(count: batchSize, seed: batchSize == 1 ? 1 : 2),
                                    configuration: configuration)
        let sample = Stopwatch.measure(runs: runs, warmup: warmup) {
            GradientMode.withoutGradient { _ = model.forward(batch).logits }
        }
        return InferenceTiming(batchSize: batchSize, threads: threads, runs: sample.runs,
                               medianMilliseconds: sample.medianMilliseconds, minimumMilliseconds: sample.minimumMilliseconds,
                               processorMilliseconds: sample.processorMilliseconds)
    }

    /// The median wall-clock milliseconds of `repeats` calls of `body` after `warmup` untimed calls.
    static func median(repeats: Int, warmup: Int, _ body: () -> Void) -> Double {
        Stopwatch.measure(runs: repeats, warmup: warmup, body).medianMilliseconds
    }
}
