import Dispatch
import Foundation

/// One epoch's report to the progress callback.
public struct EmbeddingTrainingProgress: Sendable {
    /// 1-based epoch just finished.
    public var epoch: Int
    /// Total epochs of the run.
    public var epochs: Int
    /// Mean training loss per positive triple over the epoch (including the regulariser).
    public var loss: Double
    /// Seconds since training started.
    public var elapsedSeconds: Double
}

/// What a training run produced.
public struct EmbeddingTrainingResult: Sendable {
    /// The trained vectors with their names and config.
    public var model: EmbeddingModel
    /// Filtered link prediction on the dataset's test triples (nil when there are none or evaluation was off).
    public var testMetrics: LinkPredictionMetrics?
    /// Mean loss of each epoch.
    public var lossHistory: [Double]
    /// The 1-based epoch whose parameters were kept: the best on validation, or the last epoch when validation is off.
    public var selectedEpoch: Int
    /// Validation figures of the kept parameters (nil when validation was off or there are no valid triples).
    public var validationMetrics: LinkPredictionMetrics?
    /// Wall seconds spent training (excluding the final evaluation).
    public var trainingSeconds: Double
    /// Wall seconds spent on the final test evaluation.
    public var evaluationSeconds: Double
}

/// A problem with a training request (bad config, empty data).
public struct EmbeddingTrainingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// The message.
    public var description: String { message }
}

/// Trains a knowledge-graph embedding on a `TripleDataset` and evaluates it by filtered link prediction.
///
/// Training is mini-batch Adam. A batch is cut into `config.threads` contiguous shards processed concurrently, each
/// into its own gradient accumulator; the accumulators are then summed in shard order, so a seed and thread count
/// always give the same result. Negatives of a triple are drawn from a generator seeded by (seed, epoch, position),
/// independent of the sharding.
public struct EmbeddingTrainer: Sendable {
    /// The run's settings.
    public var config: EmbeddingConfig

    /// A trainer for `config`.
    public init(config: EmbeddingConfig) {
        self.config = config
    }

    /// Trains on `dataset.train` (keeping the best parameters on `dataset.valid` when `validationInterval` > 0),
    /// then evaluates on `dataset.test` (filtering train, valid and test) when
    /// `evaluateOnTest` is true and the test split is not empty.
    ///
    /// - Parameter progress: called after every epoch on the calling thread.
    /// - Throws: `EmbeddingTrainingError` if the config is invalid or there are no training triples.
    public func train(
        on dataset: TripleDataset, evaluateOnTest: Bool = true,
        progress: ((EmbeddingTrainingProgress) -> Void)? = nil
    ) throws -> EmbeddingTrainingResult {
        if let problem = config.validationProblem() {
            throw EmbeddingTrainingError(message: "invalid embedding config: \(problem)")
        }
        guard !dataset.train.isEmpty else {
            throw EmbeddingTrainingError(message: "the dataset has no training triples")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        func secondsSince(_ nanoseconds: UInt64) -> Double {
            Double(DispatchTime.now().uptimeNanoseconds - nanoseconds) / 1e9
        }
        let session = TrainingSession(config: config, dataset: dataset)
        let filter = FilterIndex(dataset.train, dataset.valid, dataset.test)
        let validates = config.validationInterval > 0 && !dataset.valid.isEmpty
        var best: (epoch: Int, metrics: LinkPredictionMetrics, entities: [Float], relations: [Float])?
        var history: [Double] = []
        for epoch in 0..<config.epochs {
            let loss = session.runEpoch(epoch)
            history.append(loss)
            if validates && ((epoch + 1) % config.validationInterval == 0 || epoch + 1 == config.epochs) {
                let metrics = LinkPredictionMetrics(ranks: session.ranker(filter: filter).ranks(of: dataset.valid))
                if best == nil || metrics.meanReciprocalRank > best!.metrics.meanReciprocalRank {
                    best = (epoch + 1, metrics, session.entities.array, session.relations.array)
                }
            }
            progress?(EmbeddingTrainingProgress(
                epoch: epoch + 1, epochs: config.epochs, loss: loss, elapsedSeconds: secondsSince(start)))
        }
        if let best {
            session.restore(entities: best.entities, relations: best.relations)
        }
        let trainingSeconds = secondsSince(start)
        let evaluationStart = DispatchTime.now().uptimeNanoseconds
        var metrics: LinkPredictionMetrics?
        if evaluateOnTest && !dataset.test.isEmpty {
            let ranker = session.ranker(filter: filter)
            metrics = LinkPredictionMetrics(ranks: ranker.ranks(of: dataset.test))
        }
        let evaluationSeconds = secondsSince(evaluationStart)
        let model = try session.exportModel(entityNames: dataset.entities, relationNames: dataset.relations)
        return EmbeddingTrainingResult(
            model: model, testMetrics: metrics, lossHistory: history, selectedEpoch: best?.epoch ?? config.epochs,
            validationMetrics: best?.metrics, trainingSeconds: trainingSeconds,
            evaluationSeconds: evaluationSeconds)
    }
}
